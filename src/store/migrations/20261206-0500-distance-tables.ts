import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // The team's own lost-person statistics (distance from the initial planning point per subject category),
  // uploaded as CSV and kept parsed: one table per team, replaced by the next upload.
  await db.schema
    .createTable('lost_person_tables')
    .addColumn('team_id', 'uuid', (c) => c.primaryKey().references('teams.id'))
    .addColumn('profiles', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lost_person_tables').execute();
}
