// The embedded database's care: `howl backup`, `howl restore`, and what `howl prune` says it removed.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../app/config.ts';
import type { PruneResult } from '../contract/retention.ts';
import { inspectBackup, type RowCounts, restoreDataDir } from '../store/backup.ts';
import { acquireDataLock, lockHolder } from '../store/data-lock.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { runningServer } from './target.ts';

const ON_POSTGRES =
  'Howl runs on PostgreSQL (DATABASE_URL is set): back it up with `pg_dump --format=custom "$DATABASE_URL" > FILE` ' +
  'and restore with `pg_restore --clean --dbname "$DATABASE_URL" FILE`.';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** "3 teams, 41 members, 120,400 positions, …": what a backup holds. */
export function describeCounts(c: RowCounts): string {
  return Object.entries(c)
    .map(([table, n]) => `${n.toLocaleString('en')} ${n === 1 ? table.replace(/s$/, '') : table}`)
    .join(', ');
}

/**
 * `howl backup FILE`: the embedded database as a gzipped tarball, through the running server (consistent while
 * it serves) or, with none running, from the data folder under its lock.
 */
export async function backupCommand(
  config: Config,
  file: string,
  print: (line: string) => void,
): Promise<void> {
  if (config.databaseUrl) throw new Error(ON_POSTGRES);
  const api = await runningServer(config);
  let bytes: Uint8Array;
  if (api) {
    print('Backing up through the running server…');
    bytes = await api.download('/api/admin/backup', {}, (received) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${mb(received)} received`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
  } else {
    const release = acquireDataLock(config.dataDir);
    try {
      const database = await openDatabase({ dataDir: config.dataDir });
      try {
        await migrateToLatest(database.db);
        bytes = (await database.dump?.()) ?? new Uint8Array();
      } finally {
        await database.close();
      }
    } finally {
      release();
    }
  }
  writeFileSync(file, bytes, { mode: 0o600 });
  // Opened once before it is called a backup: a file that cannot be restored is not one.
  const counts = await inspectBackup(bytes);
  print(`Wrote ${file} (${mb(bytes.byteLength)}): ${describeCounts(counts)}.`);
  print(`Restore it with \`howl restore ${file}\` (the server stopped).`);
}

/** `howl restore FILE`: replaces the embedded database with a backup; the server must be stopped. */
export async function restoreCommand(
  config: Config,
  file: string,
  print: (line: string) => void,
): Promise<void> {
  if (config.databaseUrl) throw new Error(ON_POSTGRES);
  const pid = lockHolder(config.dataDir);
  if (pid !== undefined)
    throw new Error(`a Howl server (pid ${pid}) is using ${config.dataDir}: stop it, then restore`);
  const bytes = readFileSync(file);
  const release = acquireDataLock(config.dataDir);
  try {
    const { counts, keptAt } = await restoreDataDir(config.dataDir, bytes);
    // A backup from an older release is brought up to date now, not at the next start.
    const database = await openDatabase({ dataDir: config.dataDir });
    try {
      await migrateToLatest(database.db);
    } finally {
      await database.close();
    }
    print(`Restored ${file} into ${config.dataDir}: ${describeCounts(counts)}.`);
    if (keptAt)
      print(`The database it replaced is kept in ${keptAt} (delete it when you no longer need it).`);
  } finally {
    release();
  }
}

/** What `howl prune` removed (or would), team by team. */
export function describePrune(r: PruneResult): string {
  const lines = r.teams.map((t) =>
    t.keepPositionsDays === null
      ? `${t.team}: keeps every position (no retention set; Settings → keep positions)`
      : `${t.team}: ${t.positions.toLocaleString('en')} position${t.positions === 1 ? '' : 's'} older than ${t.keepPositionsDays} days (before ${t.before}) ${r.dryRun ? 'would be removed' : 'removed'}`,
  );
  if (r.dryRun) lines.push('Dry run: nothing was removed.');
  return lines.join('\n');
}
