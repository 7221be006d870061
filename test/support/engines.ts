import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export interface Engine {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database of its own. */
  open(): Promise<Database>;
}

const PG_URL = process.env.HOWL_TEST_POSTGRES_URL;
if (!PG_URL) {
  if (process.env.HOWL_TEST_REQUIRE_ALL)
    throw new Error('HOWL_TEST_REQUIRE_ALL is set but HOWL_TEST_POSTGRES_URL is not');
  console.warn('[howl tests] PostgreSQL tests skipped: set HOWL_TEST_POSTGRES_URL to run them.');
}

/** PostgreSQL gets a new database per test file (created from the test URL, dropped on close). */
async function openTempPostgres(url: string): Promise<Database> {
  const name = `howl_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString() });
  return {
    ...database,
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
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
