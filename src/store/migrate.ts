import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as initial from './migrations/20261125-0001-initial.ts';
import * as operations from './migrations/20261125-0002-operations.ts';
import * as training from './migrations/20261125-0003-training.ts';
import * as messages from './migrations/20261125-0004-messages.ts';
import * as owntracks from './migrations/20261125-0005-owntracks.ts';
import * as hotwash from './migrations/20261203-0001-hotwash.ts';
import * as subjects from './migrations/20261204-0001-subjects.ts';
import * as push from './migrations/20261204-0002-push.ts';
import * as idempotency from './migrations/20261204-0003-idempotency.ts';
import * as webhooks from './migrations/20261204-0004-webhooks.ts';
import * as retention from './migrations/20261205-0001-retention.ts';
import * as leases from './migrations/20261205-0002-leases.ts';
import * as search from './migrations/20261206-0100-search.ts';
import * as offGrid from './migrations/20261206-0300-off-grid.ts';
import * as distanceTables from './migrations/20261206-0500-distance-tables.ts';
import * as detectionDrills from './migrations/20261207-0100-detection-drills.ts';
import type { DB } from './schema.ts';

/** Every migration, in order. Listed here (not read from disk) so they travel in any bundle. */
const MIGRATIONS: Record<string, Migration> = {
  '20261125-0001-initial': initial,
  '20261125-0002-operations': operations,
  '20261125-0003-training': training,
  '20261125-0004-messages': messages,
  '20261125-0005-owntracks': owntracks,
  '20261203-0001-hotwash': hotwash,
  '20261204-0001-subjects': subjects,
  '20261204-0002-push': push,
  '20261204-0003-idempotency': idempotency,
  '20261204-0004-webhooks': webhooks,
  '20261205-0001-retention': retention,
  '20261205-0002-leases': leases,
  '20261206-0100-search': search,
  '20261206-0300-off-grid': offGrid,
  '20261206-0500-distance-tables': distanceTables,
  '20261207-0100-detection-drills': detectionDrills,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'howl_migrations' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
