import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ContactsTable, DB } from './schema.ts';

export type ContactRow = Selectable<ContactsTable>;

export async function insertContact(db: Kysely<DB>, contact: Insertable<ContactsTable>): Promise<ContactRow> {
  return db.insertInto('contacts').values(contact).returningAll().executeTakeFirstOrThrow();
}

export async function getContact(db: Kysely<DB>, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The team's hostile contacts (of one operation when given), newest first. */
export async function listContacts(
  db: Kysely<DB>,
  teamId: string,
  opts: { operationId?: string; limit?: number } = {},
): Promise<ContactRow[]> {
  let q = db.selectFrom('contacts').selectAll().where('team_id', '=', teamId);
  if (opts.operationId) q = q.where('operation_id', '=', opts.operationId);
  return q
    .orderBy('time', 'desc')
    .orderBy('id')
    .limit(opts.limit ?? 500)
    .execute();
}

export async function updateContact(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<ContactsTable>,
): Promise<ContactRow> {
  return db.updateTable('contacts').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Locks one contact row for the rest of the transaction (two updates at once must not lose one). */
export async function getContactForUpdate(db: Kysely<DB>, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
