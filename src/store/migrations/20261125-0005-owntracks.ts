import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // The regions (OwnTracks waypoints) each member's app defines: its latest list, per device.
  await db.schema
    .createTable('owntracks_waypoints')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 200`))
    .addColumn('lat', 'float8', (c) => c.check(sql`lat between -90 and 90`))
    .addColumn('lon', 'float8', (c) => c.check(sql`lon between -180 and 180`))
    .addColumn('radius', 'float8', (c) => c.check(sql`radius >= 0`))
    .addColumn('rid', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('owntracks_waypoints_device')
    .on('owntracks_waypoints')
    .columns(['team_id', 'member_id', 'device_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('owntracks_waypoints').execute();
}
