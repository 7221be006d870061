import { execFileSync } from 'node:child_process';
import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TakApproved, TakConnectionInfo, TakEnrolment, TakPendingList } from '../src/contract/tak.ts';
import { silentLogger } from '../src/gateways/cot/logger.ts';
import { type CotServer, startCotServer } from '../src/gateways/cot/server.ts';
import { loadOrCreateTls } from '../src/server/tls.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { atakGeoChat } from './fixtures/cot/geochat.ts';
import { TakClient } from './fixtures/cot/tak-client.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'howl-tak-approval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(engines)('TAK approval through the API on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let cot: CotServer;
  let cert: string;
  let n = 0;
  const clients: TakClient[] = [];

  beforeAll(async () => {
    const tls = await loadOrCreateTls({ dataDir: join(dir, engine.name), hosts: ['127.0.0.1'] });
    cert = tls.cert;
    cot = await startCotServer(h.services, {
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      tls: { port: 0, cert: tls.cert, key: tls.key },
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await cot.close();
  });

  const client = async () => {
    const c = await TakClient.connect(cot.port);
    clients.push(c);
    return c;
  };
  const sa = (uid: string, lat = 46.55, lon = 7.98) =>
    retime(
      withUid(ATAK_SA_GEMINI, uid)
        .replace(/lat="[^"]*"/, `lat="${lat}"`)
        .replace(/lon="[^"]*"/, `lon="${lon}"`),
    );
  /** A team with a leader (signed in), a member without a TAK device, and another member. */
  const setup = async () => {
    const team = `Approval team ${++n}`;
    const leader = await h.addMember(team, `LEAD${n}`, { role: 'leader' });
    const member = await h.addMember(team, `MEM${n}`);
    const other = await h.addMember(team, `OTH${n}`);
    return {
      team,
      leader,
      member,
      other,
      cookie: await h.sessionCookie(team, leader.callsign),
      memberCookie: await h.sessionCookie(team, member.callsign),
    };
  };
  const call = (cookie: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { cookie }, ...(payload && { payload }) });
  const pending = async (cookie: string) =>
    (await call(cookie, 'GET', '/api/tak/pending')).json<TakPendingList>().devices;
  /** A TAK client sending an SA under a uid nobody owns; first its GeoChat of the team's code, if given a leader. */
  const stranger = async (enrolWith?: string) => {
    const c = await client();
    const uid = `ANDROID-new-${engine.name}-${++n}`;
    if (enrolWith) {
      const { code } = (await call(enrolWith, 'GET', '/api/tak/enrolment')).json<TakEnrolment>();
      c.send(atakGeoChat({ uid, messageId: randomUUID(), xmlText: code }));
    }
    c.send(sa(uid, 46.1, 7.1));
    await c.sync();
    return { c, uid };
  };
  const devicesOf = (memberId: string) =>
    d.db.selectFrom('devices').select('id').where('member_id', '=', memberId).execute();

  it('lists a held uid, binds it to a member, and the open connection speaks for them at once', async () => {
    const t = await setup();
    await h.services.positions.reportFromDevice({
      deviceId: t.other.device,
      time: new Date(),
      lat: 46.3,
      lon: 7.3,
      source: 'osmand',
    });
    const { c, uid } = await stranger(t.cookie);
    expect(await d.db.selectFrom('positions').select('id').where('device_id', '=', uid).execute()).toEqual(
      [],
    );

    const list = await pending(t.cookie);
    expect(list.find((p) => p.uid === uid)).toMatchObject({
      uid,
      callsign: 'GEMINI',
      type: 'a-f-G-U-C',
      count: 2,
      connected: true,
      lastPosition: { lat: 46.1, lon: 7.1 },
    });
    expect(list.find((p) => p.uid === uid)?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    // Nothing the client received so far but pongs: it is no one's yet.
    expect(c.received.filter((r) => r.attrs.type !== 't-x-c-t-r')).toEqual([]);

    const res = await call(t.cookie, 'POST', `/api/tak/pending/${uid}/approve`, {
      memberId: t.member.memberId,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<TakApproved>()).toEqual({
      uid,
      memberId: t.member.memberId,
      callsign: t.member.callsign,
      connections: 1,
    });
    // Without reconnecting: the team picture arrives on the open connection…
    await c.waitFor((r) => r.attrs.type === 'a-f-G-U-C' && r.xml.includes(t.other.callsign), {
      what: "the other member's position",
    });
    // …and its next SA is the member's position.
    c.send(sa(uid, 46.2, 7.2));
    await c.sync();
    const rows = await d.db.selectFrom('positions').selectAll().where('device_id', '=', uid).execute();
    expect(rows).toEqual([
      expect.objectContaining({
        member_id: t.member.memberId,
        lat: 46.2,
        lon: 7.2,
        source: 'cot',
        mode: 'real',
      }),
    ]);
    expect((await devicesOf(t.member.memberId)).map((r) => r.id)).toContain(uid);
    expect((await pending(t.cookie)).some((p) => p.uid === uid)).toBe(false);
    // The console hears of the new device through the event log.
    const events = await d.db
      .selectFrom('events')
      .select(['type', 'mode'])
      .where('team_id', '=', t.member.teamId)
      .orderBy('seq', 'desc')
      .limit(1)
      .execute();
    expect(events).toEqual([{ type: 'member.added', mode: 'real' }]);
  });

  it('refuses bad approvals and changes nothing', async () => {
    const t = await setup();
    const elsewhere = await setup();
    const { uid } = await stranger();
    const approve = (cookie: string, u: string, body: object) =>
      call(cookie, 'POST', `/api/tak/pending/${encodeURIComponent(u)}/approve`, body);

    const unknownMember = await approve(t.cookie, uid, { memberId: randomUUID() });
    expect(unknownMember.statusCode).toBe(404);
    expect(unknownMember.json().error.details).toEqual({ field: 'memberId' });
    const otherTeam = await approve(t.cookie, uid, { memberId: elsewhere.member.memberId });
    expect(otherTeam.statusCode).toBe(404);
    expect(otherTeam.json().error.message).toMatch(/memberId/);
    const notLeader = await approve(t.memberCookie, uid, { memberId: t.member.memberId });
    expect(notLeader.statusCode).toBe(403);
    const noAuth = await h.app.inject({
      method: 'POST',
      url: `/api/tak/pending/${uid}/approve`,
      payload: { memberId: t.member.memberId },
    });
    expect(noAuth.statusCode).toBe(401);
    for (const bad of ['a b', 'x', 'y'.repeat(65), 'semi;colon']) {
      const r = await approve(t.cookie, bad, { memberId: t.member.memberId });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().error.message, bad).toMatch(/uid/);
    }
    const badBody = await approve(t.cookie, uid, { memberId: 'not-a-uuid' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error.message).toMatch(/memberId/);
    expect((await approve(t.cookie, uid, {})).statusCode).toBe(400);
    const notWaiting = await approve(t.cookie, `ANDROID-never-${++n}`, { memberId: t.member.memberId });
    expect(notWaiting.statusCode).toBe(404);
    expect(notWaiting.json().error.details).toEqual({ field: 'uid' });
    expect((await call(t.memberCookie, 'GET', '/api/tak/pending')).statusCode).toBe(403);

    // Nothing changed: still waiting (on no team's list: it sent no code), no device added anywhere.
    expect(cot.held().some((p) => p.uid === uid)).toBe(true);
    expect(await d.db.selectFrom('devices').select('id').where('id', '=', uid).execute()).toEqual([]);

    // A uid another team already owns: 409 for this team.
    expect((await approve(elsewhere.cookie, uid, { memberId: elsewhere.member.memberId })).statusCode).toBe(
      200,
    );
    const { c } = await stranger();
    c.send(sa(uid));
    await c.sync();
    const taken = await approve(t.cookie, uid, { memberId: t.member.memberId });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toMatch(/another team/);
    expect((await devicesOf(t.member.memberId)).map((r) => r.id)).not.toContain(uid);
  });

  it('dismisses a held uid: leader only, then it is gone', async () => {
    const t = await setup();
    const { c, uid } = await stranger(t.cookie);
    expect((await call(t.memberCookie, 'DELETE', `/api/tak/pending/${uid}`)).statusCode).toBe(403);
    expect((await call(t.cookie, 'DELETE', '/api/tak/pending/a%20b')).statusCode).toBe(400);
    expect((await call(t.cookie, 'DELETE', `/api/tak/pending/${uid}`)).statusCode).toBe(204);
    expect((await pending(t.cookie)).some((p) => p.uid === uid)).toBe(false);
    expect((await call(t.cookie, 'DELETE', `/api/tak/pending/${uid}`)).statusCode).toBe(404);
    // It keeps sending: still held, nothing stored, and off the list.
    c.send(sa(uid));
    await c.sync();
    expect((await pending(t.cookie)).some((p) => p.uid === uid)).toBe(false);
    expect(await d.db.selectFrom('positions').select('id').where('device_id', '=', uid).execute()).toEqual(
      [],
    );
  });

  it('describes the connection, and serves the TLS data package with a truststore of the server certificate', async () => {
    const t = await setup();
    const info = (await call(t.cookie, 'GET', '/api/tak/connection')).json<TakConnectionInfo>();
    expect(info).toMatchObject({
      host: 'howl.test',
      // The harness does not tell the app the plain port: it names HOWL_COT_PORT's default.
      tcpPort: 8087,
      tlsPort: cot.tlsPort,
      clientCertificates: false,
      quickConnect: 'Howl,howl.test,8087,tcp',
      packageUrl: '/api/tak/package.zip',
      tlsPackageUrl: '/api/tak/package.zip?tls=1',
      truststorePassword: 'atakatak',
    });
    expect(info.quickConnectQr).toMatch(/^<svg/);
    expect((await call(t.memberCookie, 'GET', '/api/tak/connection')).statusCode).toBe(403);

    const res = await call(t.cookie, 'GET', '/api/tak/package.zip?tls=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('howl-tak-tls.zip');
    const zip = join(dir, `${engine.name}-tls.zip`);
    writeFileSync(zip, res.rawPayload);
    const read = (name: string) => execFileSync('unzip', ['-p', zip, name]);
    const pref = read('howl/howl.pref').toString('utf8');
    expect(pref).toContain(`howl.test:${cot.tlsPort}:ssl`);
    expect(pref).toContain('cert/howl-truststore.p12');
    expect(read('MANIFEST/manifest.xml').toString('utf8')).toContain('howl/howl-truststore.p12');
    const p12 = join(dir, `${engine.name}.p12`);
    writeFileSync(p12, read('howl/howl-truststore.p12'));
    const pem = execFileSync('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:atakatak', '-nokeys'], {
      encoding: 'utf8',
    });
    expect(new X509Certificate(pem).raw.equals(new X509Certificate(cert).raw)).toBe(true);

    const plain = await call(t.cookie, 'GET', '/api/tak/package.zip');
    expect(plain.statusCode).toBe(200);
    writeFileSync(zip, plain.rawPayload);
    expect(read('howl/howl.pref').toString('utf8')).toContain('howl.test:8087:tcp');
    const bad = await call(t.cookie, 'GET', '/api/tak/package.zip?tls=yes');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/tls/);
    expect((await call(t.memberCookie, 'GET', '/api/tak/package.zip?tls=1')).statusCode).toBe(403);
  });
});
