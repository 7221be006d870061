import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { badRequest, notFound } from '../../contract/errors.ts';
import type { CorrectiveAction, HotWash, UpdateActionBody } from '../../contract/hotwash.ts';
import {
  type CorrectiveActionRow,
  getAction,
  getHotWash,
  insertAction,
  listActions,
  saveHotWash,
  updateAction,
} from '../../store/hotwash.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import { getOperation } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const actor = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

/** The hot wash after an operation, and the corrective actions that stay open until done. */
export class HotWashService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The operation's hot wash (empty until written) with its actions; any member of the team reads it. */
  async get(auth: Auth, teamId: string, operationId: string): Promise<HotWash> {
    requireMember(auth, teamId);
    await this.operation(teamId, operationId);
    const row = await getHotWash(this.db, operationId);
    const writer = row?.updated_by ? await getMember(this.db, row.updated_by) : undefined;
    return {
      operationId,
      wentWell: row?.went_well ?? '',
      toImprove: row?.to_improve ?? '',
      updatedAt: iso(row?.updated_at ?? null),
      updatedBy: writer?.callsign ?? null,
      actions: (await listActions(this.db, teamId, { operationId })).map(toAction),
    };
  }

  /** A leader writes it (again). */
  async save(
    auth: Auth,
    teamId: string,
    operationId: string,
    body: { wentWell: string; toImprove: string },
  ): Promise<HotWash> {
    requireLeader(auth, teamId);
    await this.operation(teamId, operationId);
    await saveHotWash(this.db, {
      operation_id: operationId,
      team_id: teamId,
      went_well: body.wentWell,
      to_improve: body.toImprove,
      updated_at: this.now(),
      updated_by: actor(auth),
    });
    return this.get(auth, teamId, operationId);
  }

  async addAction(
    auth: Auth,
    teamId: string,
    operationId: string,
    body: { text: string; ownerId: string | null; dueOn: string | null },
  ): Promise<CorrectiveAction> {
    requireLeader(auth, teamId);
    await this.operation(teamId, operationId);
    if (body.ownerId) await this.owner(teamId, body.ownerId);
    const id = randomUUID();
    await insertAction(this.db, {
      id,
      team_id: teamId,
      operation_id: operationId,
      text: body.text,
      owner_id: body.ownerId,
      due_on: body.dueOn,
      done_at: null,
      created_at: this.now(),
      created_by: actor(auth),
    });
    return this.action(teamId, id);
  }

  /** A leader changes an action; its owner may mark it done (or open it again). */
  async updateAction(
    auth: Auth,
    teamId: string,
    actionId: string,
    patch: UpdateActionBody,
  ): Promise<CorrectiveAction> {
    requireMember(auth, teamId);
    const row = await this.row(teamId, actionId);
    const onlyDone = Object.keys(patch).every((k) => k === 'done');
    const isOwner = auth.kind === 'member' && row.owner_id === auth.memberId;
    if (!(onlyDone && isOwner)) requireLeader(auth, teamId);
    if (patch.ownerId) await this.owner(teamId, patch.ownerId);
    await updateAction(this.db, actionId, {
      ...(patch.text !== undefined && { text: patch.text }),
      ...(patch.ownerId !== undefined && { owner_id: patch.ownerId }),
      ...(patch.dueOn !== undefined && { due_on: patch.dueOn }),
      ...(patch.done !== undefined && { done_at: patch.done ? (row.done_at ?? this.now()) : null }),
    });
    return this.action(teamId, actionId);
  }

  /** The team's actions: all, or the open ones, or one member's. */
  async list(
    auth: Auth,
    teamId: string,
    filter: { open?: boolean; ownerId?: string },
  ): Promise<CorrectiveAction[]> {
    requireMember(auth, teamId);
    return (await listActions(this.db, teamId, filter)).map(toAction);
  }

  private async operation(teamId: string, operationId: string) {
    const op = await getOperation(this.db, operationId);
    if (!op || op.team_id !== teamId) throw notFound('operation');
    return op;
  }

  private async owner(teamId: string, memberId: string) {
    const m = await getMember(this.db, memberId);
    if (!m || m.team_id !== teamId || m.removed_at)
      throw badRequest('ownerId', 'no such member in this team');
  }

  private async row(teamId: string, id: string): Promise<CorrectiveActionRow> {
    const row = await getAction(this.db, id);
    if (!row || row.team_id !== teamId) throw notFound('action');
    return row;
  }

  private async action(teamId: string, id: string): Promise<CorrectiveAction> {
    return toAction(await this.row(teamId, id));
  }
}

function toAction(r: CorrectiveActionRow): CorrectiveAction {
  return {
    id: r.id,
    operationId: r.operation_id,
    text: r.text,
    ownerId: r.owner_id,
    owner: r.owner_callsign,
    dueOn: r.due_on,
    doneAt: iso(r.done_at),
    createdAt: iso(r.created_at) ?? '',
  };
}
