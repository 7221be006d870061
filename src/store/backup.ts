import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { ensurePrivateDir } from './data-dir.ts';
import type { DB } from './schema.ts';

/** The tables whose rows a backup summary counts, in the order a user reads them. */
const COUNTED = ['teams', 'members', 'positions', 'events', 'alerts', 'messages', 'operations'] as const;

export type RowCounts = Record<(typeof COUNTED)[number], number>;

/** How many rows the main tables hold: what a backup or a restore says it carried. */
export async function countRows(db: Kysely<DB>): Promise<RowCounts> {
  const out = {} as RowCounts;
  for (const t of COUNTED) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db);
    out[t] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

/** Opens a backup in memory and counts its rows: proof that it restores, and what it holds. */
export async function inspectBackup(backup: Uint8Array): Promise<RowCounts> {
  return withBackup(undefined, backup);
}

async function withBackup(dataDir: string | undefined, backup: Uint8Array): Promise<RowCounts> {
  const loadDataDir = new Blob([backup.slice()]);
  const pglite = dataDir
    ? await PGlite.create(dataDir, { loadDataDir })
    : await PGlite.create({ loadDataDir });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  try {
    return await countRows(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Restores a backup (`howl backup`'s gzipped tarball) as the embedded database of `dataDir`, which no server
 * may hold: it is unpacked and opened aside first, so that a bad file changes nothing; then the database in
 * use is kept beside it (`pgdata.before-restore-<time>`) and the restored one takes its place. Returns what
 * the restored database holds and where the previous one was kept (undefined when there was none).
 */
export async function restoreDataDir(
  dataDir: string,
  backup: Uint8Array,
  now: Date = new Date(),
): Promise<{ counts: RowCounts; keptAt?: string }> {
  ensurePrivateDir(dataDir);
  const live = join(dataDir, 'pgdata');
  const next = join(dataDir, 'pgdata.restoring');
  rmSync(next, { recursive: true, force: true });
  let counts: RowCounts;
  try {
    counts = await withBackup(next, backup);
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    throw new Error(`not a Howl backup, or a damaged one: ${(err as Error).message}`);
  }
  let keptAt: string | undefined;
  if (existsSync(live)) {
    keptAt = join(dataDir, `pgdata.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
    renameSync(live, keptAt);
  }
  renameSync(next, live);
  return { counts, ...(keptAt ? { keptAt } : {}) };
}
