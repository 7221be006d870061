import { type Kysely, sql } from 'kysely';

// Tracking drills (an exercise of type `tracking`), K9s as members of kind `animal`, the skills catalogue,
// qualifications, the training calendar and attendance.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('members')
    .addColumn('kind', 'text', (c) =>
      c.notNull().defaultTo('person').check(sql`kind in ('person', 'animal')`),
    )
    .addColumn('handler_id', 'uuid', (c) => c.references('members.id'))
    .execute();

  await db.schema
    .alterTable('operations')
    .addColumn('type', 'text', (c) =>
      c.notNull().defaultTo('general').check(sql`type in ('general', 'tracking')`),
    )
    .execute();

  await db.schema
    .createTable('skills')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('required', 'boolean', (c) => c.notNull().defaultTo(false))
    // Who the skill is for: a K9 needs no first aid sign-off, a handler no trailing certificate.
    .addColumn('applies_to', 'text', (c) =>
      c.notNull().defaultTo('all').check(sql`applies_to in ('all', 'person', 'animal')`),
    )
    .addColumn('validity_months', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('skills_team_name')
    .on('skills')
    .expression(sql`team_id, lower(name)`)
    .unique()
    .where(sql.ref('archived_at'), 'is', null)
    .execute();

  // Skills an operation (exercise, drill) practised.
  await db.schema
    .createTable('operation_skills')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('skill_id', 'uuid', (c) => c.notNull().references('skills.id'))
    .addPrimaryKeyConstraint('operation_skills_pk', ['operation_id', 'skill_id'])
    .execute();

  await db.schema
    .createTable('drills')
    .addColumn('operation_id', 'uuid', (c) => c.primaryKey().references('operations.id'))
    .addColumn('conditions', 'jsonb', (c) => c.notNull())
    .addColumn('tolerance_m', 'float8', (c) => c.notNull().defaultTo(20))
    .addColumn('find_radius_m', 'float8', (c) => c.notNull().defaultTo(10))
    // day | dusk | night and the sun's elevation (degrees), computed with suncalc from the trail's start.
    .addColumn('light', 'text')
    .addColumn('sun_elevation', 'float8')
    // true: recorded afterwards from uploaded files rather than run live.
    .addColumn('recorded', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  // One track per drill participant: from live positions or an uploaded GPX/KML file.
  await db.schema
    .createTable('drill_tracks')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('live', 'gpx', 'kml')`))
    .addColumn('file_name', 'text')
    // [[lat, lon, timeMs], …] in time order
    .addColumn('points', 'jsonb', (c) => c.notNull())
    .addColumn('point_count', 'integer', (c) => c.notNull())
    .addColumn('start_time', 'timestamptz', (c) => c.notNull())
    .addColumn('end_time', 'timestamptz', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('drill_tracks_pk', ['operation_id', 'member_id'])
    .execute();

  // A find as recorded by the tracker (the button) or detected from positions.
  await db.schema
    .createTable('drill_finds')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('tracker_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('time', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('button', 'detected')`))
    .addColumn('recorded_by', 'uuid')
    .addPrimaryKeyConstraint('drill_finds_pk', ['operation_id', 'tracker_id'])
    .execute();

  // The latest score of each tracker in a drill; the columns used by progress charts are kept apart from the
  // whole score (jsonb).
  await db.schema
    .createTable('drill_scores')
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('tracker_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('drill_time', 'timestamptz', (c) => c.notNull())
    .addColumn('share_followed', 'float8', (c) => c.notNull())
    .addColumn('share_followed_smooth', 'float8', (c) => c.notNull())
    .addColumn('mean_deviation_m', 'float8', (c) => c.notNull())
    .addColumn('time_to_find_s', 'float8')
    .addColumn('score', 'jsonb', (c) => c.notNull())
    .addColumn('scored_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('drill_scores_pk', ['operation_id', 'tracker_id'])
    .execute();
  await db.schema
    .createIndex('drill_scores_tracker')
    .on('drill_scores')
    .columns(['tracker_id', 'drill_time'])
    .execute();

  await db.schema
    .createTable('qualifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('skill_id', 'uuid', (c) => c.notNull().references('skills.id'))
    .addColumn('signed_off_by', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('qualifications_member')
    .on('qualifications')
    .columns(['member_id', 'skill_id'])
    .execute();

  await db.schema
    .createTable('training_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('cancelled_at', 'timestamptz')
    .addCheckConstraint('training_sessions_time', sql`ends_at > starts_at`)
    .execute();
  await db.schema
    .createIndex('training_sessions_team')
    .on('training_sessions')
    .columns(['team_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('training_session_skills')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('training_sessions.id'))
    .addColumn('skill_id', 'uuid', (c) => c.notNull().references('skills.id'))
    .addPrimaryKeyConstraint('training_session_skills_pk', ['session_id', 'skill_id'])
    .execute();

  await db.schema
    .createTable('attendance')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('training_sessions.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('present', 'absent', 'excused')`))
    .addColumn('recorded_by', 'uuid')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['session_id', 'member_id'])
    .execute();
}
