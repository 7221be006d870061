import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { ensurePrivateDir } from './data-dir.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** The embedded database's files as a gzipped tarball, consistent while it serves (none for PostgreSQL). */
  dump?(): Promise<Uint8Array>;
}

export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

// Positions and events come back as numbers and dates on both engines.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// JSON columns come back parsed on both engines (PGlite parses them too): the store's one place for it.
pg.types.setTypeParser(pg.types.builtins.JSON, (v) => JSON.parse(v));
pg.types.setTypeParser(pg.types.builtins.JSONB, (v) => JSON.parse(v));

/**
 * One process, one connection: PostgreSQL's default 128 MB of shared buffers only fill the process's memory
 * (the operating system caches the files anyway). 32 MB takes about 100 MB off the idle server and starts
 * faster.
 */
const PGLITE_OPTIONS = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] };

/** Opens the database: PostgreSQL for a URL, otherwise the embedded PGlite (in a folder or in memory). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
    // An idle connection that PostgreSQL ends (restart, failover, idle timeout) is dropped from the
    // pool, which opens a new one when needed; unhandled, its 'error' event would crash the process.
    pool.on('error', () => undefined);
    // The same for a connection in use: its query fails (the caller answers 503) and the pool drops it,
    // instead of an unhandled 'error' event taking the whole process down.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let pglite: PGlite;
  if ('dataDir' in target) {
    ensurePrivateDir(target.dataDir);
    pglite = await PGlite.create(`${target.dataDir}/pgdata`, PGLITE_OPTIONS);
  } else {
    pglite = await PGlite.create(PGLITE_OPTIONS);
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    dump: async () => new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer()),
  };
}
