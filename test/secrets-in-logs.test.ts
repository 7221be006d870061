// No secret reaches the log: `howl serve` runs as its own process with LOG_LEVEL=trace, and a scenario uses
// every credential Howl has — the first login link's code, a password (right and wrong), the session
// cookie, a member's token as a bearer, in `?token=` on the live feed and the field page, as OwnTracks'
// HTTP Basic password, a device id over OsmAnd and as a TAK uid, the admin secret through `howl
// login-link` — then the whole output (stdout and stderr) is searched for each of them, device ids included
// (the OsmAnd request log redacts `id`, the TAK log keeps a uid's first four letters).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET_FILE } from '../src/app/server-info.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { openLive } from './support/ws-client.ts';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const dirs: string[] = [];
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The login code of a printed link (`…/login#code=…`). */
const codeOf = (text: string) => /#code=([\w-]+)/.exec(text)?.[1] ?? '';
const lineAfter = (text: string, label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(text)?.[1] ?? '';
/** A printed address, reached on loopback where the server listens. */
const onLoopback = (url: string) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  return u.toString().replace(/\/$/, '');
};

/** GET over HTTPS from the server's self-signed certificate; only the status matters here. */
function getInsecure(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('secrets in the log', () => {
  it('never writes a token, password, login code, session or admin secret, even at trace level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-logs-'));
    dirs.push(dir);
    const env = {
      ...process.env,
      DATABASE_URL: '',
      HOWL_DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: '0',
      HOWL_HTTPS_PORT: '0',
      HOWL_OSMAND_PORT: '0',
      HOWL_COT_PORT: '0',
      HOWL_COT_TLS_PORT: '0',
      LOG_LEVEL: 'trace',
    };
    const server = spawn(process.execPath, [...CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    let out = '';
    server.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    server.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise<void>((r) => server.once('exit', () => r()));
    while (!/#code=/.test(out)) {
      if (server.exitCode !== null) throw new Error(`howl serve stopped:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const api = onLoopback(lineAfter(out, 'Console:'));
    const field = onLoopback(lineAfter(out, 'Field page:'));
    const osmand = onLoopback(lineAfter(out, 'Traccar Client:'));
    const cotPort = Number(lineAfter(out, 'TAK clients:').split(':').at(-1));
    const firstCode = codeOf(out);
    const secrets: Record<string, string> = { 'first login code': firstCode };

    const json = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${api}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...init.headers },
      });
      return { status: res.status, body: await res.text(), cookie: res.headers.get('set-cookie') ?? '' };
    };
    // The leader signs in with the link, sets a password, signs out, signs in with a wrong and the right one.
    const link = await json('/api/auth/link', { method: 'POST', body: JSON.stringify({ code: firstCode }) });
    expect(link.status).toBe(200);
    const session = /howl_session=([^;]+)/.exec(link.cookie)?.[1] ?? '';
    secrets.session = session;
    const cookie = { cookie: `howl_session=${session}` };
    const password = 'correct horse battery staple';
    secrets.password = password;
    secrets['wrong password'] = 'Tr0ub4dor&3-wrong';
    expect(
      (
        await json('/api/auth/password', {
          method: 'POST',
          headers: cookie,
          body: JSON.stringify({ password }),
        })
      ).status,
    ).toBe(200);
    await json('/api/auth/logout', { method: 'POST', headers: cookie, body: '{}' });
    const login = (pw: string) =>
      json('/api/auth/login', { method: 'POST', body: JSON.stringify({ callsign: 'LEADER', password: pw }) });
    expect((await login(secrets['wrong password'])).status).toBe(401);
    const signedIn = await login(password);
    expect(signedIn.status).toBe(200);
    const leader = { cookie: `howl_session=${/howl_session=([^;]+)/.exec(signedIn.cookie)?.[1]}` };
    secrets['second session'] = leader.cookie.slice('howl_session='.length);

    // A member with a token and a device id, used every way a phone or a TAK client uses them.
    const added = await json('/api/members', {
      method: 'POST',
      headers: leader,
      body: JSON.stringify({ name: 'Scott', callsign: 'SCOTT' }),
    });
    expect(added.status).toBe(201);
    const scout = JSON.parse(added.body) as AddedMember;
    secrets.token = scout.token;
    secrets['device id'] = scout.device;
    expect((await json('/api/me', { headers: { authorization: `Bearer ${scout.token}` } })).status).toBe(200);
    const live = openLive(`${api.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(scout.token)}`);
    await live.waitFor((m) => m.type === 'snapshot');
    await live.close();
    expect(await getInsecure(`${field}?token=${encodeURIComponent(scout.token)}`)).toBeLessThan(500);
    const owntracks = await fetch(`${api}/api/owntracks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`SCOTT:${scout.token}`).toString('base64')}`,
      },
      body: JSON.stringify({ _type: 'location', lat: 51.05, lon: -1.31, tst: Math.floor(Date.now() / 1000) }),
    });
    expect(owntracks.status).toBe(200);
    const t = Math.floor(Date.now() / 1000);
    expect((await fetch(`${osmand}/?id=${scout.device}&lat=51.05&lon=-1.31&timestamp=${t}`)).status).toBe(
      200,
    );
    const tak = connect(cotPort, '127.0.0.1');
    await new Promise<void>((r) => tak.once('connect', () => r()));
    const now = new Date().toISOString();
    tak.write(
      `<event version="2.0" uid="${scout.device}" type="a-f-G-U-C" how="m-g" time="${now}" start="${now}" ` +
        `stale="${new Date(Date.now() + 60_000).toISOString()}"><point lat="51.05" lon="-1.31" hae="0" ce="5" ` +
        'le="9999999"/><detail><contact callsign="SCOTT"/></detail></event>',
    );
    await new Promise((r) => setTimeout(r, 300));
    tak.destroy();

    // The admin secret, through the CLI beside the running server; the link it prints is used too.
    secrets['admin secret'] = readFileSync(join(dir, ADMIN_SECRET_FILE), 'utf8').trim();
    const printed = await new Promise<string>((resolve) =>
      execFile(process.execPath, [...CLI, 'login-link', '--member', 'SCOTT'], { env }, (_e, stdout) =>
        resolve(stdout),
      ),
    );
    secrets['second login code'] = codeOf(printed);
    expect(secrets['second login code']).not.toBe('');
    expect(
      (await json('/api/auth/link', { method: 'POST', body: JSON.stringify({ code: codeOf(printed) }) }))
        .status,
    ).toBe(200);
    // A revoked token used again.
    expect(
      (await json(`/api/members/${scout.memberId}/revoke`, { method: 'POST', headers: leader, body: '{}' }))
        .status,
    ).toBe(204);
    expect((await json('/api/me', { headers: { authorization: `Bearer ${scout.token}` } })).status).toBe(401);

    server.kill('SIGTERM');
    await exited;
    // The log is there (requests at trace level), and no secret is in it; the first link is printed once, on
    // purpose, as the banner that tells the user how to sign in.
    expect(out.split('\n').filter((l) => l.startsWith('{')).length).toBeGreaterThan(20);
    const logOnly = out.replace(/Open this single-use link[^\n]*\n[^\n]*\n/, '');
    const found = Object.entries(secrets)
      .filter(([, value]) => value.length >= 8 && logOnly.includes(value))
      .map(([what]) => what);
    expect(found).toEqual([]);
    expect(Object.values(secrets).every((v) => v.length >= 8)).toBe(true);
  }, 120_000);
});
