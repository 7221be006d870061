import type { Qualification, Readiness } from '../../../src/contract/training.ts';

interface Props {
  readiness: Readiness;
  onOpen: (memberId: string) => void;
}

const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

function cellText(q: Qualification | undefined): string {
  if (!q) return '—';
  if (q.status === 'expired') return `expired ${date(q.expiresAt)}`;
  if (q.status === 'expiring') return `until ${date(q.expiresAt)}`;
  return q.expiresAt ? `✓ ${date(q.expiresAt)}` : '✓';
}

/** Members × skills: green current, amber expiring (with the date), red expired, grey missing. */
export function ReadinessMatrix({ readiness, onOpen }: Props) {
  const skills = [...readiness.skills].sort(
    (a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name),
  );
  if (readiness.members.length === 0) return <p className="muted">No members yet.</p>;
  return (
    <div className="table-scroll">
      <table className="records-table readiness-matrix" data-testid="readiness-matrix">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Field-ready</th>
            {skills.map((s) => (
              <th key={s.id} scope="col" className={s.required ? 'skill-required' : undefined}>
                {s.name}
                {s.required && (
                  <span className="required-mark" title="required to be field-ready">
                    {' '}
                    *
                  </span>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {readiness.members.map((m) => {
            const bySkill = new Map(m.qualifications.map((q) => [q.skillId, q]));
            return (
              <tr key={m.memberId} data-testid="readiness-row" data-callsign={m.callsign}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onOpen(m.memberId)}>
                    {m.callsign}
                    {m.kind === 'animal' && <span className="k9-tag">K9</span>}
                  </button>
                </th>
                <td>
                  <span
                    className={`ready-badge ${m.fieldReady ? 'ready' : 'not-ready'}`}
                    data-testid={`field-ready-${m.callsign}`}
                    data-ready={m.fieldReady}
                    title={m.notReadyBecause.join('; ')}
                  >
                    {m.fieldReady ? 'ready' : 'not ready'}
                  </span>
                </td>
                {skills.map((s) => {
                  const q = bySkill.get(s.id);
                  const status = q?.status ?? 'missing';
                  return (
                    <td
                      key={s.id}
                      className={`qual-cell qual-${status}`}
                      data-testid={`qual-${m.callsign}-${s.name}`}
                      data-status={status}
                      title={q ? `signed ${date(q.signedAt)} by ${q.signedOffByCallsign}` : 'no sign-off'}
                    >
                      {cellText(q)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="legend">
        <span className="qual-cell qual-current">current</span>
        <span className="qual-cell qual-expiring">expiring within 30 days</span>
        <span className="qual-cell qual-expired">expired</span>
        <span className="qual-cell qual-missing">no sign-off</span>
        <span className="muted">* required to be field-ready</span>
      </p>
    </div>
  );
}
