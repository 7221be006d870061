import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DB, InjectsTable, OperationsTable } from './schema.ts';

export type OperationRow = Selectable<OperationsTable>;
export type InjectRow = Selectable<InjectsTable>;

export async function insertOperation(
  db: Kysely<DB>,
  op: {
    id: string;
    team_id: string;
    kind: 'exercise' | 'incident';
    name: string;
    scenario: string;
    area: unknown;
    state: OperationRow['state'];
    escalated_from: string | null;
    created_by: string | null;
    created_at: Date;
    started_at?: Date | null;
    running_since?: Date | null;
    type?: 'general' | 'tracking' | 'detection';
  },
): Promise<OperationRow> {
  return db
    .insertInto('operations')
    .values({ ...op, area: op.area == null ? null : JSON.stringify(op.area) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getOperation(db: Kysely<DB>, id: string): Promise<OperationRow | undefined> {
  return db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The team's running or paused exercise or open incident (at most one, by a unique index). */
export async function findActiveOperation(db: Kysely<DB>, teamId: string): Promise<OperationRow | undefined> {
  return db
    .selectFrom('operations')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('state', 'in', ['running', 'paused', 'open'])
    .executeTakeFirst();
}

export async function listOperations(db: Kysely<DB>, teamId: string, limit = 100): Promise<OperationRow[]> {
  return db
    .selectFrom('operations')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function updateOperation(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<OperationsTable>,
): Promise<OperationRow> {
  return db
    .updateTable('operations')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The incident that suspended an exercise, if any. */
export async function findEscalatedTo(db: Kysely<DB>, exerciseId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('operations')
    .select('id')
    .where('escalated_from', '=', exerciseId)
    .executeTakeFirst();
  return r?.id;
}

/** Replaces an operation's participants (a planned exercise being edited). */
export async function replaceParticipants(
  db: Kysely<DB>,
  operationId: string,
  participants: ReadonlyArray<{ memberId: string; role: string }>,
): Promise<void> {
  await db.deleteFrom('operation_participants').where('operation_id', '=', operationId).execute();
  await insertParticipants(db, operationId, participants);
}

/** Drops the injects not yet delivered (a planned exercise's, before new ones replace them). */
export async function deletePendingInjects(db: Kysely<DB>, operationId: string): Promise<void> {
  await db
    .deleteFrom('injects')
    .where('operation_id', '=', operationId)
    .where('delivered_at', 'is', null)
    .execute();
}

export async function insertParticipants(
  db: Kysely<DB>,
  operationId: string,
  participants: ReadonlyArray<{ memberId: string; role: string }>,
): Promise<void> {
  if (participants.length === 0) return;
  await db
    .insertInto('operation_participants')
    .values(participants.map((p) => ({ operation_id: operationId, member_id: p.memberId, role: p.role })))
    .execute();
}

export async function listParticipants(
  db: Kysely<DB>,
  operationId: string,
): Promise<Array<{ memberId: string; role: string }>> {
  const rows = await db
    .selectFrom('operation_participants')
    .select(['member_id', 'role'])
    .where('operation_id', '=', operationId)
    .execute();
  return rows.map((r) => ({ memberId: r.member_id, role: r.role }));
}

export async function insertInjects(
  db: Kysely<DB>,
  injects: ReadonlyArray<{ id: string; operation_id: string; offset_s: number; message: string }>,
): Promise<void> {
  if (injects.length === 0) return;
  await db
    .insertInto('injects')
    .values([...injects])
    .execute();
}

export async function listInjects(db: Kysely<DB>, operationId: string): Promise<InjectRow[]> {
  return db
    .selectFrom('injects')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('offset_s')
    .execute();
}

/** Marks an inject delivered; undefined when it already was (another node or tick got it first). */
export async function markInjectDelivered(
  db: Kysely<DB>,
  id: string,
  at: Date,
): Promise<InjectRow | undefined> {
  return db
    .updateTable('injects')
    .set({ delivered_at: at })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Running exercises with undelivered injects, across teams: what the inject clock looks at. */
export async function runningExercisesWithPendingInjects(db: Kysely<DB>): Promise<OperationRow[]> {
  return db
    .selectFrom('operations')
    .selectAll()
    .where('state', '=', 'running')
    .where('kind', '=', 'exercise')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('injects')
          .select('injects.id')
          .whereRef('injects.operation_id', '=', 'operations.id')
          .where('injects.delivered_at', 'is', null),
      ),
    )
    .execute();
}

/** Teams with an active operation: what the alert monitor looks at. */
export async function activeOperations(db: Kysely<DB>): Promise<OperationRow[]> {
  return db
    .selectFrom('operations')
    .selectAll()
    .where('state', 'in', ['running', 'paused', 'open'])
    .execute();
}
