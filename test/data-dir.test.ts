import { type ChildProcess, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TLSSocket } from 'node:tls';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET_FILE, SERVER_FILE, ServerInfo } from '../src/app/server-info.ts';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import { acquireDataLock, DataDirLockedError, LOCK_FILE, lockHolder } from '../src/store/data-lock.ts';
import { PG_URL } from './support/engines.ts';
import { loopbackConfig } from './support/server.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

const HOLDER = join(import.meta.dirname, 'support', 'hold-data-lock.ts');

const dirs: string[] = [];
const running: RunningHowl[] = [];
afterAll(async () => {
  for (const h of running.splice(0)) await h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'howl-data-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningHowl> {
  const howl = await startHowl(loopbackConfig(dataDir, env), { logger: false, webDir: null });
  running.push(howl);
  return howl;
}

async function stop(howl: RunningHowl): Promise<void> {
  running.splice(running.indexOf(howl), 1);
  await howl.close();
}

/** GET over HTTPS accepting the self-signed certificate; the body and the certificate the server presented. */
function getHttps(url: string): Promise<{ status: number; body: string; certDer: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { rejectUnauthorized: false }, (res) => {
      const certDer = (res.socket as TLSSocket).getPeerCertificate().raw;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, certDer }));
    });
    req.on('error', reject);
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder lock between processes', () => {
  let dir: string;
  let holder: ChildProcess;
  let exited: Promise<NodeJS.Signals | null>;

  beforeAll(async () => {
    dir = tempDir();
    holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    exited = new Promise((r) => holder.once('exit', (_code, signal) => r(signal)));
    const stdout = holder.stdout;
    if (!stdout) throw new Error('no stdout');
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: stdout }).once('line', resolve),
    );
    expect(line).toBe(`locked ${holder.pid}`);
  });
  afterAll(() => {
    if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
  });

  it('refuses a second process while the holder runs, naming its pid', () => {
    expect(lockHolder(dir)).toBe(holder.pid);
    let error: unknown;
    try {
      acquireDataLock(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect(error).toMatchObject({ pid: holder.pid, dataDir: dir });
    expect((error as Error).message).toContain(`pid ${holder.pid}`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(holder.pid);
  });

  it('refuses to start a server on the held folder, and writes nothing there', async () => {
    await expect(start(dir)).rejects.toThrow(DataDirLockedError);
    expect(existsSync(join(dir, SERVER_FILE))).toBe(false);
    expect(existsSync(join(dir, ADMIN_SECRET_FILE))).toBe(false);
    expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    expect(lockHolder(dir)).toBe(holder.pid);
  });

  it('takes over the lock once the holder was killed with SIGKILL', async () => {
    holder.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The killed process could not clean up: its lock file is still there, but stale.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(holder.pid);
    expect(lockHolder(dir)).toBeUndefined();

    const release = acquireDataLock(dir);
    expect(lockHolder(dir)).toBe(process.pid);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock file that cannot be read', () => {
    const d = tempDir();
    writeFileSync(join(d, LOCK_FILE), 'not json');
    const release = acquireDataLock(d);
    expect(lockHolder(d)).toBe(process.pid);
    release();
  });

  it('makes a data folder it creates, or finds open to others, owner-only', async () => {
    const parent = tempDir();
    const fresh = join(parent, 'new', 'howl-data');
    await stop(await start(fresh));
    expect(mode(fresh)).toBe(0o700);
    const open = tempDir();
    chmodSync(open, 0o755);
    await stop(await start(open));
    expect(mode(open)).toBe(0o700);
  });

  it('creates the data folder when it does not exist yet', () => {
    const d = join(tempDir(), 'new', 'howl-data');
    const release = acquireDataLock(d);
    expect(lockHolder(d)).toBe(process.pid);
    release();
  });
});

describe('a server in its data folder', () => {
  let dir: string;
  let firstPem: string;

  afterEach(async () => {
    for (const h of running.splice(0)) await h.close();
  });

  it('writes server.json and an owner-only admin.secret, and removes them and the lock on close', async () => {
    dir = tempDir();
    const howl = await start(dir);
    const info = ServerInfo.parse(JSON.parse(readFileSync(join(dir, SERVER_FILE), 'utf8')));
    expect(info).toMatchObject({ pid: process.pid, url: howl.localUrl, osmandPort: howl.ports.osmand });
    const secretPath = join(dir, ADMIN_SECRET_FILE);
    expect(mode(secretPath)).toBe(0o600);
    // The folder (database, WAL with password hashes and messages, TLS key) is owner-only.
    expect(mode(dir)).toBe(0o700);
    const secret = readFileSync(secretPath, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(lockHolder(dir)).toBe(process.pid);

    // The secret is what the CLI uses against this server; a wrong one is refused.
    const link = (authorization: string) =>
      fetch(`${howl.localUrl}/api/admin/login-links`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await link(`Bearer ${secret}`)).status).toBe(200);
    expect((await link(`Bearer ${secret.slice(0, -1)}x`)).status).toBe(401);

    await stop(howl);
    expect(existsSync(join(dir, SERVER_FILE))).toBe(false);
    expect(existsSync(secretPath)).toBe(false);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('generates a self-signed certificate once, with an owner-only key, and serves /api/health over HTTPS', async () => {
    const howl = await start(dir);
    firstPem = readFileSync(join(dir, 'tls-cert.pem'), 'utf8');
    expect(mode(join(dir, 'tls-key.pem'))).toBe(0o600);
    const res = await getHttps(`https://127.0.0.1:${howl.ports.https}/api/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', database: 'pglite' });
    expect(res.certDer.equals(new X509Certificate(firstPem).raw)).toBe(true);
  });

  it('reuses the same certificate on the next start', async () => {
    const howl = await start(dir);
    expect(readFileSync(join(dir, 'tls-cert.pem'), 'utf8')).toBe(firstPem);
    const res = await getHttps(`https://127.0.0.1:${howl.ports.https}/api/health`);
    expect(res.status).toBe(200);
    expect(res.certDer.equals(new X509Certificate(firstPem).raw)).toBe(true);
  });

  it('refuses a second server on the same folder in the same process, leaving the first untouched', async () => {
    const howl = await start(dir);
    await expect(start(dir)).rejects.toThrow(DataDirLockedError);
    expect(lockHolder(dir)).toBe(process.pid);
    expect(ServerInfo.parse(JSON.parse(readFileSync(join(dir, SERVER_FILE), 'utf8'))).url).toBe(
      howl.localUrl,
    );
    expect((await fetch(`${howl.localUrl}/api/health`)).status).toBe(200);
    await stop(howl);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe.runIf(PG_URL)('a server on PostgreSQL (DATABASE_URL)', () => {
  it('creates a data folder that does not exist for its certificate, and writes no server.json', async () => {
    const pgdb = await createTempPostgres(PG_URL ?? '');
    try {
      const dir = join(tempDir(), 'not-yet');
      const howl = await start(dir, { DATABASE_URL: pgdb.url });
      expect(howl.database).toBe('postgres');
      expect(existsSync(join(dir, 'tls-cert.pem'))).toBe(true);
      expect(existsSync(join(dir, SERVER_FILE))).toBe(false);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      const res = await getHttps(`https://127.0.0.1:${howl.ports.https}/api/health`);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', database: 'postgres' });
      await stop(howl);
    } finally {
      await pgdb.drop();
    }
  });

  it('keeps storing positions after PostgreSQL terminates its idle connections', async () => {
    const pgdb = await createTempPostgres(PG_URL ?? '');
    try {
      const howl = await start(tempDir(), { DATABASE_URL: pgdb.url });
      const team = await howl.services.teams.resolveExisting(undefined);
      const [leader] = await howl.services.members.list({ kind: 'admin' }, team.id);
      const report = (lat: number) =>
        fetch(
          `http://127.0.0.1:${howl.ports.osmand}/?id=${leader?.devices[0]}&lat=${lat}&lon=8&timestamp=${Math.floor(Date.now() / 1000)}`,
        ).then((r) => r.status);
      expect(await report(47.1)).toBe(200);

      // What a PostgreSQL restart, a failover or idle_session_timeout does to the pool's idle connections.
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [new URL(pgdb.url).pathname.slice(1)],
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));

      expect(await report(47.2)).toBe(200);
      const latest = await howl.services.positions.latestList({ kind: 'admin' }, team.id);
      expect(latest.map((p) => p.lat)).toEqual([47.2]);
      await stop(howl);
    } finally {
      await pgdb.drop();
    }
  });
});
