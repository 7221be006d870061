import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // What a radio says of itself besides positions (a Meshtastic node's name and battery).
  await db.schema
    .alterTable('devices')
    .addColumn('name', 'text', (c) => c.check(sql`char_length(name) <= 80`))
    .addColumn('battery', 'real')
    .addColumn('status_at', 'timestamptz')
    .execute();
  // A member's Garmin MapShare feed, polled; where the last poll got to.
  await db.schema
    .createTable('inreach_feeds')
    .addColumn('member_id', 'uuid', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull().check(sql`char_length(url) <= 2048`))
    .addColumn('password', 'text')
    .addColumn('last_point_at', 'timestamptz')
    .addColumn('last_polled_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Each team's secret for Garmin's IPC Outbound webhook.
  await db.schema
    .createTable('inreach_secrets')
    .addColumn('team_id', 'uuid', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inreach_secrets').execute();
  await db.schema.dropTable('inreach_feeds').execute();
  await db.schema
    .alterTable('devices')
    .dropColumn('status_at')
    .dropColumn('battery')
    .dropColumn('name')
    .execute();
}
