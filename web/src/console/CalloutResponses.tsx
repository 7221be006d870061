import type { CalloutResponse } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import { clockTime } from '../shared/time.ts';

interface Props {
  responses: readonly CalloutResponse[];
  members: readonly Member[];
  nowMs: number;
}

const ORDER: Record<CalloutResponse['status'], number> = { arrived: 0, responding: 1, unavailable: 2 };

/** Who is coming and when, who is there, who cannot come, and who has not answered. */
export function CalloutResponses({ responses, members, nowMs }: Props) {
  const callsign = (id: string) => members.find((m) => m.id === id)?.callsign ?? '?';
  const answered = new Set(responses.map((r) => r.memberId));
  const silent = members.filter((m) => !answered.has(m.id));
  const sorted = [...responses].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return (
    <section className="panel-section">
      <h3>Callout</h3>
      <ul className="callout-list">
        {sorted.map((r) => {
          const etaMs = r.etaMinutes !== null ? Date.parse(r.time) + r.etaMinutes * 60_000 : null;
          return (
            <li key={r.memberId} className={`callout-item callout-${r.status}`} data-testid="callout-item">
              <strong>{callsign(r.memberId)}</strong>
              <span className="callout-status">{r.status}</span>
              {r.status === 'responding' && etaMs !== null && (
                <span>
                  ETA {clockTime(new Date(etaMs).toISOString()).slice(0, 5)}
                  {etaMs > nowMs ? ` (in ${Math.ceil((etaMs - nowMs) / 60_000)} min)` : ' (due)'}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {silent.length > 0 && (
        <p className="muted">No answer yet: {silent.map((m) => m.callsign).join(', ')}</p>
      )}
    </section>
  );
}
