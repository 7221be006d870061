import type { LoadedReplay } from './use-replay.ts';

interface Props {
  replay: LoadedReplay;
  colors: ReadonlyMap<string, string>;
  follow: string | null;
  onFollow: (memberId: string | null) => void;
  /** The two members whose distance is charted (the newest two picked). */
  pair: readonly string[];
  onPair: (pair: string[]) => void;
}

/** The members with positions in the replay: follow one, pick two to see their distance over time. */
export function ReplayMembers({ replay, colors, follow, onFollow, pair, onPair }: Props) {
  const withTracks = replay.tracks
    .map((t) => replay.members.get(t.memberId))
    .filter((m) => m !== undefined)
    .sort((a, b) => a.callsign.localeCompare(b.callsign));
  if (withTracks.length === 0) return null;
  const toggle = (id: string) =>
    onPair(pair.includes(id) ? pair.filter((x) => x !== id) : [...pair, id].slice(-2));
  return (
    <section className="replay-members" data-testid="replay-members">
      <h3>Members</h3>
      <p className="muted">Follow one; tick two for their distance over time.</p>
      <ul>
        {withTracks.map((m) => (
          <li key={m.id}>
            <span className="trail-swatch" style={{ background: colors.get(m.id) ?? '#4cc9f0' }} />
            <span className="replay-member-name">
              {m.callsign}
              {m.removed ? <span className="muted"> (left)</span> : null}
            </span>
            <button
              type="button"
              className={`replay-member-action ${follow === m.id ? 'primary' : 'ghost'}`}
              aria-pressed={follow === m.id}
              onClick={() => onFollow(follow === m.id ? null : m.id)}
              data-testid={`replay-follow-${m.callsign}`}
            >
              {follow === m.id ? 'Following' : 'Follow'}
            </button>
            <label className="replay-compare">
              <input
                type="checkbox"
                checked={pair.includes(m.id)}
                onChange={() => toggle(m.id)}
                data-testid={`replay-compare-${m.callsign}`}
              />
              distance
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
