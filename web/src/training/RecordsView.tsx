import { useCallback, useEffect, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { Readiness } from '../../../src/contract/training.ts';
import { monthOf, shiftMonth } from '../../../src/domain/readiness.ts';
import { api, errorMessage } from '../shared/api.ts';
import { HoursTable } from './HoursTable.tsx';
import { MemberRecordPage } from './MemberRecordPage.tsx';
import { ReadinessMatrix } from './ReadinessMatrix.tsx';
import { SkillsDialog } from './SkillsDialog.tsx';
import type { TrainingProps } from './TrainingArea.tsx';
import './records.css';

/** `#/records`: the team's readiness (leader) or one's own record; `#/records/MEMBER`: a member's record. */
export function RecordsView({ me, state, rest, go }: TrainingProps) {
  const leader = me.role === 'leader';
  // Records change with drills (hours, scores) and with the training records themselves.
  const revision = state.revisions.drills + state.revisions.training;
  if (rest || !leader) {
    return (
      <MemberRecordPage
        key={rest || me.memberId}
        me={me}
        memberId={rest || me.memberId}
        members={state.members}
        revision={revision}
        onBack={leader ? () => go('records') : null}
      />
    );
  }
  return <ReadinessOverview members={state.members} revision={revision} onOpen={(id) => go('records', id)} />;
}

function ReadinessOverview({
  members,
  revision,
  onOpen,
}: {
  members: readonly Member[];
  /** Goes up when drills or training records change: load again. */
  revision: number;
  onOpen: (memberId: string) => void;
}) {
  const thisMonth = monthOf(Date.now());
  const [range, setRange] = useState({ from: shiftMonth(thisMonth, -5), to: thisMonth });
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [skillsOpen, setSkillsOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      setReadiness(await api<Readiness>(`/api/readiness?${new URLSearchParams(range)}`));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [range]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision is the reload trigger
  useEffect(() => {
    load();
  }, [load, revision]);

  if (!readiness) return error ? <p className="form-error">{error}</p> : <p className="muted">Loading…</p>;
  const notReady = readiness.members.filter((m) => !m.fieldReady).length;
  const callsign = (id: string) => readiness.members.find((m) => m.memberId === id)?.callsign ?? '?';
  return (
    <section className="records" data-testid="records-overview">
      <header className="records-head">
        <h1>Readiness</h1>
        <span className="muted" data-testid="readiness-summary">
          {readiness.skills.some((s) => s.required)
            ? `${readiness.members.length - notReady} of ${readiness.members.length} field-ready`
            : 'No skill is required yet: mark the skills a member needs to be field-ready as required'}
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setSkillsOpen(true)} data-testid="manage-skills">
          Skills…
        </button>
      </header>
      {error && <p className="form-error">{error}</p>}
      {readiness.skills.length === 0 && (
        <p className="muted">
          No skills in the catalogue yet. Add them with “Skills…”, mark the ones needed to be field-ready as
          required, then sign members off from their record.
        </p>
      )}
      <ReadinessMatrix readiness={readiness} members={members} onOpen={onOpen} />

      <h2>Expiring in the next 30 days</h2>
      {readiness.expiringSoon.length === 0 ? (
        <p className="muted" data-testid="expiring-soon">
          Nothing expires in the next 30 days.
        </p>
      ) : (
        <ul className="expiring-list" data-testid="expiring-soon">
          {readiness.expiringSoon.map((q) => (
            <li key={q.id}>
              <span className="qual-cell qual-expiring">{q.expiresAt?.slice(0, 10)}</span>{' '}
              <button type="button" className="link-button" onClick={() => onOpen(q.memberId)}>
                {callsign(q.memberId)}
              </button>{' '}
              · {q.skillName}
            </li>
          ))}
        </ul>
      )}

      <h2>Hours per month</h2>
      <HoursTable
        hours={readiness.hours}
        from={range.from}
        to={range.to}
        onRange={(from, to) => setRange({ from, to })}
      />
      {skillsOpen && (
        <SkillsDialog
          skills={readiness.skills}
          onChanged={() => load()}
          onClose={() => setSkillsOpen(false)}
        />
      )}
    </section>
  );
}
