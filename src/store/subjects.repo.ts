import type { Kysely, Selectable, Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type { DB, SubjectsTable } from './schema.ts';

export type SubjectRow = Selectable<SubjectsTable>;

export async function insertSubject(
  db: Kysely<DB>,
  s: Omit<SubjectRow, 'last_seen_at' | 'last_lat' | 'last_lon'> &
    Partial<Pick<SubjectRow, 'last_seen_at' | 'last_lat' | 'last_lon'>>,
): Promise<SubjectRow> {
  return db.insertInto('subjects').values(s).returningAll().executeTakeFirstOrThrow();
}

/** A subject; `lock` holds it until the transaction ends. */
export async function getSubject(db: Kysely<DB>, id: string, lock = false): Promise<SubjectRow | undefined> {
  const q = db.selectFrom('subjects').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The subjects of an operation, oldest first. */
export async function listSubjects(db: Kysely<DB>, operationId: string): Promise<SubjectRow[]> {
  return db
    .selectFrom('subjects')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Names of subjects by id (casualty records name them). */
export async function subjectNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('subjects').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function updateSubject(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<SubjectsTable>,
): Promise<SubjectRow> {
  const set = changedColumns(patch);
  if (!set) return db.selectFrom('subjects').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('subjects').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
