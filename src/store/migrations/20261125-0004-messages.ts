import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('sender_id', 'uuid', (c) => c.references('members.id'))
    .addColumn('sender_callsign', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().check(sql`char_length(text) between 1 and 2000`))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('exercise', 'real')`))
    .addColumn('operation_id', 'uuid', (c) => c.references('operations.id'))
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('lat', 'float8')
    .addColumn('lon', 'float8')
    // The id the sending client gave the message (a TAK GeoChat messageId), so a repeat is stored once.
    .addColumn('external_id', 'text')
    .execute();
  await db.schema.createIndex('messages_team_time').on('messages').columns(['team_id', 'time']).execute();
  await db.schema
    .createIndex('messages_external')
    .on('messages')
    .columns(['team_id', 'source', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('messages').execute();
}
