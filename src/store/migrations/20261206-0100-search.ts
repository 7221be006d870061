import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // The segments of a search: polygons of an operation, with their probability of area as planned.
  await db.schema
    .createTable('search_segments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 80`))
    .addColumn('polygon', 'jsonb', (c) => c.notNull())
    .addColumn('area_m2', 'float8', (c) => c.notNull().check(sql`area_m2 > 0`))
    .addColumn('poa', 'float8', (c) => c.check(sql`poa between 0 and 1`))
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('search_segments_operation')
    .on('search_segments')
    .columns(['operation_id'])
    .execute();

  // How the POA was set, and the rest of the world's share, per operation.
  await db.schema
    .createTable('search_plans')
    .addColumn('operation_id', 'uuid', (c) => c.primaryKey().references('operations.id'))
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('poa_method', 'text', (c) => c.notNull().check(sql`poa_method in ('direct', 'consensus')`))
    .addColumn('rest_of_world', 'float8', (c) => c.notNull().check(sql`rest_of_world between 0 and 1`))
    .addColumn('planners', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // A member (or K9) sent to search a segment in a sortie, with the sweep width of that resource.
  await db.schema
    .createTable('search_assignments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('operation_id', 'uuid', (c) => c.notNull().references('operations.id'))
    .addColumn('segment_id', 'uuid', (c) => c.notNull().references('search_segments.id'))
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    .addColumn('sortie', 'integer', (c) => c.notNull().check(sql`sortie >= 1`))
    .addColumn('resource_type', 'text', (c) =>
      c.notNull().check(sql`char_length(resource_type) between 1 and 40`),
    )
    .addColumn('sweep_width_m', 'float8', (c) => c.notNull().check(sql`sweep_width_m > 0`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('search_assignments_order', sql`ended_at is null or ended_at >= started_at`)
    .execute();
  await db.schema
    .createIndex('search_assignments_operation')
    .on('search_assignments')
    .columns(['operation_id'])
    .execute();

  // The team's sweep width per resource type: set by hand or fitted from detection drills.
  await db.schema
    .createTable('sweep_widths')
    .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
    .addColumn('resource_type', 'text', (c) =>
      c.notNull().check(sql`char_length(resource_type) between 1 and 40`),
    )
    .addColumn('sweep_width_m', 'float8', (c) => c.notNull().check(sql`sweep_width_m > 0`))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('manual', 'lateral_range', 'detection_range')`),
    )
    .addColumn('details', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('sweep_widths_pkey', ['team_id', 'resource_type'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sweep_widths').execute();
  await db.schema.dropTable('search_assignments').execute();
  await db.schema.dropTable('search_plans').execute();
  await db.schema.dropTable('search_segments').execute();
}
