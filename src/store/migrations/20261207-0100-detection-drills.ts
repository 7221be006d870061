import { type Kysely, sql } from 'kysely';

// Detection drills (an exercise of type `detection`): objects placed at known positions, searchers who walk past
// them, and which each searcher found; a team's sweep width may now be fitted from them.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table operations drop constraint if exists operations_type_check`.execute(db);
  await sql`alter table operations add constraint operations_type_check
    check (type in ('general', 'tracking', 'detection'))`.execute(db);
  await sql`alter table sweep_widths drop constraint if exists sweep_widths_source_check`.execute(db);
  await sql`alter table sweep_widths add constraint sweep_widths_source_check
    check (source in ('manual', 'lateral_range', 'detection_range', 'detection_drills'))`.execute(db);

  await db.schema
    .createTable('detection_drills')
    .addColumn('operation_id', 'uuid', (c) => c.primaryKey().references('operations.id').onDelete('cascade'))
    .addColumn('resource_type', 'text', (c) =>
      c.notNull().check(sql`char_length(resource_type) between 1 and 40`),
    )
    .addColumn('visibility', 'text', (c) => c.check(sql`visibility in ('high', 'medium', 'low')`))
    .addColumn('bin_m', 'float8', (c) => c.notNull().check(sql`bin_m > 0`))
    .addColumn('max_range_m', 'float8', (c) => c.notNull().check(sql`max_range_m > 0`))
    .execute();

  await db.schema
    .createTable('detection_objects')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('operation_id', 'uuid', (c) =>
      c.notNull().references('detection_drills.operation_id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull().check(sql`char_length(label) between 1 and 80`))
    .addColumn('lat', 'float8', (c) => c.notNull().check(sql`lat between -90 and 90`))
    .addColumn('lon', 'float8', (c) => c.notNull().check(sql`lon between -180 and 180`))
    .addColumn('notes', 'text', (c) => c.notNull().check(sql`char_length(notes) <= 2000`))
    .execute();
  await db.schema
    .createIndex('detection_objects_operation')
    .on('detection_objects')
    .columns(['operation_id'])
    .execute();

  // One row per object and searcher: whether they found it, entered during the drill or afterwards.
  await db.schema
    .createTable('detection_records')
    .addColumn('operation_id', 'uuid', (c) =>
      c.notNull().references('detection_drills.operation_id').onDelete('cascade'),
    )
    .addColumn('object_id', 'uuid', (c) => c.notNull().references('detection_objects.id').onDelete('cascade'))
    .addColumn('searcher_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('found', 'boolean', (c) => c.notNull())
    .addColumn('recorded_by', 'uuid')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('detection_records_pkey', ['object_id', 'searcher_id'])
    .execute();
  await db.schema
    .createIndex('detection_records_operation')
    .on('detection_records')
    .columns(['operation_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('detection_records').execute();
  await db.schema.dropTable('detection_objects').execute();
  await db.schema.dropTable('detection_drills').execute();
  await sql`alter table sweep_widths drop constraint if exists sweep_widths_source_check`.execute(db);
  await sql`alter table sweep_widths add constraint sweep_widths_source_check
    check (source in ('manual', 'lateral_range', 'detection_range'))`.execute(db);
  await sql`alter table operations drop constraint if exists operations_type_check`.execute(db);
  await sql`alter table operations add constraint operations_type_check
    check (type in ('general', 'tracking'))`.execute(db);
}
