import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  CreateDetectionDrillBody,
  type DetectionDrill,
  type DetectionDrillSummary,
  type DetectionSheet,
  RecordFindBody,
  ReplaceObjectsBody,
} from '../../contract/detection-drills.ts';
import { badRequest, HowlError, notFound } from '../../contract/errors.ts';
import type { Operation } from '../../contract/operations.ts';
import { fitDetectionTrials } from '../../domain/detection-drill.ts';
import { thinTrack } from '../../domain/thin-track.ts';
import {
  type DetectionDrillRow,
  getDetectionDrillRow,
  insertDetectionDrill,
  listDetectionObjects,
  listDetectionOperations,
  listDetectionRecords,
  replaceDetectionObjects,
  upsertDetectionRecord,
} from '../../store/detection-drills.repo.ts';
import { listMembers } from '../../store/members.repo.ts';
import { listParticipants } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import { loadDetectionData } from './detection-trials.ts';
import { requireActsFor, requireTeamMember } from './drill-access.ts';

const MAX_DISPLAY_POINTS = 2000;
const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);
const iso = (d: Date | string) => new Date(d).toISOString();

/** Parses input the routes have not checked (the CLI, other services): a 400 naming the field. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw badRequest(issue?.path.join('.') || 'body', issue?.message ?? 'invalid');
}

const conflict = (message: string) => new HowlError(409, 'conflict', message, { field: 'drillId' });

interface Loaded {
  operation: Operation;
  drill: DetectionDrillRow;
  searcherIds: string[];
}

/**
 * Detection drills: an exercise of type `detection` with searchers and placed objects; which object each searcher
 * found, entered on the phone during the drill or afterwards; and the lateral range curve fitted from them
 * (domain/detection-drill.ts). Start and end are the operation's own actions.
 */
