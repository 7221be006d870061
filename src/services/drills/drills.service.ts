import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  CreateDrillBody,
  type Drill,
  type DrillSummary,
  type DrillTracks,
  FindBody,
  type Progress,
  UpdateDrillBody,
} from '../../contract/drills.ts';
import { badRequest, conflict, HowlError, notFound } from '../../contract/errors.ts';
import type { Operation } from '../../contract/operations.ts';
import { lightAt } from '../../domain/light.ts';
import { progressOf } from '../../domain/progress.ts';
import { thinTrack } from '../../domain/thin-track.ts';
import { joinTracks, parseTrackFileAsync } from '../../formats/gpx-read.ts';
import { writeGpx } from '../../formats/gpx-write.ts';
import {
  bestShares,
  type DrillRow,
  deleteTrack,
  firstTrackPoint,
  getDrillRow,
  insertDrill,
  insertFind,
  listDrillOperations,
  listFinds,
  listOperationSkills,
  listScores,
  listTrackInfos,
  listTracks,
  putTrack,
  setOperationSkills,
  trackerScores,
  updateDrillRow,
} from '../../store/drills.repo.ts';
import { listMembers } from '../../store/members.repo.ts';
import { listParticipants, updateOperation } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import { requireActsFor, requireParticipant, requireTeamMember, requireTeamSkills } from './drill-access.ts';
import { pointsOf, storedPoints, toDrill } from './drill-mappers.ts';
import { type DrillFacts, rescore, scoreStored } from './drill-scoring.ts';

type DrillChange = 'created' | 'updated' | 'track' | 'find' | 'scored';
const MAX_DISPLAY_POINTS = 5000;
const SYSTEM: Auth = { kind: 'admin' };
const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

/** Parses input the routes have not checked (the CLI, other services): a 400 naming the field. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw badRequest(issue?.path.join('.') || 'body', issue?.message ?? 'invalid');
}

/**
 * Tracking drills: an exercise of type `tracking` with a runner and trackers, its tracks (live positions or
 * uploaded GPX/KML files), finds, and the scores computed from them (see drill-scoring.ts).
 */
