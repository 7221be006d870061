import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // The team's clock: 24-hour (radio-log style) or 12-hour, for every page.
  await db.schema
    .alterTable('teams')
    .addColumn('clock', 'text', (c) => c.notNull().defaultTo('24h').check(sql`clock in ('24h', '12h')`))
    .execute();

  // The subject of a search: a person who is not a member (the lost walker), in an operation.
  await db.schema
    .createTable('subjects')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 120`))
    .addColumn('description', 'text', (c) => c.notNull().check(sql`char_length(description) <= 5000`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('missing', 'located', 'with_team', 'evacuated', 'stood_down')`),
    )
    .addColumn('last_lat', 'float8', (c) => c.check(sql`last_lat between -90 and 90`))
    .addColumn('last_lon', 'float8', (c) => c.check(sql`last_lon between -180 and 180`))
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('subjects_position_whole', sql`(last_lat is null) = (last_lon is null)`)
    .execute();
  await db.schema.createIndex('subjects_operation').on('subjects').columns(['operation_id']).execute();

  // A casualty is a member of the team or the subject of the search.
  await db.schema
    .alterTable('casualties')
    .alterColumn('member_id', (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable('casualties')
    .addColumn('subject_id', 'uuid', (c) => c.references('subjects.id'))
    .execute();
  await db.schema
    .alterTable('casualties')
    .addCheckConstraint('casualties_one_person', sql`num_nonnulls(member_id, subject_id) = 1`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('casualties').dropConstraint('casualties_one_person').execute();
  await db.schema.alterTable('casualties').dropColumn('subject_id').execute();
  await db.schema.dropTable('subjects').execute();
  await db.schema.alterTable('teams').dropColumn('clock').execute();
}
