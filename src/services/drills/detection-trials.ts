import type { Kysely } from 'kysely';
import { badRequest } from '../../contract/errors.ts';
import {
  countedTrials,
  type DetectionDrillResult,
  detectionTrials,
  type SearcherTrack,
} from '../../domain/detection-drill.ts';
import { DEFAULT_STALE_S } from '../../domain/presence.ts';
import type { TrackPoint } from '../../domain/track-geometry.ts';
import {
  type DetectionObjectRow,
  type DetectionRecordRow,
  listDetectionObjects,
  listDetectionOperations,
  listDetectionRecords,
} from '../../store/detection-drills.repo.ts';
import { listParticipants } from '../../store/operations.repo.ts';
import { positionsBetween } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';

/** What the trials of one drill are computed from. */
export interface DetectionDrillFacts {
  readonly operationId: string;
  readonly teamId: string;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly maxRangeM: number;
}

export interface DetectionDataOptions {
  /** Searchers' callsigns and objects' labels, to name them in problems. */
  readonly names?: ReadonlyMap<string, string>;
}

export interface DetectionDrillData extends DetectionDrillResult {
  readonly searcherIds: readonly string[];
  readonly objects: readonly DetectionObjectRow[];
  readonly records: readonly DetectionRecordRow[];
  readonly tracks: readonly SearcherTrack[];
}

/**
 * A drill's objects, records, the searchers' tracks (their positions from STARTEX to ENDEX, or to `now` while it
 * runs; steps longer than the team's stale time are gaps) and the trials computed from them. A drill not started
 * has no tracks and no trials.
 */
export async function loadDetectionData(
  db: Kysely<DB>,
  drill: DetectionDrillFacts,
  now: Date,
  options: DetectionDataOptions = {},
): Promise<DetectionDrillData> {
  const [team, participants, objects, records] = await Promise.all([
    getTeam(db, drill.teamId),
    listParticipants(db, drill.operationId),
    listDetectionObjects(db, drill.operationId),
    listDetectionRecords(db, [drill.operationId]),
  ]);
  const searcherIds = participants.filter((p) => p.role === 'searcher').map((p) => p.memberId);
  if (!drill.startedAt) {
    return { searcherIds, objects, records, tracks: [], trials: [], problems: ['the drill has not started'] };
  }
  const rows = await positionsBetween(db, drill.teamId, {
    since: drill.startedAt,
    until: drill.endedAt ?? now,
    memberIds: searcherIds,
  });
  const tracks = searcherIds.map((searcherId) => ({
    searcherId,
    points: rows
      .filter((r) => r.member_id === searcherId)
      .map((r): TrackPoint => ({ lat: r.lat, lon: r.lon, timeMs: new Date(r.time).getTime() })),
  }));
  const staleS = team?.stale_seconds ?? DEFAULT_STALE_S;
  const names = new Map([
    ...(options.names ?? []),
    ...objects.map((o): [string, string] => [o.id, `“${o.label}”`]),
  ]);
  const result = detectionTrials(
    objects,
    tracks,
    records.map((r) => ({ objectId: r.object_id, searcherId: r.searcher_id, found: r.found })),
    { maxGapMs: staleS * 1000, maxRangeM: drill.maxRangeM, nameOf: (id) => names.get(id) ?? id },
  );
  return { searcherIds, objects, records, tracks, ...result };
}

export interface PooledTrials {
  readonly drillIds: readonly string[];
  readonly binM: number;
  readonly trials: readonly { lateralRangeM: number; detected: boolean }[];
}

/**
 * The counted trials of the team's detection drills of a resource type, pooled: the given drills (each must be a
 * started detection drill of the team and of that resource type: a 400 naming `drillIds` otherwise), or all its
 * ended ones. The bin width is the widest of the drills'.
 */
export async function pooledDetectionTrials(
  db: Kysely<DB>,
  teamId: string,
  resourceType: string,
  drillIds: readonly string[] | undefined,
  now: Date,
): Promise<PooledTrials> {
  const all = await listDetectionOperations(db, teamId, drillIds ? {} : { resourceType, ended: true });
  const byId = new Map(all.map((d) => [d.id, d]));
  const chosen = drillIds
    ? drillIds.map((id) => {
        const d = byId.get(id);
        if (!d) throw badRequest('drillIds', `${id} is not a detection drill of this team`);
        if (d.resource_type !== resourceType)
          throw badRequest('drillIds', `${d.name} is a drill of ${d.resource_type}, not ${resourceType}`);
        if (!d.started_at) throw badRequest('drillIds', `${d.name} has not started`);
        return d;
      })
    : all;
  if (chosen.length === 0)
    throw badRequest('drillIds', `no ended detection drill of ${resourceType}: run one, or name the drills`);
  const trials: { lateralRangeM: number; detected: boolean }[] = [];
  for (const d of chosen) {
    const data = await loadDetectionData(
      db,
      {
        operationId: d.id,
        teamId,
        startedAt: d.started_at ? new Date(d.started_at) : null,
        endedAt: d.ended_at ? new Date(d.ended_at) : null,
        maxRangeM: d.max_range_m,
      },
      now,
    );
    trials.push(...countedTrials(data.trials));
  }
  return { drillIds: chosen.map((d) => d.id), binM: Math.max(...chosen.map((d) => d.bin_m)), trials };
}
