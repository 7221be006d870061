import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { badRequest, conflict, HowlError, notFound } from '../../contract/errors.ts';
import {
  AssignmentBody,
  type AssignmentBody as AssignmentInput,
  EndAssignmentBody,
  type EndAssignmentBody as EndInput,
  PoaBody,
  type PoaBody as PoaInput,
  type SearchPlan,
  type SearchSegment,
  SegmentBody,
  type SegmentBody as SegmentInput,
  UpdateSegmentBody,
  type UpdateSegmentBody as UpdateSegmentInput,
} from '../../contract/search.ts';
import { segmentAreaM2 } from '../../domain/search-coverage.ts';
import { consensusPoa } from '../../domain/search-planning.ts';
import { listMembers } from '../../store/members.repo.ts';
import { getOperation, type OperationRow } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import {
  endAssignment,
  endOpenAssignments,
  endSortieAssignments,
  getAssignment,
  getSegment,
  getSweepWidth,
  insertAssignments,
  insertSegment,
  lastSortie,
  listSortieAssignments,
  savePoa,
  updateSegment,
} from '../../store/search.repo.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { loadSearchPlan } from './search-plan.ts';

const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);
/** A direct POA table may be off 1 by rounding (e.g. thirds typed as 0.33). */
const SUM_TOLERANCE = 0.005;

type SearchChange = 'segment' | 'poa' | 'assignment';

/**
 * Search planning in an operation (an incident, or an exercise): segments, their POA, searchers assigned to them
 * for a sortie, and the coverage and POD of what they walked (search-plan.ts). Leaders plan; every member sees.
 */
