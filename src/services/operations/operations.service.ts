import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LatLon } from '../../contract/common.ts';
import { badRequest, HowlError, notFound } from '../../contract/errors.ts';
import type {
  CreateExerciseBody,
  Operation,
  OperationAction,
  OperationType,
  UpdateExerciseBody,
} from '../../contract/operations.ts';
import { CreateExerciseBody as CreateExerciseSchema } from '../../contract/operations.ts';
import {
  canEditPlan,
  canResumeSuspended,
  canSendInject,
  canStartExercise,
  exerciseTransition,
  incidentName,
  playedSeconds,
} from '../../domain/operation.ts';
import { canCloseIncident } from '../../domain/roll-call.ts';
import { getMember } from '../../store/members.repo.ts';
import {
  deletePendingInjects,
  findActiveOperation,
  findEscalatedTo,
  getOperation,
  insertInjects,
  insertOperation,
  insertParticipants,
  listInjects,
  listOperations,
  listParticipants,
  type OperationRow,
  replaceParticipants,
  updateOperation,
} from '../../store/operations.repo.ts';
import { changedColumns } from '../../store/patch.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { InternalEvents } from '../core/internal-events.ts';
import { incidentAccountability } from '../incidents/accountability.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from './active-operations.ts';
import { suspendAndOpen } from './incident-opening.ts';
import { deliverDueInjects, deliverInject } from './injects.ts';
import { toOperation } from './operation-mapper.ts';

/** How a typed exercise (a tracking drill) is planned: its type, already over or not, and its own rows. */
export interface ExerciseOptions {
  type?: OperationType;
  /** It already happened (recorded afterwards): created ended, without STARTEX or ENDEX times. */
  ended?: boolean;
  /** Adds the type's own rows in the same transaction, after the operation and its participants. */
  extend?: (trx: Kysely<DB>, row: OperationRow) => Promise<void>;
}

const conflict = (message: string, field = 'operation') => new HowlError(409, 'conflict', message, { field });
const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

