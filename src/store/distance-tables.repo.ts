import type { Kysely, Selectable } from 'kysely';
import type { DB, LostPersonTablesTable } from './schema.ts';

export type LostPersonTableRow = Selectable<LostPersonTablesTable>;

export async function getLostPersonTable(
  db: Kysely<DB>,
  teamId: string,
): Promise<LostPersonTableRow | undefined> {
  return db.selectFrom('lost_person_tables').selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/** Replaces the team's table. */
export async function saveLostPersonTable(
  db: Kysely<DB>,
  row: Omit<LostPersonTableRow, 'profiles'> & { profiles: LostPersonTableRow['profiles'] },
): Promise<LostPersonTableRow> {
  const values = { ...row, profiles: JSON.stringify(row.profiles) };
  return db
    .insertInto('lost_person_tables')
    .values(values)
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        profiles: values.profiles,
        source: values.source,
        updated_by: values.updated_by,
        updated_at: values.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
