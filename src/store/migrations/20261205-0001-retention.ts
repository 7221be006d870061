import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on the current DB type
export async function up(db: Kysely<any>): Promise<void> {
  // How long a team keeps its positions (`howl prune` removes older ones); null keeps everything.
  await db.schema.alterTable('teams').addColumn('keep_positions_days', 'integer').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('teams').dropColumn('keep_positions_days').execute();
}
