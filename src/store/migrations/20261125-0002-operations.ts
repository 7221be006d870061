import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('teams')
    .addColumn('separation_m', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('alert_resend_s', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('sos_countdown_s', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('roll_call_deadline_s', 'integer', (c) => c.notNull().defaultTo(180))
    .addColumn('roll_call_repeat_s', 'integer', (c) => c.notNull().defaultTo(900))
    .addColumn('man_down_minutes', 'integer')
    .execute();

  await db.schema
    .createTable('operations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('exercise', 'incident')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('area', 'jsonb')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('escalated_from', 'uuid', (c) => c.references('operations.id'))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('paused_at', 'timestamptz')
    .addColumn('paused_by', 'uuid')
    .addColumn('running_since', 'timestamptz')
    .addColumn('played_s', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('close_override', 'text')
    .addColumn('summary', 'text')
    .execute();
  await db.schema
    .createIndex('operations_team')
    .on('operations')
    .columns(['team_id', 'created_at'])
    .execute();
  // At most one active operation per team, enforced by the database as well as by the rules.
  await db.schema
    .createIndex('operations_one_active')
    .on('operations')
    .column('team_id')
    .unique()
    .where(sql.ref('state'), 'in', ['running', 'paused', 'open'])
    .execute();

  await db.schema
    .createTable('operation_participants')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operation_participants_pk', ['operation_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('injects')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('offset_s', 'integer', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('injects_operation').on('injects').column('operation_id').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.references('operations.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('exercise', 'real')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'cancelled', 'resolved')`))
    .addColumn('sender_id', 'uuid')
    .addColumn('subject_id', 'uuid')
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('lat', 'float8')
    .addColumn('lon', 'float8')
    .addColumn('count', 'integer')
    .addColumn('direction', 'text')
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cancelled_by', 'uuid')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    .addColumn('last_sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alerts_team_state')
    .on('alerts')
    .columns(['team_id', 'state', 'time'])
    .execute();

  await db.schema
    .createTable('alert_acks')
    .addColumn('alert_id', 'uuid', (c) => c.notNull().references('alerts.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_acks_pk', ['alert_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('roll_calls')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_by', 'uuid')
    .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('member_ids', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roll_calls_operation')
    .on('roll_calls')
    .columns(['operation_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('roll_call_answers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('roll_call_id', 'uuid', (c) => c.notNull().references('roll_calls.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('ok', 'injured', 'needs_help', 'missing')`),
    )
    .addColumn('reported_by', 'uuid', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roll_call_answers_rc')
    .on('roll_call_answers')
    .column('roll_call_id')
    .execute();

  await db.schema
    .createTable('casualties')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('triage', 'text', (c) => c.notNull().check(sql`triage in ('green', 'yellow', 'red')`))
    .addColumn('injuries', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evacuated_at', 'timestamptz')
    .addColumn('recovered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('care_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('casualty_id', 'uuid', (c) => c.notNull().references('casualties.id'))
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.references('operations.id'))
    .addColumn('alert_id', 'uuid', (c) => c.references('alerts.id'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lat', 'float8')
    .addColumn('lon', 'float8')
    .addColumn('direction', 'text')
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reported_by', 'uuid', (c) => c.notNull())
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('callout_responses')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('responding', 'arrived', 'unavailable')`),
    )
    .addColumn('eta_minutes', 'integer')
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('callout_responses_pk', ['operation_id', 'member_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'callout_responses',
    'contacts',
    'care_log',
    'casualties',
    'roll_call_answers',
    'roll_calls',
    'alert_acks',
    'alerts',
    'injects',
    'operation_participants',
    'operations',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  for (const c of [
    'separation_m',
    'alert_resend_s',
    'sos_countdown_s',
    'roll_call_deadline_s',
    'roll_call_repeat_s',
    'man_down_minutes',
  ]) {
    await db.schema.alterTable('teams').dropColumn(c).execute();
  }
}
