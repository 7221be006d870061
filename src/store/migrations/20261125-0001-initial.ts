import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('base_lat', 'float8')
    .addColumn('base_lon', 'float8')
    .addColumn('stale_seconds', 'integer', (c) => c.notNull().defaultTo(120))
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Team names are looked up regardless of case, so they are unique regardless of case.
  await db.schema.createIndex('teams_name_lower').on('teams').expression(sql`lower(name)`).unique().execute();

  await db.schema
    .createTable('members')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('callsign', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('leader', 'member')`))
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('removed_at', 'timestamptz')
    .execute();
  // A callsign is unique among the team's current members; a removed member frees it.
  await db.schema
    .createIndex('members_team_callsign')
    .on('members')
    .columns(['team_id', 'callsign'])
    .unique()
    .where(sql.ref('removed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('devices_member').on('devices').column('member_id').execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('device', 'session', 'login')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('tokens_member').on('tokens').column('member_id').execute();

  await db.schema
    .createTable('positions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lat', 'float8', (c) => c.notNull())
    .addColumn('lon', 'float8', (c) => c.notNull())
    .addColumn('accuracy', 'float8')
    .addColumn('altitude', 'float8')
    .addColumn('speed', 'float8')
    .addColumn('bearing', 'float8')
    .addColumn('battery', 'float8')
    .addColumn('alarm', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('exercise', 'real')`))
    .execute();
  await db.schema
    .createIndex('positions_member_time')
    .on('positions')
    .columns(['member_id', 'time'])
    .execute();
  await db.schema.createIndex('positions_team_time').on('positions').columns(['team_id', 'time']).execute();

  await db.schema
    .createTable('events')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('exercise', 'real')`))
    .addColumn('actor_id', 'uuid')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['team_id', 'seq'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['events', 'positions', 'tokens', 'devices', 'members', 'teams']) {
    await db.schema.dropTable(t).execute();
  }
}
