import type { Kysely } from 'kysely';
import type { ReplayPositions } from '../../contract/replay.ts';
import { packColumns } from '../../domain/replay-tracks.ts';
import { fixColumns } from '../../store/replay.repo.ts';
import type { DB } from '../../store/schema.ts';

/** Windows longer than this are thinned to one fix per member per step, so that a replay stays light. */
const FULL_RATE_MS = 6 * 3_600_000;

/** The thinning step of a window: none up to 6 hours, then one second more per further 6 hours. */
export function sampleStepS(spanMs: number): number | null {
  return spanMs <= FULL_RATE_MS ? null : Math.ceil(spanMs / FULL_RATE_MS);
}

/**
 * The team's fixes in a window, packed for the wire (times from `t0`): the store aggregates each member's
 * columns into one row, each is parsed once and delta-encoded in place.
 */
export async function packedPositions(
  db: Kysely<DB>,
  teamId: string,
  w: { since: Date; until: Date; t0: number },
): Promise<ReplayPositions> {
  const stepS = sampleStepS(w.until.getTime() - w.since.getTime());
  const rows = await fixColumns(db, teamId, { ...w, stepS });
  let count = 0;
  const tracks = rows
    .map((r) => {
      const t = JSON.parse(r.t) as number[];
      count += t.length;
      return packColumns(r.member_id, t, JSON.parse(r.lat) as number[], JSON.parse(r.lon) as number[]);
    })
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  // The store gave times from t0, so each track's first delta counts from t0, as the wire format says.
  return { t0: w.t0, count, sampledEveryS: stepS, tracks };
}
