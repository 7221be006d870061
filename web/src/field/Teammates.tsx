import type { Me } from '../../../src/contract/sessions.ts';
import { sosWord } from '../../../src/domain/mode.ts';
import { DEFAULT_STALE_S, formatAge, presenceStatus } from '../../../src/domain/presence.ts';
import { describeFrom } from '../shared/relative.ts';
import type { TeamState } from '../shared/team-state.ts';

interface Props {
  state: TeamState;
  me: Me | null;
  /** This phone's own last fix: distances are measured from it. */
  own: GeolocationPosition | null;
  nowMs: number;
}

export function Teammates({ state, me, own, nowMs }: Props) {
  const staleS = state.team?.staleSeconds ?? DEFAULT_STALE_S;
  const from = own ? { lat: own.coords.latitude, lon: own.coords.longitude } : null;
  const others = state.members.filter((m) => m.id !== me?.memberId);
  if (!state.loaded) return null;
  return (
    <section className="card teammates">
      <h2>Team</h2>
      {others.length === 0 && <p className="muted">Nobody else in the team yet.</p>}
      <ul>
        {others.map((m) => {
          const p = state.latest[m.id];
          const status = p ? presenceStatus(Date.parse(p.time), nowMs, staleS, p.alarm) : null;
          const rel = p && from ? describeFrom(from, p) : null;
          return (
            <li key={m.id} className={`mate mate-${status ?? 'none'}`}>
              <span className="mate-name">
                <strong>{m.callsign}</strong>
                {status === 'sos' && (
                  <span className={p?.mode === 'exercise' ? 'sos-tag sos-exercise' : 'sos-tag'}>
                    {p ? sosWord(p.mode) : 'SOS'}
                  </span>
                )}
              </span>
              <span className="mate-rel">
                {rel ? `${rel.text} · ${rel.bearing}°` : p ? '—' : 'no position'}
              </span>
              <span className="mate-age">
                {p
                  ? `${formatAge(Date.parse(p.time), nowMs)} ago${status === 'stale' ? ' · stale' : ''}`
                  : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
