const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];

/**
 * Two-character OwnTracks tracker ids (`tid`, the initials the apps draw on a friend's marker) for a team's
 * members, unique within the team: in HTTP mode the apps key friends by `tid` alone (they file each under a
 * made-up topic `owntracks/http/<tid>`), so two members sharing one would merge into one marker.
 *
 * Each member gets the first two letters or digits of their callsign (`ALPHA1` → `AL`); when taken, the first
 * one and the last (`ALPHA2` → `A2`), then an earlier one, then the first and any letter or digit, then any
 * free pair. Members keep their tid as others join when `members` is in joining order (new ones last).
 */
export function assignTids(members: readonly { id: string; callsign: string }[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const m of members) {
    let tid = m.callsign.slice(0, 2).toUpperCase();
    for (const c of candidates(m.callsign)) {
      if (taken.has(c)) continue;
      tid = c;
      break;
    }
    taken.add(tid);
    out.set(m.id, tid);
  }
  return out;
}

function* pairs(first: string, seconds: Iterable<string>): Generator<string> {
  for (const s of seconds) yield first + s;
}

/** The candidates in order of preference, made one at a time (most members take the first). */
function* candidates(callsign: string): Generator<string> {
  const chars = [...callsign.toUpperCase()].filter((c) => ALNUM.includes(c));
  const first = chars[0] ?? 'X';
  yield* pairs(first, chars.slice(1, 2));
  yield* pairs(first, chars.slice(2).reverse());
  yield* pairs(first, ALNUM);
  for (const a of ALNUM) yield* pairs(a, ALNUM);
}
