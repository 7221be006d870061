import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // An operation's hot wash: what went well, what to improve (one per operation).
  await db.schema
    .createTable('hot_washes')
    .addColumn('operation_id', 'uuid', (c) => c.primaryKey().references('operations.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('went_well', 'text', (c) => c.notNull().check(sql`char_length(went_well) <= 20000`))
    .addColumn('to_improve', 'text', (c) => c.notNull().check(sql`char_length(to_improve) <= 20000`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('members.id'))
    .execute();
  // Corrective actions coming out of it: an owner, a due date, open until marked done.
  await db.schema
    .createTable('corrective_actions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('text', 'text', (c) => c.notNull().check(sql`char_length(text) between 1 and 2000`))
    .addColumn('owner_id', 'uuid', (c) => c.references('members.id'))
    // A calendar day, YYYY-MM-DD: text, so that both engines give it back as written.
    .addColumn('due_on', 'text', (c) => c.check(sql`due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('done_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('members.id'))
    .execute();
  await db.schema
    .createIndex('corrective_actions_team')
    .on('corrective_actions')
    .columns(['team_id', 'done_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('corrective_actions').execute();
  await db.schema.dropTable('hot_washes').execute();
}
