import { useCallback, useEffect, useState } from 'react';
import type { CorrectiveAction } from '../../../src/contract/hotwash.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import type { MemberRecord, Skill, SkillList } from '../../../src/contract/training.ts';
import { skillAppliesTo } from '../../../src/domain/readiness.ts';
import { api, errorMessage } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';
import { ProgressChart } from './ProgressChart.tsx';
import { QualificationForm } from './QualificationForm.tsx';

interface Props {
  me: Me;
  memberId: string;
  members: readonly Member[];
  /** Goes up when drills or training records change: load again. */
  revision: number;
  onBack: (() => void) | null;
}

const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
const KIND_LABEL = {
  exercise: 'Exercise',
  drill: 'Tracking drill',
  detection_drill: 'Detection drill',
  incident: 'REAL incident',
  session: 'Session',
};

/** A member's training record: field-ready with reasons, qualifications, what they attended, hours, skills. */
export function MemberRecordPage({ me, memberId, members, revision, onBack }: Props) {
  const [record, setRecord] = useState<MemberRecord | null>(null);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [actions, setActions] = useState<CorrectiveAction[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [progressSkill, setProgressSkill] = useState<string | null>(null);
  const leader = me.role === 'leader';

  const load = useCallback(async () => {
    try {
      const [r, s, a] = await Promise.all([
        api<MemberRecord>(`/api/members/${memberId}/record`),
        api<SkillList>('/api/skills'),
        api<{ actions: CorrectiveAction[] }>(`/api/corrective-actions?open=true&ownerId=${memberId}`),
      ]);
      setRecord(r);
      setSkills(s.skills);
      setActions(a.actions);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [memberId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision is the reload trigger
  useEffect(() => {
    load();
  }, [load, revision]);

  const revoke = async (id: string, name: string) => {
    if (!(await confirmAction(`Revoke the ${name} sign-off?`))) return;
    try {
      await api(`/api/qualifications/${id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (error && !record) return <p className="form-error">{error}</p>;
  if (!record) return <p className="muted">Loading the record…</p>;
  const handler = record.handlerId ? members.find((m) => m.id === record.handlerId) : null;
  const dogs = members.filter((m) => m.kind === 'animal' && m.handlerId === record.memberId);
  return (
    <section className="member-record" data-testid="member-record" data-callsign={record.callsign}>
      <header className="record-head">
        {onBack && (
          <button type="button" className="ghost" onClick={onBack}>
            ← Readiness
          </button>
        )}
        <h1>
          {record.callsign} <span className="muted">{record.name}</span>
          {record.kind === 'animal' && <span className="k9-tag">K9</span>}
        </h1>
        {handler && (
          <a className="tag" href={`#/records/${handler.id}`} data-testid="record-handler">
            handler: {handler.callsign}
          </a>
        )}
        {dogs.map((k9) => (
          <a key={k9.id} className="tag" href={`#/records/${k9.id}`}>
            handles {k9.callsign} (K9)
          </a>
        ))}
        <span
          className={`ready-badge big ${record.fieldReady ? 'ready' : 'not-ready'}`}
          data-testid="record-field-ready"
          data-ready={record.fieldReady}
        >
          {record.fieldReady ? 'Field-ready' : 'Not field-ready'}
        </span>
      </header>
      {!record.fieldReady && (
        <ul className="not-ready-reasons" data-testid="not-ready-reasons">
          {record.notReadyBecause.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {error && <p className="form-error">{error}</p>}
      {actions.length > 0 && (
        <section data-testid="record-actions">
          <h2>Open actions from hot washes</h2>
          <ul>
            {actions.map((a) => (
              <li key={a.id}>
                <a href={`#/replay/${a.operationId}`}>{a.text}</a>
                {a.dueOn && <span className="muted"> · due {a.dueOn}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <h2>Qualifications</h2>
      <table className="records-table" data-testid="qualifications">
        <thead>
          <tr>
            <th scope="col">Skill</th>
            <th scope="col">Status</th>
            <th scope="col">Signed</th>
            <th scope="col">Expires</th>
            <th scope="col">Instructor</th>
            <th scope="col">Note</th>
            {leader && <th scope="col" />}
          </tr>
        </thead>
        <tbody>
          {record.qualifications.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No sign-offs yet.
              </td>
            </tr>
          )}
          {record.qualifications.map((q) => (
            <tr key={q.id} data-testid="qualification-row" data-skill={q.skillName}>
              <td>{q.skillName}</td>
              <td>
                <span className={`qual-cell qual-${q.status}`}>{q.status}</span>
              </td>
              <td>{date(q.signedAt)}</td>
              <td>{q.expiresAt ? date(q.expiresAt) : 'no expiry'}</td>
              <td>{q.signedOffByCallsign}</td>
              <td className="note">{q.note}</td>
              {leader && (
                <td>
                  <button type="button" className="small" onClick={() => revoke(q.id, q.skillName)}>
                    Revoke
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {leader && (
        <>
          <h3 className="sign-off-head">Sign off a qualification</h3>
          <QualificationForm
            memberId={record.memberId}
            skills={skills.filter((s) => skillAppliesTo(s.appliesTo, record.kind))}
            onSigned={() => load()}
          />
        </>
      )}

      <h2>
        Attended <span className="muted">· {record.hoursTotal.toFixed(1)} h in total</span>
      </h2>
      <table className="records-table" data-testid="attended">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">What</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col" className="num">
              Hours
            </th>
            <th scope="col" className="num">
              Trail followed
            </th>
          </tr>
        </thead>
        <tbody>
          {record.attended.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nothing attended yet.
              </td>
            </tr>
          )}
          {record.attended.map((a) => (
            <tr key={`${a.kind}-${a.id}`} className={`attended-${a.kind}`} data-testid="attended-row">
              <td>{date(a.start)}</td>
              <td>
                <span className={`kind-tag kind-${a.kind}`}>{KIND_LABEL[a.kind]}</span>
              </td>
              <td>{a.name}</td>
              <td>{a.role.replace('_', ' ')}</td>
              <td className="num">{a.hours ? a.hours.toFixed(1) : '—'}</td>
              <td className="num">
                {a.shareFollowed === null ? '' : `${Math.round(a.shareFollowed * 100)} %`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Skills practised</h2>
      {record.skills.length === 0 ? (
        <p className="muted">None recorded yet: sessions and exercises list the skills they practise.</p>
      ) : (
        <ul className="skill-practice" data-testid="skills-practised">
          {record.skills.map((s) => (
            <li key={s.skillId}>
              <strong>{s.name}</strong> · {s.times}× · {s.hours.toFixed(1)} h · last {date(s.last)}
            </li>
          ))}
        </ul>
      )}

      <ProgressChart
        memberId={record.memberId}
        skillId={progressSkill}
        skills={skills}
        onSkill={setProgressSkill}
        refreshKey={revision}
      />
    </section>
  );
}
