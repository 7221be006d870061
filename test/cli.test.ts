import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import type { AddedMember, Member } from '../src/contract/members.ts';
import type { Me } from '../src/contract/sessions.ts';
import { openDatabase } from '../src/store/db.ts';
import { type CliRun, runHowl } from './support/cli.ts';
import { PG_URL } from './support/engines.ts';
import { createHarness } from './support/harness.ts';
import { loopbackConfig } from './support/server.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

const howl = (args: string[], env: Record<string, string>) => runHowl(args, env);

/** The login code from a printed link (`…/login#code=…`). */
function codeOf(output: string): string {
  const url = output.match(/\S+\/login#code=\S+/)?.[0];
  if (!url) throw new Error(`no login link in ${JSON.stringify(output)}`);
  return decodeURIComponent(url.split('#code=')[1] ?? '');
}

function parseAdded(run: CliRun): AddedMember {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as AddedMember;
}

const root = mkdtempSync(join(tmpdir(), 'howl-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the howl CLI on the embedded database', () => {
  // Not created beforehand: the first command must create it.
  const dir = join(root, 'howl-data');
  const env = { HOWL_DATA_DIR: dir };
  let stiles: AddedMember;
  let stilesLinkCode: string;

  it('refuses a bad callsign before touching the data folder', async () => {
    const run = await howl(['member', 'add', '--name', 'Bad', '--callsign', 'no!'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^howl: --callsign: letters, digits/);
    expect(run.stdout).toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it('adds the first member with no server running, creating the data folder and the team', async () => {
    stiles = parseAdded(await howl(['member', 'add', '--name', 'Stiles', '--callsign', 'STILES'], env));
    expect(stiles).toMatchObject({ team: 'My team', name: 'Stiles', callsign: 'STILES', role: 'member' });
    expect(stiles.memberId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stiles.device.length).toBeGreaterThanOrEqual(16);
    expect(stiles.token).toMatch(/^howl_/);
    expect(existsSync(join(dir, 'howl.lock'))).toBe(false);
  });

  it('refuses a duplicate callsign with a clear message on stderr, printing nothing', async () => {
    const run = await howl(['member', 'add', '--name', 'Other', '--callsign', 'stiles'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe('howl: callsign: STILES is already a member of My team');
    expect(run.stdout).toBe('');
  });

  it('asks for --member when the team has no leader, and prints a login link for a named member', async () => {
    const noLeader = await howl(['login-link'], env);
    expect(noLeader.code).not.toBe(0);
    expect(noLeader.stderr).toMatch(/My team has no leader; name one with --member/);
    const run = await howl(['login-link', '--member', 'stiles'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Login link for STILES \(My team\)/);
    expect(run.stdout).toMatch(/^https?:\/\/\S+\/login#code=\S+$/m);
    stilesLinkCode = codeOf(run.stdout);
  });

  it('migrates the database', async () => {
    const run = await howl(['migrate'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe('Database is up to date.');
  });

  describe('while a server holds the data folder', () => {
    let server: RunningHowl;
    let derek: AddedMember;
    const members = async (token: string) => {
      const res = await fetch(`${server.localUrl}/api/members`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { members: Member[] }).members;
    };
    const linkLogin = (code: string) =>
      fetch(`${server.localUrl}/api/auth/link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });

    beforeAll(async () => {
      server = await startHowl(loopbackConfig(dir), { logger: false, webDir: null });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('adds a member through the server, which lists it at once', async () => {
      // The server holds the embedded database: a CLI that opened it would fail on the lock.
      // The team the CLI created had no leader: the first start gave it one, with a login link.
      expect(server.firstLogin).toMatchObject({ callsign: 'LEADER', team: 'My team' });
      derek = parseAdded(
        await howl(['member', 'add', '--name', 'Derek', '--callsign', 'DEREK', '--role', 'leader'], env),
      );
      expect(derek).toMatchObject({ team: 'My team', callsign: 'DEREK', role: 'leader' });
      expect((await members(derek.token)).map((m) => m.callsign).sort()).toEqual([
        'DEREK',
        'LEADER',
        'STILES',
      ]);
      expect((await members(stiles.token)).find((m) => m.callsign === 'STILES')?.devices).toEqual([
        stiles.device,
      ]);
    });

    it('refuses a duplicate callsign through the server too, and the team is unchanged', async () => {
      const run = await howl(['member', 'add', '--name', 'Again', '--callsign', 'DEREK'], env);
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim()).toBe('howl: callsign: DEREK is already a member of My team');
      expect((await members(derek.token)).map((m) => m.callsign).sort()).toEqual([
        'DEREK',
        'LEADER',
        'STILES',
      ]);
    });

    it("prints the leader's login link through the server, and each link works once", async () => {
      const run = await howl(['login-link'], env);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Login link for LEADER \(My team\)/);
      const first = await linkLogin(codeOf(run.stdout));
      expect(first.status).toBe(200);
      expect(((await first.json()) as Me).callsign).toBe('LEADER');
      expect(first.headers.get('set-cookie')).toMatch(/howl_session=/);
      expect((await linkLogin(codeOf(run.stdout))).status).toBe(401);

      // The link printed before the server started was stored in the same database.
      const earlier = await linkLogin(stilesLinkCode);
      expect(earlier.status).toBe(200);
      expect(((await earlier.json()) as Me).callsign).toBe('STILES');
      expect((await linkLogin(stilesLinkCode)).status).toBe(401);
    });

    it('exports through the server: an exercise as CSV, and a plain refusal for an unknown one', async () => {
      const team = await server.services.teams.resolveExisting(undefined);
      const admin = { kind: 'admin' } as const;
      const ex = await server.services.operations.createExercise(admin, team.id, { name: 'Night nav' });
      await server.services.operations.act(admin, team.id, ex.id, 'start');
      await server.services.operations.act(admin, team.id, ex.id, 'end');
      const file = join(dir, 'night.csv');
      const run = await howl(['export', ex.id, '--format', 'csv', '-o', file], env);
      expect(run).toMatchObject({ code: 0, stdout: `Wrote ${file}\n` });
      expect(readFileSync(file, 'utf8')).toMatch(
        /^time,seq,type,mode,who,text\r\n.*STARTEX: Night nav.*ENDEX: Night nav/s,
      );
      const unknown = await howl(['export', '5b1d1f0e-8c5e-4c39-9a2f-1f6f4a1f2b3c', '-o', file], env);
      expect(unknown).toMatchObject({ code: 1, stderr: 'howl: operation not found\n' });
    });

    it('leaves migrations to the running server', async () => {
      const run = await howl(['migrate'], env);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`The running server (pid ${process.pid}) migrated`);
    });
  });
});

describe.runIf(PG_URL)('the howl CLI on PostgreSQL (DATABASE_URL)', () => {
  let pgdb: Awaited<ReturnType<typeof createTempPostgres>>;
  const dir = join(root, 'unused-data');
  let env: Record<string, string>;

  beforeAll(async () => {
    pgdb = await createTempPostgres(PG_URL ?? '');
    env = { DATABASE_URL: pgdb.url, HOWL_DATA_DIR: dir };
  });
  afterAll(async () => {
    await pgdb?.drop();
  });

  it('adds members, refuses a duplicate and prints a working login link, straight on the database', async () => {
    const migrate = await howl(['migrate'], env);
    expect(migrate).toMatchObject({ code: 0, stderr: '' });
    const lead = parseAdded(
      await howl(['member', 'add', '--name', 'Stiles', '--callsign', 'STILES', '--role', 'leader'], env),
    );
    expect(lead).toMatchObject({ team: 'My team', callsign: 'STILES', role: 'leader' });
    const dup = await howl(['member', 'add', '--name', 'Other', '--callsign', 'STILES'], env);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr.trim()).toBe('howl: callsign: STILES is already a member of My team');
    const link = await howl(['login-link'], env);
    expect(link).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(dir)).toBe(false);

    const d = await openDatabase({ url: pgdb.url });
    const h = await createHarness(d);
    try {
      const rows = await d.db.selectFrom('members').select(['callsign', 'role']).execute();
      expect(rows).toEqual([{ callsign: 'STILES', role: 'leader' }]);
      const login = (code: string) =>
        h.app.inject({ method: 'POST', url: '/api/auth/link', payload: { code } });
      const first = await login(codeOf(link.stdout));
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ callsign: 'STILES', memberId: lead.memberId });
      expect((await login(codeOf(link.stdout))).statusCode).toBe(401);
    } finally {
      await h.close();
      await d.close();
    }
  });
});

describe('the howl CLI adding a K9', () => {
  const env = { HOWL_DATA_DIR: join(root, 'k9-data') };
  let handler: AddedMember;
  beforeAll(async () => {
    handler = parseAdded(await howl(['member', 'add', '--name', 'Scott', '--callsign', 'SCOTT'], env));
  });

  it('adds a K9 with its handler by callsign, and refuses one without a handler', async () => {
    const rex = parseAdded(
      await howl(
        ['member', 'add', '--name', 'Rex', '--callsign', 'REX', '--kind', 'animal', '--handler', 'scott'],
        env,
      ),
    );
    expect(rex).toMatchObject({ callsign: 'REX', kind: 'animal', handlerId: handler.memberId });
    const alone = await howl(
      ['member', 'add', '--name', 'Fido', '--callsign', 'FIDO', '--kind', 'animal'],
      env,
    );
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toMatch(/^howl: handlerId: /);
    expect(alone.stdout).toBe('');
  });
});
