import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePrivateDir } from './data-dir.ts';

export const LOCK_FILE = 'howl.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data folder ${dataDir} is in use by another Howl process (pid ${pid})`);
    this.name = 'DataDirLockedError';
  }
}

/** Whether a process with this pid is running (EPERM means it is, under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the data folder's lock, if that process is alive. */
export function lockHolder(dataDir: string): number | undefined {
  const pid = readLockPid(join(dataDir, LOCK_FILE));
  return pid !== undefined && processAlive(pid) ? pid : undefined;
}

function readLockPid(path: string): number | undefined {
  try {
    const pid = Number(JSON.parse(readFileSync(path, 'utf8')).pid);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Lock files this process holds now. */
const heldHere = new Set<string>();

/**
 * Takes the data folder's exclusive lock, so the embedded database is never opened by two
 * processes. The lock file is created atomically (a hard link fails if it exists); a lock
 * whose process is gone is taken over. Returns the release function.
 */
export function acquireDataLock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const candidate = `${path}.${process.pid}`;
  // A lock file with our own pid is stale (a container restarts with the same pid), unless this
  // very process holds it: only memory can tell the two apart.
  const key = resolve(path);
  if (heldHere.has(key)) throw new DataDirLockedError(dataDir, process.pid);
  ensurePrivateDir(dataDir); // a first `howl member add` may come before any server start
  writeFileSync(candidate, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), {
    mode: 0o644,
  });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(candidate, path);
        heldHere.add(key);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          heldHere.delete(key);
          if (readLockPid(path) === process.pid) unlinkSync(path);
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readLockPid(path);
      if (holder !== undefined && holder !== process.pid && processAlive(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Left by a process that is gone (or unreadable): take it over.
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new Error(`could not take the lock ${path}`);
  } finally {
    unlinkSync(candidate);
  }
}