export class DrillsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly operations: OperationsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(auth: Auth, teamId: string, input: z.input<typeof CreateDrillBody>): Promise<Drill> {
    requireLeader(auth, teamId);
    const body = parse(CreateDrillBody, input);
    if (body.trackerIds.includes(body.runnerId))
      throw badRequest('trackerIds', 'the runner cannot also be a tracker');
    if (new Set(body.trackerIds).size !== body.trackerIds.length)
      throw badRequest('trackerIds', 'a tracker is listed twice');
    await requireTeamMember(this.db, teamId, body.runnerId, 'runnerId');
    for (const id of body.trackerIds) await requireTeamMember(this.db, teamId, id, 'trackerIds');
    const roles = [body.runnerId, ...body.trackerIds, ...body.others.map((o) => o.memberId)];
    if (new Set(roles).size !== roles.length)
      throw badRequest('others', 'a member has two roles in the drill');
    await requireTeamSkills(this.db, teamId, body.skillIds);
    const operation = await this.operations.createExercise(
      auth,
      teamId,
      {
        name: body.name,
        scenario: body.scenario,
        area: body.area,
        participants: [
          { memberId: body.runnerId, role: 'runner' },
          ...body.trackerIds.map((memberId) => ({ memberId, role: 'tracker' as const })),
          ...body.others,
        ],
        injects: body.injects,
      },
      {
        type: 'tracking',
        ended: body.recorded,
        extend: async (trx, row) => {
          await insertDrill(trx, {
            operation_id: row.id,
            conditions: JSON.stringify(body.conditions),
            tolerance_m: body.toleranceM,
            find_radius_m: body.findRadiusM,
            recorded: body.recorded,
          });
          await setOperationSkills(trx, row.id, body.skillIds);
        },
      },
    );
    await this.publish(teamId, operation.id, 'created', auth);
    return this.get(auth, teamId, operation.id);
  }

  async list(auth: Auth, teamId: string): Promise<{ drills: DrillSummary[] }> {
    requireMember(auth, teamId);
    const rows = await listDrillOperations(this.db, teamId);
    const best = await bestShares(
      this.db,
      rows.map((r) => r.id),
    );
    const drills = await Promise.all(
      rows.map(async (r): Promise<DrillSummary> => {
        const participants = await listParticipants(this.db, r.id);
        return {
          id: r.id,
          name: r.name,
          state: r.state,
          recorded: r.recorded,
          time: new Date(r.started_at ?? r.created_at).toISOString(),
          runnerId: participants.find((p) => p.role === 'runner')?.memberId ?? null,
          trackerIds: participants.filter((p) => p.role === 'tracker').map((p) => p.memberId),
          light: r.light,
          bestShareFollowed: best.get(r.id) ?? null,
        };
      }),
    );
    drills.sort((a, b) => b.time.localeCompare(a.time));
    return { drills };
  }

  async get(auth: Auth, teamId: string, id: string): Promise<Drill> {
    const { operation, drill, facts } = await this.load(auth, teamId, id);
    const [skillIds, tracks, finds, scores] = await Promise.all([
      listOperationSkills(this.db, id),
      listTrackInfos(this.db, id),
      listFinds(this.db, id),
      listScores(this.db, id),
    ]);
    // Why a tracker has no score is worked out again only when there is one without.
    const unscored = facts.trackerIds.some((t) => !scores.some((s) => s.tracker_id === t));
    const problems = unscored ? (await scoreStored(this.db, facts)).problems : new Map<string, string>();
    return toDrill({ operation, drill, skillIds, tracks, finds, scores, problems });
  }

  /** Conditions, tolerance, find radius, skills (leader); the drill is scored again. */
  async update(
    auth: Auth,
    teamId: string,
    id: string,
    input: z.input<typeof UpdateDrillBody>,
  ): Promise<Drill> {
    requireLeader(auth, teamId);
    const body = parse(UpdateDrillBody, input);
    if (body.skillIds) await requireTeamSkills(this.db, teamId, body.skillIds);
    const { facts } = await this.load(auth, teamId, id);
    await this.db.transaction().execute(async (trx) => {
      await updateDrillRow(trx, id, {
        ...(body.conditions && { conditions: JSON.stringify(body.conditions) }),
        ...(body.toleranceM !== undefined && { tolerance_m: body.toleranceM }),
        ...(body.findRadiusM !== undefined && { find_radius_m: body.findRadiusM }),
      });
      if (body.skillIds) await setOperationSkills(trx, id, body.skillIds);
      const drill = (await getDrillRow(trx, id)) as DrillRow;
      await rescore(trx, { ...facts, drill }, this.now());
    });
    await this.publish(teamId, id, 'updated', auth);
    return this.get(auth, teamId, id);
  }

  /** Stores a participant's track from a GPX or KML file (a leader, or the participant), and scores the drill. */
  async uploadTrack(
    auth: Auth,
    teamId: string,
    id: string,
    memberId: string,
    file: { data: Uint8Array; fileName?: string },
  ): Promise<Drill> {
    await requireActsFor(this.db, auth, teamId, memberId);
    const { facts } = await this.load(auth, teamId, id);
    requireParticipant(facts, memberId);
    const source = file.fileName ?? 'the file';
    const points = joinTracks(await parseTrackFileAsync(file.data, { source }), source);
    const kind = /<kml[\s>]/i.test(Buffer.from(file.data.subarray(0, 4096)).toString('latin1'))
      ? 'kml'
      : 'gpx';
    await this.db.transaction().execute(async (trx) => {
      await putTrack(trx, {
        operation_id: id,
        member_id: memberId,
        source: kind,
        file_name: file.fileName ?? null,
        points: storedPoints(points),
        point_count: points.length,
        start_time: new Date((points[0] as { timeMs: number }).timeMs),
        end_time: new Date((points.at(-1) as { timeMs: number }).timeMs),
        uploaded_by: actorOf(auth),
      });
      await this.afterTracks(trx, facts);
    });
    await this.publish(teamId, id, 'track', auth);
    return this.get(auth, teamId, id);
  }

  async deleteTrack(auth: Auth, teamId: string, id: string, memberId: string): Promise<Drill> {
    await requireActsFor(this.db, auth, teamId, memberId);
    const { facts } = await this.load(auth, teamId, id);
    requireParticipant(facts, memberId);
    await this.db.transaction().execute(async (trx) => {
      if (!(await deleteTrack(trx, id, memberId))) throw notFound('track');
      await this.afterTracks(trx, facts);
    });
    await this.publish(teamId, id, 'track', auth);
    return this.get(auth, teamId, id);
  }

  /** The find button: the tracker themself, or a leader for a tracker. A second find for a tracker is a conflict. */
  async find(auth: Auth, teamId: string, id: string, input: z.input<typeof FindBody>): Promise<Drill> {
    requireMember(auth, teamId);
    const body = parse(FindBody, input);
    const trackerId = body.trackerId ?? actorOf(auth);
    if (!trackerId) throw badRequest('trackerId', 'required when the caller is not a member');
    await requireActsFor(this.db, auth, teamId, trackerId);
    const { operation, facts } = await this.load(auth, teamId, id);
    if (!facts.trackerIds.includes(trackerId))
      throw badRequest('trackerId', `${trackerId} is not a tracker of this drill`);
    if (operation.state === 'planned') throw conflict('the drill has not started yet', { field: 'drillId' });
    const time = body.time ? new Date(body.time) : this.now();
    await this.db.transaction().execute(async (trx) => {
      const row = { operation_id: id, tracker_id: trackerId, time, source: 'button' as const };
      if (!(await insertFind(trx, { ...row, recorded_by: actorOf(auth) })))
        throw conflict('this tracker has already found the runner', { field: 'trackerId' });
      await rescore(trx, facts, this.now());
    });
    await this.publish(teamId, id, 'find', auth);
    return this.get(auth, teamId, id);
  }

  /** The drill's trails for the map, thinned for display. */
  async tracks(auth: Auth, teamId: string, id: string): Promise<DrillTracks> {
    const { facts } = await this.load(auth, teamId, id);
    const callsigns = await this.callsigns(teamId);
    const features = (await listTracks(this.db, id)).map((t) => {
      const points = thinTrack(pointsOf(t), MAX_DISPLAY_POINTS);
      return {
        type: 'Feature' as const,
        geometry: {
          type: 'LineString' as const,
          coordinates: points.map((p): [number, number] => [p.lon, p.lat]),
        },
        properties: {
          memberId: t.member_id,
          callsign: callsigns.get(t.member_id) ?? '?',
          role: t.member_id === facts.runnerId ? ('runner' as const) : ('tracker' as const),
          times: points.map((p) => p.timeMs),
        },
      };
    });
    return { type: 'FeatureCollection', features };
  }

  /** The drill's trails, whole, as GPX: one track per participant, the runner first. */
  async exportGpx(auth: Auth, teamId: string, id: string): Promise<{ name: string; gpx: string }> {
    const { operation, facts } = await this.load(auth, teamId, id);
    const callsigns = await this.callsigns(teamId);
    const rows = await listTracks(this.db, id);
    rows.sort((a, b) => Number(b.member_id === facts.runnerId) - Number(a.member_id === facts.runnerId));
    const tracks = rows.map((t) => ({
      name: `${callsigns.get(t.member_id) ?? t.member_id} (${t.member_id === facts.runnerId ? 'runner' : 'tracker'})`,
      points: pointsOf(t),
    }));
    return { name: operation.name, gpx: writeGpx(tracks, { name: operation.name }) };
  }

  /** A member's scored drills as tracker, oldest first, with best and trend (their own, or any for a leader). */
  async progress(auth: Auth, teamId: string, memberId: string, skillId?: string): Promise<Progress> {
    await requireActsFor(this.db, auth, teamId, memberId);
    await requireTeamMember(this.db, teamId, memberId, 'memberId', 404);
    const rows = await trackerScores(this.db, teamId, memberId, skillId);
    const points = rows.map((r) => ({
      drillId: r.operation_id,
      name: r.name,
      time: new Date(r.drill_time).toISOString(),
      shareFollowed: r.share_followed,
      shareFollowedSmooth: r.share_followed_smooth,
      meanDeviationM: r.mean_deviation_m,
      timeToFindS: r.time_to_find_s,
    }));
    const samples = points.map((p) => ({ ...p, timeMs: Date.parse(p.time) }));
    const measures = progressOf(samples).map((m) => ({
      ...m,
      best: m.best && {
        drillId: m.best.drillId,
        time: new Date(m.best.timeMs).toISOString(),
        value: m.best.value,
      },
    }));
    return { memberId, skillId: skillId ?? null, points, measures };
  }

  /** After a track changed: the light from the runner's start, a recorded drill's times from its tracks, scores. */
  private async afterTracks(trx: Kysely<DB>, facts: DrillFacts): Promise<void> {
    const tracks = await listTrackInfos(trx, facts.operationId);
    const runner = tracks.find((t) => t.member_id === facts.runnerId);
    const first = runner ? await firstTrackPoint(trx, facts.operationId, runner.member_id) : undefined;
    const light = first ? lightAt(first[0], first[1], first[2]) : null;
    await updateDrillRow(trx, facts.operationId, {
      light: light?.light ?? null,
      sun_elevation: light?.sunElevationDeg ?? null,
    });
    let drillTime = facts.drillTime;
    if (facts.drill.recorded) {
      const starts = tracks.map((t) => new Date(t.start_time).getTime());
      const ends = tracks.map((t) => new Date(t.end_time).getTime());
      const startedAt = starts.length ? new Date(Math.min(...starts)) : null;
      await updateOperation(trx, facts.operationId, {
        started_at: startedAt,
        ended_at: ends.length ? new Date(Math.max(...ends)) : null,
      });
      drillTime = runner ? new Date(runner.start_time) : (startedAt ?? drillTime);
    }
    await rescore(trx, { ...facts, drillTime }, this.now());
  }

  /** The drill and what scoring needs of it; 404 unless it is a tracking drill of the team. */
  async load(
    auth: Auth,
    teamId: string,
    id: string,
  ): Promise<{ operation: Operation; drill: DrillRow; facts: DrillFacts }> {
    const operation = await this.operations.get(auth, teamId, id).catch((e: unknown) => {
      throw e instanceof HowlError && e.status === 404 ? notFound('drill') : e;
    });
    const drill = operation.type === 'tracking' ? await getDrillRow(this.db, id) : undefined;
    if (!drill) throw notFound('drill');
    const runnerId = operation.participants.find((p) => p.role === 'runner')?.memberId ?? null;
    const facts: DrillFacts = {
      operationId: id,
      teamId,
      drill,
      runnerId,
      trackerIds: operation.participants.filter((p) => p.role === 'tracker').map((p) => p.memberId),
      drillTime: new Date(operation.startedAt ?? operation.createdAt),
    };
    return { operation, drill, facts };
  }

  /** Logs and publishes that a drill changed; a drill is always an exercise. */
  async publish(teamId: string, drillId: string, change: DrillChange, auth: Auth = SYSTEM): Promise<void> {
    const by = actorOf(auth);
    const body = { type: 'drill.updated' as const, drillId, change, by };
    const event = await logEvent(this.db, teamId, body, by, this.now(), 'exercise');
    publishEvents(this.bus, teamId, [event]);
  }

  private async callsigns(teamId: string): Promise<Map<string, string>> {
    return new Map((await listMembers(this.db, teamId)).map((m) => [m.id, m.callsign]));
  }
}
