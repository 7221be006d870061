import type { Member } from '../../../src/contract/members.ts';
import type { Qualification, Readiness } from '../../../src/contract/training.ts';

type ReadinessRow = Readiness['members'][number];

interface Props {
  readiness: Readiness;
  /** The team's members, for each K9's handler. */
  members: readonly Member[];
  onOpen: (memberId: string) => void;
}

const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/** Who a skill is for, in words. */
const FOR = { all: 'everyone', person: 'people', animal: 'K9s' } as const;

function cellText(q: Qualification | undefined): string {
  if (!q) return '—';
  if (q.status === 'expired') return `expired ${date(q.expiresAt)}`;
  if (q.status === 'expiring') return `until ${date(q.expiresAt)}`;
  return q.expiresAt ? `✓ ${date(q.expiresAt)}` : '✓';
}

/** The rows in the server's order, with each K9 right under its handler. */
function handlerOrder(
  rows: readonly ReadinessRow[],
  handlerOf: (id: string) => string | null,
): ReadinessRow[] {
  const present = new Set(rows.map((r) => r.memberId));
  const withHandler = (r: ReadinessRow) => {
    const h = handlerOf(r.memberId);
    return r.kind === 'animal' && h !== null && present.has(h);
  };
  return rows
    .filter((r) => !withHandler(r))
    .flatMap((r) => [r, ...rows.filter((k) => withHandler(k) && handlerOf(k.memberId) === r.memberId)]);
}

/** Members × skills: green current, amber expiring (with the date), red expired, grey missing. */
export function ReadinessMatrix({ readiness, members, onOpen }: Props) {
  const handlerOf = (id: string) => members.find((m) => m.id === id)?.handlerId ?? null;
  const callsign = (id: string) => members.find((m) => m.id === id)?.callsign ?? '?';
  const skills = [...readiness.skills].sort(
    (a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name),
  );
  const anyRequired = skills.some((s) => s.required);
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
          {handlerOrder(readiness.members, handlerOf).map((m) => {
            const handler = m.kind === 'animal' ? handlerOf(m.memberId) : null;
            const bySkill = new Map(m.qualifications.map((q) => [q.skillId, q]));
            return (
              <tr
                key={m.memberId}
                className={handler ? 'k9-row' : undefined}
                data-testid="readiness-row"
                data-callsign={m.callsign}
              >
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onOpen(m.memberId)}>
                    {m.callsign}
                    {m.kind === 'animal' && <span className="k9-tag">K9</span>}
                  </button>
                  {handler && (
                    <span className="handler-note" data-testid={`handler-${m.callsign}`}>
                      with {callsign(handler)}
                    </span>
                  )}
                </th>
                <td>
                  {!anyRequired ? (
                    <span className="muted" data-testid={`field-ready-${m.callsign}`} data-ready="unknown">
                      —
                    </span>
                  ) : (
                    <span
                      className={`ready-badge ${m.fieldReady ? 'ready' : 'not-ready'}`}
                      data-testid={`field-ready-${m.callsign}`}
                      data-ready={m.fieldReady}
                      title={m.notReadyBecause.join('; ')}
                    >
                      {m.fieldReady ? 'ready' : 'not ready'}
                    </span>
                  )}
                </td>
                {skills.map((s) => {
                  const q = bySkill.get(s.id);
                  if (!q && s.appliesTo !== 'all' && s.appliesTo !== m.kind) {
                    return (
                      <td
                        key={s.id}
                        className="qual-cell qual-na"
                        title={`${s.name} is for ${FOR[s.appliesTo]}`}
                      >
                        n/a
                      </td>
                    );
                  }
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
