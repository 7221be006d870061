import type { Drill, DrillConditions, DrillFind, DrillScore, DrillTrackInfo } from '../../contract/drills.ts';
import { DrillConditions as DrillConditionsSchema } from '../../contract/drills.ts';
import type { TrackPoint } from '../../domain/drill-score.ts';
import type {
  DrillFindRow,
  DrillRow,
  DrillScoreRow,
  DrillTrackInfoRow,
  DrillTrackRow,
} from '../../store/drills.repo.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/** A stored track's points (`[[lat, lon, timeMs], …]`). */
export function pointsOf(row: Pick<DrillTrackRow, 'points'>): TrackPoint[] {
  return row.points.map(([lat, lon, timeMs]) => ({ lat, lon, timeMs }));
}

/** Points in the stored form. */
export const storedPoints = (points: readonly TrackPoint[]) =>
  JSON.stringify(points.map((p) => [p.lat, p.lon, p.timeMs]));

export function conditionsOf(row: DrillRow): DrillConditions {
  // Parsed, so that a drill stored before a field was added reads with its default.
  return DrillConditionsSchema.parse(row.conditions ?? {});
}

export function scoreOf(row: DrillScoreRow): DrillScore {
  return row.score as DrillScore;
}

export function toTrackInfo(row: DrillTrackInfoRow, runnerId: string | null): DrillTrackInfo {
  return {
    memberId: row.member_id,
    role: row.member_id === runnerId ? 'runner' : 'tracker',
    source: row.source,
    fileName: row.file_name,
    pointCount: row.point_count,
    startTime: iso(row.start_time),
    endTime: iso(row.end_time),
  };
}

export function toFind(row: DrillFindRow): DrillFind {
  return { trackerId: row.tracker_id, time: iso(row.time), source: row.source, recordedBy: row.recorded_by };
}

/** The drill's parts as the API answers them. */
export function toDrill(p: {
  operation: Drill['operation'];
  drill: DrillRow;
  skillIds: string[];
  tracks: DrillTrackInfoRow[];
  finds: DrillFindRow[];
  scores: DrillScoreRow[];
  problems: ReadonlyMap<string, string>;
}): Drill {
  const runnerId = p.operation.participants.find((x) => x.role === 'runner')?.memberId ?? null;
  const trackerIds = p.operation.participants.filter((x) => x.role === 'tracker').map((x) => x.memberId);
  const scores = new Map(p.scores.map((s) => [s.tracker_id, s]));
  return {
    operation: p.operation,
    runnerId,
    trackerIds,
    conditions: conditionsOf(p.drill),
    light: p.drill.light,
    sunElevationDeg: p.drill.sun_elevation,
    toleranceM: p.drill.tolerance_m,
    findRadiusM: p.drill.find_radius_m,
    recorded: p.drill.recorded,
    skillIds: p.skillIds,
    tracks: p.tracks.map((t) => toTrackInfo(t, runnerId)),
    finds: p.finds.map(toFind),
    results: trackerIds.map((trackerId) => {
      const s = scores.get(trackerId);
      return {
        trackerId,
        score: s ? scoreOf(s) : null,
        problem: s ? null : (p.problems.get(trackerId) ?? null),
        scoredAt: s ? iso(s.scored_at) : null,
      };
    }),
  };
}
