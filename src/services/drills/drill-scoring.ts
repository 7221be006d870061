import type { Kysely } from 'kysely';
import { type DrillScore, DrillScoreError, scoreDrill, type TrackPoint } from '../../domain/drill-score.ts';
import {
  type DrillRow,
  listFinds,
  listTrackInfos,
  listTracks,
  replaceScores,
} from '../../store/drills.repo.ts';
import type { DB } from '../../store/schema.ts';
import { pointsOf } from './drill-mappers.ts';

/** What scoring a drill needs to know of it. */
export interface DrillFacts {
  readonly operationId: string;
  readonly teamId: string;
  readonly drill: DrillRow;
  readonly runnerId: string | null;
  readonly trackerIds: readonly string[];
  /** When the drill took place: STARTEX, else the runner's first point, else its creation. */
  readonly drillTime: Date;
}

export interface TrackerScores {
  readonly scores: Map<string, DrillScore>;
  /** Why a tracker has no score. */
  readonly problems: Map<string, string>;
}

/** Scores each tracker with a track against the runner's trail (a button find is the find; else it is detected). */
export function scoreTrackers(
  facts: DrillFacts,
  tracks: ReadonlyMap<string, readonly TrackPoint[]>,
  buttonFinds: ReadonlyMap<string, number>,
): TrackerScores {
  const scores = new Map<string, DrillScore>();
  const problems = new Map<string, string>();
  const runner = facts.runnerId ? tracks.get(facts.runnerId) : undefined;
  for (const trackerId of facts.trackerIds) {
    const tracker = tracks.get(trackerId);
    if (!runner) problems.set(trackerId, 'no runner track yet');
    else if (!tracker) problems.set(trackerId, 'no track for this tracker yet');
    else {
      try {
        scores.set(
          trackerId,
          scoreDrill(runner, tracker, {
            toleranceM: facts.drill.tolerance_m,
            findRadiusM: facts.drill.find_radius_m,
            findTimeMs: buttonFinds.get(trackerId),
          }),
        );
      } catch (e) {
        if (!(e instanceof DrillScoreError)) throw e;
        problems.set(trackerId, `cannot be scored: ${e.message}`);
      }
    }
  }
  return { scores, problems };
}

/** Scores the drill from its stored tracks and finds. */
export async function scoreStored(db: Kysely<DB>, facts: DrillFacts): Promise<TrackerScores> {
  const [infos, finds] = await Promise.all([
    listTrackInfos(db, facts.operationId),
    listFinds(db, facts.operationId),
  ]);
  // The points (large) are read only when there is something to score: the runner's track and a tracker's.
  const withTrack = new Set(infos.map((t) => t.member_id));
  const scored = facts.trackerIds.filter((id) => withTrack.has(id));
  const { runnerId } = facts;
  const tracks =
    runnerId !== null && withTrack.has(runnerId) && scored.length > 0
      ? await listTracks(db, facts.operationId, [runnerId, ...scored])
      : [];
  // Every member with a track is in the map (scoring tells "no track yet" by absence); unread ones stay empty.
  const points = new Map<string, readonly TrackPoint[]>(infos.map((t) => [t.member_id, []]));
  for (const t of tracks) points.set(t.member_id, pointsOf(t));
  const buttons = new Map(
    finds.filter((f) => f.source === 'button').map((f) => [f.tracker_id, new Date(f.time).getTime()]),
  );
  return scoreTrackers(facts, points, buttons);
}

/** Scores the drill again and replaces its stored scores (call inside the change's transaction). */
export async function rescore(db: Kysely<DB>, facts: DrillFacts, now: Date): Promise<TrackerScores> {
  const result = await scoreStored(db, facts);
  await replaceScores(
    db,
    facts.operationId,
    [...result.scores].map(([trackerId, s]) => ({
      operation_id: facts.operationId,
      tracker_id: trackerId,
      team_id: facts.teamId,
      drill_time: facts.drillTime,
      share_followed: s.shareFollowed,
      share_followed_smooth: s.shareFollowedSmooth,
      mean_deviation_m: s.deviationMeanM,
      time_to_find_s: s.timeToFindS,
      score: JSON.stringify(s),
      scored_at: now,
    })),
  );
  return result;
}
