import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataLock } from '../src/store/data-lock.ts';
import { openDatabase } from '../src/store/db.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the embedded database across a crash', () => {
  it('keeps every acknowledged position when the server is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-kill-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
      env: { ...process.env, HOWL_DATA_DIR: dir, DATABASE_URL: '', BENCH_DEVICES: '4' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      child.once('exit', (_code, signal) => r(signal)),
    );
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const ready = JSON.parse(line) as { osmandPort: number; devices: string[] };

    const t = Math.floor(Date.now() / 1000) - 600;
    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        fetch(
          `http://127.0.0.1:${ready.osmandPort}/?id=${ready.devices[i % 4]}&lat=${51 + i * 1e-5}&lon=-1.3&timestamp=${t + i}`,
        ).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The killed server's lock is stale: a new process takes it over and finds every position.
    const release = acquireDataLock(dir);
    const d = await openDatabase({ dataDir: dir });
    const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db);
    await d.close();
    release();
    expect(r.rows[0]?.n).toBe(300);
  }, 90_000);
});
