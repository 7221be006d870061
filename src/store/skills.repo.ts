import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type { DB, SkillsTable } from './schema.ts';

export type SkillRow = Selectable<SkillsTable>;

/** The team's skills catalogue by name; archived skills only when asked. */
export async function listSkills(db: Kysely<DB>, teamId: string, withArchived = false): Promise<SkillRow[]> {
  let q = db.selectFrom('skills').selectAll().where('team_id', '=', teamId);
  if (!withArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('name').execute();
}

export async function getSkill(db: Kysely<DB>, id: string): Promise<SkillRow | undefined> {
  return db.selectFrom('skills').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A current (not archived) skill of the team with this name, case-insensitive. */
export async function findSkillByName(
  db: Kysely<DB>,
  teamId: string,
  name: string,
): Promise<SkillRow | undefined> {
  return db
    .selectFrom('skills')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('archived_at', 'is', null)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function insertSkill(db: Kysely<DB>, s: Insertable<SkillsTable>): Promise<SkillRow> {
  return db.insertInto('skills').values(s).returningAll().executeTakeFirstOrThrow();
}

export async function updateSkill(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<SkillsTable>,
): Promise<SkillRow> {
  const set = changedColumns(patch);
  if (!set) return db.selectFrom('skills').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('skills').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
