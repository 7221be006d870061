import type { Kysely, Selectable, Updateable } from 'kysely';
import type { CorrectiveActionsTable, DB, HotWashesTable } from './schema.ts';

export type HotWashRow = Selectable<HotWashesTable>;
export type CorrectiveActionRow = Selectable<CorrectiveActionsTable> & { owner_callsign: string | null };

export async function getHotWash(db: Kysely<DB>, operationId: string): Promise<HotWashRow | undefined> {
  return db.selectFrom('hot_washes').selectAll().where('operation_id', '=', operationId).executeTakeFirst();
}

/** Writes the hot wash of an operation, the first time or again. */
export async function saveHotWash(db: Kysely<DB>, row: HotWashRow): Promise<HotWashRow> {
  return db
    .insertInto('hot_washes')
    .values(row)
    .onConflict((oc) =>
      oc.column('operation_id').doUpdateSet({
        went_well: row.went_well,
        to_improve: row.to_improve,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

function actions(db: Kysely<DB>) {
  return db
    .selectFrom('corrective_actions as a')
    .leftJoin('members as m', 'm.id', 'a.owner_id')
    .selectAll('a')
    .select('m.callsign as owner_callsign');
}

export async function listActions(
  db: Kysely<DB>,
  teamId: string,
  filter: { operationId?: string; open?: boolean; ownerId?: string },
): Promise<CorrectiveActionRow[]> {
  let q = actions(db).where('a.team_id', '=', teamId);
  if (filter.operationId) q = q.where('a.operation_id', '=', filter.operationId);
  if (filter.ownerId) q = q.where('a.owner_id', '=', filter.ownerId);
  if (filter.open) q = q.where('a.done_at', 'is', null);
  return q.orderBy('a.created_at').orderBy('a.id').execute();
}

export async function getAction(db: Kysely<DB>, id: string): Promise<CorrectiveActionRow | undefined> {
  return actions(db).where('a.id', '=', id).executeTakeFirst();
}

export async function insertAction(db: Kysely<DB>, row: Selectable<CorrectiveActionsTable>): Promise<void> {
  await db.insertInto('corrective_actions').values(row).execute();
}

export async function updateAction(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<CorrectiveActionsTable>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('corrective_actions').set(patch).where('id', '=', id).execute();
}