export class SearchService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async plan(auth: Auth, teamId: string, operationId: string): Promise<SearchPlan> {
    requireMember(auth, teamId);
    const op = await this.operation(this.db, teamId, operationId);
    return loadSearchPlan(this.db, op, this.now());
  }

  async addSegment(
    auth: Auth,
    teamId: string,
    operationId: string,
    input: SegmentInput,
  ): Promise<SearchSegment> {
    requireLeader(auth, teamId);
    const body = SegmentBody.parse(input);
    const now = this.now();
    const id = randomUUID();
    const plan = await this.change(auth, teamId, operationId, 'segment', async (trx) => {
      await insertSegment(trx, {
        id,
        team_id: teamId,
        operation_id: operationId,
        name: body.name,
        polygon: body.polygon,
        area_m2: segmentAreaM2(body.polygon),
        created_by: actorOf(auth),
        created_at: now,
        updated_at: now,
      });
    });
    return segmentOf(plan, id);
  }

  async updateSegment(
    auth: Auth,
    teamId: string,
    segmentId: string,
    input: UpdateSegmentInput,
  ): Promise<SearchSegment> {
    requireLeader(auth, teamId);
    const body = UpdateSegmentBody.parse(input);
    const segment = await getSegment(this.db, segmentId);
    if (!segment || segment.team_id !== teamId) throw notFound('segment');
    const plan = await this.change(auth, teamId, segment.operation_id, 'segment', async (trx) => {
      await updateSegment(trx, segmentId, {
        name: body.name,
        ...(body.polygon && { polygon: body.polygon, area_m2: segmentAreaM2(body.polygon) }),
        updated_at: this.now(),
      });
    });
    return segmentOf(plan, segmentId);
  }

  /** Sets the POA of the operation's segments and the rest of the world, by hand or by consensus. */
  async setPoa(auth: Auth, teamId: string, operationId: string, input: PoaInput): Promise<SearchPlan> {
    requireLeader(auth, teamId);
    const body = PoaBody.parse(input);
    return this.change(auth, teamId, operationId, 'poa', async (trx, segmentIds) => {
      const named = body.method === 'direct' ? [body.segments] : body.planners.map((p) => p.segments);
      for (const [i, segments] of named.entries()) {
        const unknown = Object.keys(segments).find((id) => !segmentIds.has(id));
        const at = body.method === 'direct' ? 'segments' : `planners.${i}.segments`;
        if (unknown) throw badRequest(`${at}.${unknown}`, 'no such segment in this operation');
      }
      let poas: Record<string, number>;
      let restOfWorld: number;
      if (body.method === 'direct') {
        poas = body.segments;
        const sum = Object.values(poas).reduce((s, p) => s + p, 0);
        if (sum > 1 + SUM_TOLERANCE) throw badRequest('segments', `the POAs sum to ${round(sum)}, over 1`);
        restOfWorld = body.restOfWorld ?? Math.max(0, 1 - sum);
        if (Math.abs(sum + restOfWorld - 1) > SUM_TOLERANCE) {
          throw badRequest(
            'restOfWorld',
            `segments and the rest of the world sum to ${round(sum + restOfWorld)}, not 1`,
          );
        }
        // Normalised, so that rounding typed by hand leaves an exact distribution.
        const total = sum + restOfWorld;
        poas = Object.fromEntries(Object.entries(poas).map(([id, p]) => [id, p / total]));
        restOfWorld /= total;
      } else {
        const sums = body.planners.map((p) =>
          Object.values(p.segments).reduce((s, w) => s + w, p.restOfWorld),
        );
        const empty = sums.findIndex((s) => s <= 0);
        if (empty >= 0) throw badRequest(`planners.${empty}`, 'the weights sum to zero');
        const table = consensusPoa(body.planners);
        poas = { ...table.segments };
        restOfWorld = table.restOfWorld;
      }
      await savePoa(
        trx,
        {
          operation_id: operationId,
          team_id: teamId,
          poa_method: body.method,
          rest_of_world: restOfWorld,
          planners: body.method === 'consensus' ? body.planners : null,
          updated_at: this.now(),
        },
        new Map(Object.entries(poas)),
      );
    });
  }

  /**
   * Sends members (or K9s) to search a segment in a sortie, from `startedAt` (default now) until ended or sent
   * elsewhere.
   */
  async assign(auth: Auth, teamId: string, operationId: string, input: AssignmentInput): Promise<SearchPlan> {
    requireLeader(auth, teamId);
    const body = AssignmentBody.parse(input);
    const now = this.now();
    return this.change(auth, teamId, operationId, 'assignment', async (trx, segmentIds) => {
      if (!segmentIds.has(body.segmentId)) throw badRequest('segmentId', 'no such segment in this operation');
      const members = new Set((await listMembers(trx, teamId)).map((m) => m.id));
      const unknown = body.memberIds.filter((id) => !members.has(id));
      if (unknown.length > 0) throw badRequest('memberIds', `not members of the team: ${unknown.join(', ')}`);
      if (new Set(body.memberIds).size !== body.memberIds.length)
        throw badRequest('memberIds', 'a member is named twice');
      const sweepWidthM =
        body.sweepWidthM ?? (await getSweepWidth(trx, teamId, body.resourceType))?.sweep_width_m;
      if (sweepWidthM === undefined) {
        throw badRequest('sweepWidthM', `give a sweep width: the team has none for "${body.resourceType}"`);
      }
      const sortie = body.sortie ?? (await lastSortie(trx, body.segmentId)) + 1;
      const startedAt = body.startedAt ? new Date(body.startedAt) : now;
      // A member searches one segment at a time: a new assignment ends the one they were on.
      await endOpenAssignments(trx, operationId, body.memberIds, startedAt);
      await insertAssignments(
        trx,
        body.memberIds.map((memberId) => ({
          id: randomUUID(),
          team_id: teamId,
          operation_id: operationId,
          segment_id: body.segmentId,
          member_id: memberId,
          sortie,
          resource_type: body.resourceType,
          sweep_width_m: sweepWidthM,
          started_at: startedAt,
          ended_at: null,
          created_by: actorOf(auth),
          created_at: now,
        })),
      );
    });
  }

  /** Ends an assignment: what the member walks afterwards is not a search of the segment. */
  async endAssignment(
    auth: Auth,
    teamId: string,
    assignmentId: string,
    input: EndInput = {},
  ): Promise<SearchPlan> {
    requireLeader(auth, teamId);
    const body = EndAssignmentBody.parse(input);
    const row = await getAssignment(this.db, assignmentId);
    if (!row || row.team_id !== teamId) throw notFound('assignment');
    return this.change(auth, teamId, row.operation_id, 'assignment', async (trx) => {
      const current = await getAssignment(trx, assignmentId, true);
      if (current?.ended_at) throw conflict('the assignment has ended already', { field: 'assignmentId' });
      const endedAt = body.endedAt ? new Date(body.endedAt) : this.now();
      if (endedAt < new Date(row.started_at)) throw badRequest('endedAt', 'before the assignment started');
      await endAssignment(trx, assignmentId, endedAt);
    });
  }

  /**
   * Ends a sortie of a segment: every searcher of it still out is called back at `endedAt` (default now), so the
   * sortie's POD is final.
   */
  async endSortie(
    auth: Auth,
    teamId: string,
    segmentId: string,
    sortie: number,
    input: EndInput = {},
  ): Promise<SearchPlan> {
    requireLeader(auth, teamId);
    const body = EndAssignmentBody.parse(input);
    const segment = await getSegment(this.db, segmentId);
    if (!segment || segment.team_id !== teamId) throw notFound('segment');
    return this.change(auth, teamId, segment.operation_id, 'assignment', async (trx) => {
      const rows = await listSortieAssignments(trx, segmentId, sortie);
      if (rows.length === 0) throw notFound('sortie');
      const open = rows.filter((r) => !r.ended_at);
      if (open.length === 0) throw conflict('the sortie has ended already', { field: 'sortie' });
      const endedAt = body.endedAt ? new Date(body.endedAt) : this.now();
      const latestStart = Math.max(...open.map((r) => new Date(r.started_at).getTime()));
      if (endedAt.getTime() < latestStart)
        throw badRequest('endedAt', 'before a searcher of the sortie started');
      await endSortieAssignments(trx, segmentId, sortie, endedAt);
    });
  }

  /** The operation of the team, or 404 (another team's operation is not found). */
  private async operation(db: Kysely<DB>, teamId: string, operationId: string): Promise<OperationRow> {
    const op = await getOperation(db, operationId);
    if (!op || op.team_id !== teamId) throw notFound('operation');
    return op;
  }

  /** Runs a change of an open operation's search in a transaction, logs `search.updated`, returns the new plan. */
  private async change(
    auth: Auth,
    teamId: string,
    operationId: string,
    change: SearchChange,
    work: (trx: Kysely<DB>, segmentIds: ReadonlySet<string>) => Promise<void>,
  ): Promise<SearchPlan> {
    const now = this.now();
    const { plan, event } = await this.db.transaction().execute(async (trx) => {
      const op = await this.operation(trx, teamId, operationId);
      if (op.state === 'closed' || op.state === 'ended') {
        throw new HowlError(
          409,
          'operation_over',
          `the ${op.kind} is ${op.state}: its search cannot change`,
          {
            field: 'operationId',
          },
        );
      }
      const before = await loadSearchPlan(trx, op, now, { figures: false });
      await work(trx, new Set(before.segments.map((s) => s.id)));
      const event = await logEvent(
        trx,
        teamId,
        { type: 'search.updated', operationId, change, by: actorOf(auth) },
        actorOf(auth),
        now,
      );
      return { plan: await loadSearchPlan(trx, op, now), event };
    });
    publishEvents(this.bus, teamId, [event]);
    return plan;
  }
}

function segmentOf(plan: SearchPlan, id: string): SearchSegment {
  const s = plan.segments.find((x) => x.id === id);
  if (!s) throw notFound('segment');
  return s;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