export class DetectionDrillsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly operations: OperationsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    auth: Auth,
    teamId: string,
    input: z.input<typeof CreateDetectionDrillBody>,
  ): Promise<DetectionDrill> {
    requireLeader(auth, teamId);
    const body = parse(CreateDetectionDrillBody, input);
    if (new Set(body.searcherIds).size !== body.searcherIds.length)
      throw badRequest('searcherIds', 'a searcher is listed twice');
    for (const id of body.searcherIds) await requireTeamMember(this.db, teamId, id, 'searcherIds');
    if (body.objects.some((o) => o.id)) throw badRequest('objects', 'new objects take no id');
    const operation = await this.operations.createExercise(
      auth,
      teamId,
      {
        name: body.name,
        scenario: body.scenario,
        area: body.area,
        participants: body.searcherIds.map((memberId) => ({ memberId, role: 'searcher' as const })),
        injects: [],
      },
      {
        type: 'detection',
        extend: async (trx, row) => {
          await insertDetectionDrill(trx, {
            operation_id: row.id,
            resource_type: body.resourceType,
            visibility: body.visibility ?? null,
            bin_m: body.binM,
            max_range_m: body.maxRangeM,
          });
          await replaceDetectionObjects(trx, row.id, objectRows(row.id, body.objects));
        },
      },
    );
    await this.publish(teamId, operation.id, 'created', auth);
    return this.get(auth, teamId, operation.id);
  }

  async list(auth: Auth, teamId: string): Promise<{ drills: DetectionDrillSummary[] }> {
    requireMember(auth, teamId);
    const rows = await listDetectionOperations(this.db, teamId);
    const drills = await Promise.all(
      rows.map(async (r): Promise<DetectionDrillSummary> => {
        const [participants, objects] = await Promise.all([
          listParticipants(this.db, r.id),
          listDetectionObjects(this.db, r.id),
        ]);
        return {
          id: r.id,
          name: r.name,
          state: r.state,
          time: iso(r.started_at ?? r.created_at),
          resourceType: r.resource_type,
          searcherIds: participants.filter((p) => p.role === 'searcher').map((p) => p.memberId),
          objectCount: objects.length,
        };
      }),
    );
    drills.sort((a, b) => b.time.localeCompare(a.time));
    return { drills };
  }

  /**
   * The drill with its objects, records, trials and fit. Searchers of a drill not yet ended are refused: the
   * objects' positions are what they are looking for (their phone reads `sheet`).
   */
  async get(auth: Auth, teamId: string, id: string): Promise<DetectionDrill> {
    const { operation, drill, searcherIds } = await this.load(auth, teamId, id);
    if (
      auth.kind === 'member' &&
      auth.role !== 'leader' &&
      searcherIds.includes(auth.memberId) &&
      operation.state !== 'ended'
    ) {
      throw new HowlError(403, 'forbidden', 'a searcher sees where the objects are after ENDEX');
    }
    const callsigns = new Map((await listMembers(this.db, teamId)).map((m) => [m.id, m.callsign]));
    const data = await loadDetectionData(this.db, facts(teamId, operation, drill), this.now(), {
      names: callsigns,
    });
    const fit = fitDetectionTrials(data.trials, drill.bin_m);
    const problems = [...data.problems];
    if (operation.startedAt && !fit) problems.push('no counted trials: no sweep width');
    return {
      operation,
      resourceType: drill.resource_type,
      visibility: drill.visibility,
      binM: drill.bin_m,
      maxRangeM: drill.max_range_m,
      searcherIds,
      objects: data.objects.map((o) => ({
        id: o.id,
        label: o.label,
        lat: o.lat,
        lon: o.lon,
        notes: o.notes,
      })),
      records: data.records.map((r) => ({
        objectId: r.object_id,
        searcherId: r.searcher_id,
        found: r.found,
        recordedBy: r.recorded_by,
        recordedAt: iso(r.recorded_at),
      })),
      trials: [...data.trials],
      tracks: data.tracks.map((t) => ({
        searcherId: t.searcherId,
        coordinates: thinTrack(t.points, MAX_DISPLAY_POINTS).map((p): [number, number] => [p.lon, p.lat]),
      })),
      fit: fit && { ...fit, binM: drill.bin_m, bins: [...fit.bins] },
      problems,
    };
  }

  /** The objects as a whole (leader), until ENDEX; an object given with its id keeps its records. */
  async replaceObjects(
    auth: Auth,
    teamId: string,
    id: string,
    input: z.input<typeof ReplaceObjectsBody>,
  ): Promise<DetectionDrill> {
    requireLeader(auth, teamId);
    const body = parse(ReplaceObjectsBody, input);
    const { operation } = await this.load(auth, teamId, id);
    if (operation.state === 'ended') throw conflict('the drill has ended: its objects stay as they were');
    const known = new Set((await listDetectionObjects(this.db, id)).map((o) => o.id));
    const ids = body.objects.flatMap((o) => (o.id ? [o.id] : []));
    body.objects.forEach((o, i) => {
      if (o.id && !known.has(o.id))
        throw badRequest(`objects.${i}.id`, `${o.id} is not an object of this drill`);
    });
    if (new Set(ids).size !== ids.length) throw badRequest('objects', 'an object is listed twice');
    await this.db.transaction().execute(async (trx) => {
      await replaceDetectionObjects(trx, id, objectRows(id, body.objects));
    });
    await this.publish(teamId, id, 'updated', auth);
    return this.get(auth, teamId, id);
  }

  /**
   * Whether a searcher found an object: the searcher (or a K9's handler), a leader, or a controller of the drill;
   * from STARTEX on, and after ENDEX (records are often entered afterwards). A second record replaces the first.
   */
  async record(
    auth: Auth,
    teamId: string,
    id: string,
    input: z.input<typeof RecordFindBody>,
  ): Promise<DetectionSheet> {
    requireMember(auth, teamId);
    const body = parse(RecordFindBody, input);
    const searcherId = body.searcherId ?? actorOf(auth);
    if (!searcherId) throw badRequest('searcherId', 'required when the caller is not a member');
    const { operation, searcherIds } = await this.load(auth, teamId, id);
    if (!searcherIds.includes(searcherId))
      throw badRequest('searcherId', `${searcherId} is not a searcher of this drill`);
    if (!isController(auth, operation)) await requireActsFor(this.db, auth, teamId, searcherId);
    const objects = await listDetectionObjects(this.db, id);
    if (!objects.some((o) => o.id === body.objectId))
      throw badRequest('objectId', `${body.objectId} is not an object of this drill`);
    if (operation.state === 'planned') throw conflict('the drill has not started yet');
    await upsertDetectionRecord(this.db, {
      operation_id: id,
      object_id: body.objectId,
      searcher_id: searcherId,
      found: body.found,
      recorded_by: actorOf(auth),
      recorded_at: this.now(),
    });
    await this.publish(teamId, id, 'find', auth);
    return this.sheet(auth, teamId, id, searcherId);
  }

  /** A searcher's sheet: the objects' labels (not where they are) and which they found. */
  async sheet(auth: Auth, teamId: string, id: string, searcherId?: string): Promise<DetectionSheet> {
    const { operation, searcherIds } = await this.load(auth, teamId, id);
    const who = searcherId ?? actorOf(auth);
    if (!who || !searcherIds.includes(who))
      throw badRequest('searcherId', `${who ?? 'the caller'} is not a searcher of this drill`);
    const [objects, records] = await Promise.all([
      listDetectionObjects(this.db, id),
      listDetectionRecords(this.db, [id]),
    ]);
    const found = new Set(records.filter((r) => r.searcher_id === who && r.found).map((r) => r.object_id));
    return {
      drillId: id,
      name: operation.name,
      state: operation.state,
      searcherId: who,
      objects: objects.map((o) => ({ id: o.id, label: o.label, found: found.has(o.id) })),
    };
  }

  /** The drill; 404 unless it is a detection drill of the team. */
  async load(auth: Auth, teamId: string, id: string): Promise<Loaded> {
    const operation = await this.operations.get(auth, teamId, id).catch((e: unknown) => {
      throw e instanceof HowlError && e.status === 404 ? notFound('drill') : e;
    });
    const drill = operation.type === 'detection' ? await getDetectionDrillRow(this.db, id) : undefined;
    if (!drill) throw notFound('drill');
    const searcherIds = operation.participants.filter((p) => p.role === 'searcher').map((p) => p.memberId);
    return { operation, drill, searcherIds };
  }

  private async publish(
    teamId: string,
    drillId: string,
    change: 'created' | 'updated' | 'find',
    auth: Auth,
  ): Promise<void> {
    const by = actorOf(auth);
    const body = { type: 'drill.updated' as const, drillId, change, by };
    const event = await logEvent(this.db, teamId, body, by, this.now(), 'exercise');
    publishEvents(this.bus, teamId, [event]);
  }
}

/** What the trials of a drill are computed from. */
export function facts(teamId: string, operation: Operation, drill: DetectionDrillRow) {
  return {
    operationId: operation.id,
    teamId,
    startedAt: operation.startedAt ? new Date(operation.startedAt) : null,
    endedAt: operation.endedAt ? new Date(operation.endedAt) : null,
    maxRangeM: drill.max_range_m,
  };
}

const isController = (auth: Auth, operation: Operation) =>
  auth.kind === 'member' &&
  operation.participants.some((p) => p.memberId === auth.memberId && p.role === 'controller');

function objectRows(
  operationId: string,
  objects: readonly { id?: string; label: string; lat: number; lon: number; notes: string }[],
) {
  return objects.map((o, position) => ({
    id: o.id ?? randomUUID(),
    operation_id: operationId,
    position,
    label: o.label,
    lat: o.lat,
    lon: o.lon,
    notes: o.notes,
  }));
}
