import type { Me } from '../../../src/contract/sessions.ts';
import { sosSenders } from '../../../src/domain/alerts.ts';
import { sosWord } from '../../../src/domain/mode.ts';
import { DEFAULT_STALE_S, formatAge, memberStatus } from '../../../src/domain/presence.ts';
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
  // The SOS alerts, not a position's alarm word, say who is calling for help, whatever client sent it.
  const sos = sosSenders(state.alerts);
  if (!state.loaded) return null;
  return (
    <section className="card teammates">
      <h2>Team</h2>
      {others.length === 0 && <p className="muted">Nobody else in the team yet.</p>}
      <ul>
        {others.map((m) => {
          const p = state.latest[m.id];
          const sosMode = sos.get(m.id);
          const status = memberStatus(p ? Date.parse(p.time) : null, nowMs, staleS, sosMode !== undefined);
          const rel = p && from ? describeFrom(from, p) : null;
          return (
            <li key={m.id} className={`mate mate-${status ?? 'none'}`}>
              <span className="mate-name">
                <strong>{m.callsign}</strong>
                {sosMode && (
                  <span className={sosMode === 'exercise' ? 'sos-tag sos-exercise' : 'sos-tag'}>
                    {sosWord(sosMode)}
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
