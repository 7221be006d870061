import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // Which node of a cluster runs each periodic job, until when: taken over once it lapses.
  await db.schema
    .createTable('cluster_leases')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('until', 'timestamptz', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_leases').execute();
}
