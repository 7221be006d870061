import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { canRun } from './requirements.ts';
import { createTempPostgres } from './temp-postgres.ts';

export interface Engine {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database of its own. */
  open(): Promise<Database>;
}

/** The PostgreSQL server the tests may create databases on (HOWL_TEST_POSTGRES_URL), if any. */
export const PG_URL = canRun(
  'PostgreSQL tests',
  process.env.HOWL_TEST_POSTGRES_URL ? undefined : 'HOWL_TEST_POSTGRES_URL is not set',
  'set it to a server the tests may create databases on, e.g. postgres://postgres@127.0.0.1:5432/test',
)
  ? process.env.HOWL_TEST_POSTGRES_URL
  : undefined;

/** PostgreSQL gets a new database per test file (created from the test URL, dropped on close). */
async function openTempPostgres(url: string): Promise<Database> {
  const temp = await createTempPostgres(url);
  const database = await openDatabase({ url: temp.url });
  return {
    ...database,
    async close() {
      await database.close();
      await temp.drop();
    },
  };
}

async function migrated(p: Promise<Database>): Promise<Database> {
  const d = await p;
  await migrateToLatest(d.db);
  return d;
}

/** Every engine the store and API tests run on: PGlite always, PostgreSQL when configured. */
export const engines: Engine[] = [
  { name: 'pglite', open: () => migrated(openDatabase({ memory: true })) },
  ...(PG_URL ? [{ name: 'postgres' as const, open: () => migrated(openTempPostgres(PG_URL)) }] : []),
];

/** Empties every table, so tests sharing one database start clean. */
export async function resetDatabase(d: Database): Promise<void> {
  await sql`TRUNCATE events, positions, tokens, devices, members, teams RESTART IDENTITY CASCADE`.execute(
    d.db,
  );
}
