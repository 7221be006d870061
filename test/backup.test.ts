import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import { inspectBackup } from '../src/store/backup.ts';
import { openDatabase } from '../src/store/db.ts';
import { runHowl } from './support/cli.ts';
import { loopbackConfig } from './support/server.ts';

const root = mkdtempSync(join(tmpdir(), 'howl-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const howl = (args: string[], env: Record<string, string>) => runHowl(args, env, 120_000);

/** Every table's rows, as text, in a stable order: two databases with the same content give the same. */
async function contents(dataDir: string): Promise<Record<string, string[]>> {
  const d = await openDatabase({ dataDir });
  try {
    const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(d.db);
    const out: Record<string, string[]> = {};
    for (const { t } of tables.rows) {
      const rows = await sql<{ r: string }>`select t::text as r from ${sql.table(t)} t`.execute(d.db);
      out[t] = rows.rows.map((x) => x.r).sort();
    }
    return out;
  } finally {
    await d.close();
  }
}

describe('howl backup and howl restore (embedded database)', () => {
  const dir = join(root, 'data');
  const env = { HOWL_DATA_DIR: dir };
  let server: RunningHowl | undefined;

  it('backs up a running server while it takes positions, a file that opens and holds them', async () => {
    // Positions as fast as the server takes them: no rate limit.
    server = await startHowl(
      loopbackConfig(dir, { HOWL_LIMIT_DEVICE_PER_S: 'off', HOWL_LIMIT_ADDRESS_PER_S: 'off' }),
      {
        logger: false,
        webDir: null,
      },
    );
    const team = await server.services.teams.resolveExisting(undefined);
    const m = await server.services.members.add({ kind: 'admin' }, team, {
      name: 'Alpha',
      callsign: 'ALPHA',
    });
    const post = (i: number) =>
      fetch(
        `http://127.0.0.1:${server?.ports.osmand}/?id=${m.device}&lat=${(46.9 + i * 1e-5).toFixed(6)}&lon=7.4&timestamp=${Date.now()}`,
      ).then((r) => r.status);
    for (let i = 0; i < 200; i++) expect(await post(i)).toBe(200);
    // Positions keep arriving during the backup: it is a consistent picture of some moment.
    let writing = true;
    let sent = 200;
    const writer = (async () => {
      while (writing) expect(await post(sent++)).toBe(200);
    })();
    const file = join(root, 'live.tar.gz');
    const run = await howl(['backup', file], env);
    writing = false;
    await writer;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Backing up through the running server/);
    const counts = await inspectBackup(new Uint8Array(readFileSync(file)));
    expect(counts.members).toBe(2); // the first leader and ALPHA
    expect(counts.positions).toBeGreaterThanOrEqual(200);
    expect(counts.positions).toBeLessThanOrEqual(sent);
    expect(run.stdout).toContain(`${counts.positions.toLocaleString('en')} positions`);
  }, 60_000);

  it('refuses to restore while the server holds the data folder', async () => {
    const run = await howl(['restore', join(root, 'live.tar.gz')], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/is using .*: stop it, then restore/);
    await server?.close();
    server = undefined;
  });

  it('restores a backup into another folder with every row of every table', async () => {
    const file = join(root, 'stopped.tar.gz');
    const backup = await howl(['backup', file], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).not.toMatch(/running server/);
    const other = join(root, 'restored');
    const run = await howl(['restore', file], { HOWL_DATA_DIR: other });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Restored .* 1 team, 2 members, \d[\d,]* positions/);
    expect(await contents(other)).toEqual(await contents(dir));
  }, 60_000);

  it('keeps the database it replaces, and a damaged file changes nothing', async () => {
    const other = join(root, 'restored');
    const before = await contents(other);
    const bad = join(root, 'bad.tar.gz');
    writeFileSync(bad, 'not a backup');
    const refused = await howl(['restore', bad], { HOWL_DATA_DIR: other });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not a Howl backup/);
    expect(await contents(other)).toEqual(before);
    expect(readdirSync(other).filter((f) => f.startsWith('pgdata.'))).toEqual([]);

    const again = await howl(['restore', join(root, 'live.tar.gz')], { HOWL_DATA_DIR: other });
    expect(again.code).toBe(0);
    const kept = readdirSync(other).filter((f) => f.startsWith('pgdata.before-restore-'));
    expect(kept).toHaveLength(1);
    expect(again.stdout).toContain(join(other, kept[0] as string));
    expect(existsSync(join(other, 'pgdata'))).toBe(true);
  }, 60_000);

  it('on PostgreSQL, points to pg_dump instead', async () => {
    const run = await howl(['backup', join(root, 'pg.tar.gz')], {
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/pg_dump/);
    expect(existsSync(join(root, 'pg.tar.gz'))).toBe(false);
  });
});
