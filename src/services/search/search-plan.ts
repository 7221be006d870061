import type { Kysely } from 'kysely';
import type { SearchAssignment, SearchPlan } from '../../contract/search.ts';
import { DEFAULT_STALE_S } from '../../domain/presence.ts';
import { lengthInsideM } from '../../domain/search-coverage.ts';
import { searchFigures } from '../../domain/search-figures.ts';
import type { TrackPoint } from '../../domain/track-geometry.ts';
import { listMembers } from '../../store/members.repo.ts';
import type { OperationRow } from '../../store/operations.repo.ts';
import { positionsBetween } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getPlan, listAssignments, listSegments } from '../../store/search.repo.ts';
import { getTeam } from '../../store/teams.repo.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * An operation's search as it stands at `now`: each assignment's length walked inside its segment (the member's
 * positions from the assignment's start to its end, or now; steps over the team's stale time left out), and the
 * figures of each segment (domain/search-figures.ts). `figures: false` skips the positions (for checks).
 */
export async function loadSearchPlan(
  db: Kysely<DB>,
  op: OperationRow,
  now: Date,
  options: { figures?: boolean } = {},
): Promise<SearchPlan> {
  const [team, segments, plan, assignments, members] = await Promise.all([
    getTeam(db, op.team_id),
    listSegments(db, op.id),
    getPlan(db, op.id),
    listAssignments(db, op.id),
    listMembers(db, op.team_id),
  ]);
  const staleS = team?.stale_seconds ?? DEFAULT_STALE_S;
  const callsigns = new Map(members.map((m) => [m.id, m.callsign]));
  const polygons = new Map(segments.map((s) => [s.id, s.polygon]));
  const tracks = options.figures === false ? new Map() : await tracksOf(db, op.team_id, assignments, now);
  const walked: SearchAssignment[] = assignments.map((a) => {
    const polygon = polygons.get(a.segment_id);
    const track = tracks.get(a.member_id) ?? [];
    const lengthInside =
      polygon && track.length > 1
        ? lengthInsideM(polygon, track, {
            maxGapMs: staleS * 1000,
            fromMs: new Date(a.started_at).getTime(),
            toMs: (a.ended_at ? new Date(a.ended_at) : now).getTime(),
          })
        : 0;
    return {
      id: a.id,
      segmentId: a.segment_id,
      memberId: a.member_id,
      callsign: callsigns.get(a.member_id) ?? '?',
      sortie: a.sortie,
      resourceType: a.resource_type,
      sweepWidthM: a.sweep_width_m,
      startedAt: iso(a.started_at),
      endedAt: a.ended_at ? iso(a.ended_at) : null,
      lengthInsideM: lengthInside,
    };
  });
  const spans = walked.map((w) => ({
    ...w,
    startedMs: Date.parse(w.startedAt),
    endedMs: w.endedAt === null ? null : Date.parse(w.endedAt),
  }));
  const restOfWorld = plan?.rest_of_world ?? null;
  const figures = searchFigures(
    segments.map((s) => ({ id: s.id, areaM2: s.area_m2, poa: plan ? s.poa : null })),
    restOfWorld,
    spans,
  );
  return {
    operationId: op.id,
    mode: op.kind === 'exercise' ? 'exercise' : 'real',
    staleSeconds: staleS,
    poaMethod: plan?.poa_method ?? null,
    restOfWorld,
    currentRestOfWorld: figures.currentRestOfWorld,
    segments: segments.map((s) => {
      const f = figures.segments.get(s.id);
      return {
        id: s.id,
        operationId: s.operation_id,
        name: s.name,
        polygon: s.polygon,
        areaM2: s.area_m2,
        poa: plan ? s.poa : null,
        sorties: (f?.sorties ?? []).map(({ startedMs, endedMs, ...sortie }) => ({
          ...sortie,
          startedAt: iso(new Date(startedMs)),
          endedAt: endedMs === null ? null : iso(new Date(endedMs)),
        })),
        coverage: f?.coverage ?? 0,
        pod: f?.pod ?? 0,
        cumulativePod: f?.cumulativePod ?? 0,
        pos: f?.pos ?? null,
        currentPoa: f?.currentPoa ?? null,
        assignments: walked.filter((w) => w.segmentId === s.id),
      };
    }),
  };
}

/** The assigned members' positions over the assignments' span, as tracks in time order. */
async function tracksOf(
  db: Kysely<DB>,
  teamId: string,
  assignments: readonly { member_id: string; started_at: Date | string; ended_at: Date | string | null }[],
  now: Date,
): Promise<Map<string, TrackPoint[]>> {
  const tracks = new Map<string, TrackPoint[]>();
  if (assignments.length === 0) return tracks;
  const since = new Date(Math.min(...assignments.map((a) => new Date(a.started_at).getTime())));
  const until = new Date(
    Math.max(...assignments.map((a) => (a.ended_at ? new Date(a.ended_at) : now).getTime())),
  );
  const memberIds = [...new Set(assignments.map((a) => a.member_id))];
  for (const p of await positionsBetween(db, teamId, { since, until, memberIds })) {
    const track = tracks.get(p.member_id) ?? [];
    track.push({ lat: p.lat, lon: p.lon, timeMs: new Date(p.time).getTime() });
    tracks.set(p.member_id, track);
  }
  return tracks;
}
