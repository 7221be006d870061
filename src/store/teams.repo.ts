import type { Kysely, Selectable, Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type { DB, TeamsTable } from './schema.ts';

export type TeamRow = Selectable<TeamsTable>;

export async function insertTeam(db: Kysely<DB>, team: { id: string; name: string }): Promise<TeamRow> {
  return db.insertInto('teams').values(team).returningAll().executeTakeFirstOrThrow();
}

export async function getTeam(db: Kysely<DB>, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(db: Kysely<DB>, name: string): Promise<TeamRow | undefined> {
  return db
    .selectFrom('teams')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function listTeams(db: Kysely<DB>): Promise<TeamRow[]> {
  return db.selectFrom('teams').selectAll().orderBy('created_at').execute();
}

export async function updateTeam(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<TeamsTable>,
): Promise<TeamRow> {
  const set = changedColumns(patch);
  if (!set) return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('teams').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