export class OperationsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly events: InternalEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(auth: Auth, teamId: string): Promise<{ active: Operation | null; operations: Operation[] }> {
    requireMember(auth, teamId);
    const rows = await listOperations(this.db, teamId);
    const operations = await Promise.all(rows.map((r) => this.toOperation(r)));
    const activeRow = await findActiveOperation(this.db, teamId);
    return { active: operations.find((o) => o.id === activeRow?.id) ?? null, operations };
  }

  async get(auth: Auth, teamId: string, id: string): Promise<Operation> {
    requireMember(auth, teamId);
    return this.toOperation(await this.row(teamId, id));
  }

  /** The team's active operation, for snapshots (no access check: callers have done it). */
  async activeOf(teamId: string): Promise<Operation | null> {
    const row = await findActiveOperation(this.db, teamId);
    return row ? this.toOperation(row) : null;
  }

  async createExercise(
    auth: Auth,
    teamId: string,
    input: CreateExerciseBody,
    options: ExerciseOptions = {},
  ): Promise<Operation> {
    requireLeader(auth, teamId);
    const body = CreateExerciseSchema.parse(input);
    const now = this.now();
    return this.change(
      teamId,
      auth,
      'created',
      async (trx) => {
        await checkParticipants(trx, teamId, body.participants);
        const row = await insertOperation(trx, {
          id: randomUUID(),
          team_id: teamId,
          kind: 'exercise',
          name: body.name,
          scenario: body.scenario,
          area: body.area ?? null,
          state: options.ended ? 'ended' : 'planned',
          type: options.type ?? 'general',
          escalated_from: null,
          created_by: actorOf(auth),
          created_at: now,
        });
        await insertParticipants(trx, row.id, body.participants);
        await options.extend?.(trx, row);
        await insertInjects(
          trx,
          body.injects.map((i) => ({
            id: randomUUID(),
            operation_id: row.id,
            offset_s: i.offsetS,
            message: i.message,
          })),
        );
        return row;
      },
      undefined,
      now,
    );
  }

  /** STARTEX, safety time-out, resume, ENDEX. Anyone may call a time-out; the rest is for leaders and controllers. */
  async act(auth: Auth, teamId: string, id: string, action: OperationAction): Promise<Operation> {
    requireMember(auth, teamId);
    if (action !== 'pause') await this.requireDirector(auth, teamId, id);
    const now = this.now();
    const change = { start: 'started', pause: 'paused', resume: 'resumed', end: 'ended' } as const;
    const updated = await this.change(
      teamId,
      auth,
      change[action],
      async (trx) => {
        const op = await this.row(teamId, id, trx);
        const t = exerciseTransition(op, action);
        if (!t.ok) throw conflict(t.reason, 'action');
        if (action === 'start') {
          const check = canStartExercise(await findActiveOperation(trx, teamId));
          if (!check.ok) throw conflict(`cannot start: ${check.reason}`, 'action');
        }
        if (action === 'resume' && op.state === 'suspended') {
          const incidentId = await findEscalatedTo(trx, id);
          const incident = incidentId ? await getOperation(trx, incidentId) : undefined;
          const check = canResumeSuspended(incident, await findActiveOperation(trx, teamId));
          if (!check.ok) throw conflict(`cannot resume: ${check.reason}`, 'action');
        }
        const runningSince = op.running_since ? new Date(op.running_since).getTime() : null;
        const played = playedSeconds(op.played_s, runningSince, now.getTime());
        return updateOperation(trx, id, {
          state: t.state,
          ...(action === 'start' && { started_at: now, running_since: now }),
          ...(action === 'pause' && {
            paused_at: now,
            paused_by: actorOf(auth),
            running_since: null,
            played_s: played,
          }),
          ...(action === 'resume' && { paused_at: null, paused_by: null, running_since: now }),
          ...(action === 'end' && { ended_at: now, running_since: null, played_s: played }),
        });
      },
      undefined,
      now,
    );
    if (action === 'end') await this.events.emit('exercise.ended', { teamId, exercise: updated });
    return updated;
  }

  /** Changes a planned exercise (a leader): each field given replaces the old one whole. */
  async edit(auth: Auth, teamId: string, id: string, body: UpdateExerciseBody): Promise<Operation> {
    requireLeader(auth, teamId);
    return this.change(teamId, auth, 'edited', async (trx) => {
      const op = await this.row(teamId, id, trx);
      const t = canEditPlan(op);
      if (!t.ok) throw conflict(`cannot edit: ${t.reason}`, 'operationId');
      if (body.participants) {
        if (op.type === 'tracking')
          throw badRequest('participants', "a tracking drill's runner and trackers change with the drill");
        if (op.type === 'detection')
          throw badRequest('participants', "a detection drill's searchers change with the drill");
        await checkParticipants(trx, teamId, body.participants);
        await replaceParticipants(trx, id, body.participants);
      }
      if (body.injects) {
        await deletePendingInjects(trx, id);
        await insertInjects(
          trx,
          body.injects.map((i) => ({
            id: randomUUID(),
            operation_id: id,
            offset_s: i.offsetS,
            message: i.message,
          })),
        );
      }
      const area = body.area === undefined ? undefined : body.area && JSON.stringify(body.area);
      const set = changedColumns({ name: body.name, scenario: body.scenario, area });
      return set ? updateOperation(trx, id, set) : op;
    });
  }

  /** A controller sends an inject now, ahead of its time, to a running exercise. */
  async sendInject(auth: Auth, teamId: string, id: string, injectId: string): Promise<Operation> {
    requireMember(auth, teamId);
    await this.requireDirector(auth, teamId, id);
    const op = await this.row(teamId, id);
    const inject = (await listInjects(this.db, id)).find((i) => i.id === injectId);
    if (!inject) throw notFound('inject');
    const t = canSendInject(op, inject.delivered_at !== null);
    if (!t.ok) throw conflict(`cannot send: ${t.reason}`, 'injectId');
    if (!(await deliverInject(this.db, this.bus, op, inject, this.now(), actorOf(auth))))
      throw conflict('cannot send: the inject was delivered already', 'injectId');
    return this.toOperation(await this.row(teamId, id));
  }

  /**
   * "This is not practice anymore": any member, from any client. A running or paused exercise
   * is suspended (its record stays) and a real incident opens; with no exercise it is a callout.
   */
  async escalate(auth: Auth, teamId: string, reason: string, position?: LatLon): Promise<Operation> {
    requireMember(auth, teamId);
    return this.openIncident(auth, teamId, { name: incidentName(reason), reason, position, escalate: true });
  }

  /** A leader calls the team out to a real incident directly. */
  async callout(
    auth: Auth,
    teamId: string,
    name: string,
    reason: string,
    position?: LatLon,
  ): Promise<Operation> {
    requireLeader(auth, teamId);
    return this.openIncident(auth, teamId, { name, reason, position, escalate: false });
  }

  /** Closes an incident: every member accounted for, or an override with a reason. */
  async close(
    auth: Auth,
    teamId: string,
    id: string,
    summary: string,
    override?: string,
  ): Promise<Operation> {
    requireLeader(auth, teamId);
    const now = this.now();
    const op = await this.row(teamId, id);
    if (op.kind !== 'incident' || op.state !== 'open')
      throw conflict(`cannot close: the operation is ${op.kind === 'incident' ? op.state : 'an exercise'}`);
    const check = canCloseIncident(
      await incidentAccountability(this.db, teamId, id, now.getTime()),
      override,
    );
    if (!check.ok) {
      throw new HowlError(409, 'members_unaccounted', `override: ${check.reason}`, {
        field: 'override',
        unaccounted: check.unaccounted,
      });
    }
    const closed = await this.change(
      teamId,
      auth,
      'closed',
      async (trx) => {
        const fresh = await this.row(teamId, id, trx);
        if (fresh.state !== 'open') throw conflict('the incident is already closed');
        return updateOperation(trx, id, {
          state: 'closed',
          ended_at: now,
          summary: summary || null,
          close_override: override ?? null,
        });
      },
      'real',
      now,
    );
    await this.events.emit('incident.closed', {
      teamId,
      operationIds: [id, ...(op.escalated_from ? [op.escalated_from] : [])],
    });
    return closed;
  }
  /** Delivers the injects whose time has come in every running exercise; returns how many. */
  deliverDueInjects(): Promise<number> {
    return deliverDueInjects(this.db, this.bus, this.now());
  }

  private async openIncident(
    auth: Auth,
    teamId: string,
    o: { name: string; reason: string; position?: LatLon; escalate: boolean },
  ): Promise<Operation> {
    const now = this.now();
    const actor = actorOf(auth);
    const { incident, exerciseId, events } = await this.db
      .transaction()
      .execute((trx) => suspendAndOpen(trx, teamId, { ...o, actor, now }));
    this.active.changed(teamId);
    publishEvents(this.bus, teamId, events);
    await this.events.emit('incident.opened', {
      teamId,
      incident,
      exerciseId,
      actorId: actor,
      reason: o.reason,
      position: o.position,
    });
    return incident;
  }

  /** Runs a change in a transaction, logs `operation.updated` with the new state, publishes after commit. */
  private async change(
    teamId: string,
    auth: Auth,
    change: 'created' | 'edited' | 'started' | 'paused' | 'resumed' | 'ended' | 'closed',
    work: (trx: Kysely<DB>) => Promise<OperationRow>,
    mode?: 'exercise' | 'real',
    /** The moment of the change: the operation's own timestamp, so that its event falls inside its window. */
    at: Date = this.now(),
  ): Promise<Operation> {
    const actor = actorOf(auth);
    const { operation, event } = await this.db.transaction().execute(async (trx) => {
      const row = await work(trx);
      const operation = await this.toOperation(row, trx);
      // ENDEX and a time-out still belong to the exercise: they carry its mode.
      const eventMode = mode ?? (row.kind === 'exercise' && row.state !== 'planned' ? 'exercise' : undefined);
      const event = await logEvent(
        trx,
        teamId,
        { type: 'operation.updated', change, by: actor, operation },
        actor,
        at,
        eventMode,
      );
      return { operation, event };
    });
    this.active.changed(teamId);
    publishEvents(this.bus, teamId, [event]);
    return operation;
  }

  private async requireDirector(auth: Auth, teamId: string, id: string): Promise<void> {
    if (auth.kind === 'admin' || auth.role === 'leader') return;
    const controller = (await listParticipants(this.db, id)).some(
      (p) => p.memberId === auth.memberId && p.role === 'controller',
    );
    if (!controller)
      throw new HowlError(403, 'forbidden', 'only a leader or a controller of this exercise may do this');
    requireMember(auth, teamId);
  }

  private async row(teamId: string, id: string, db: Kysely<DB> = this.db): Promise<OperationRow> {
    const op = await getOperation(db, id);
    if (!op || op.team_id !== teamId) throw notFound('operation');
    return op;
  }

  private toOperation(r: OperationRow, db: Kysely<DB> = this.db): Promise<Operation> {
    return toOperation(db, r, this.now().getTime());
  }
}

/** Every participant must be a current member of the team. */
async function checkParticipants(
  db: Kysely<DB>,
  teamId: string,
  participants: ReadonlyArray<{ memberId: string }>,
): Promise<void> {
  for (const p of participants) {
    const m = await getMember(db, p.memberId);
    if (!m || m.team_id !== teamId || m.removed_at)
      throw badRequest('participants', `${p.memberId} is not a member of this team`);
  }
}
