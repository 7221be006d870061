import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InReachFeed, InReachOutboundInfo } from '../src/contract/inreach.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { InReachPoller } from '../src/gateways/inreach/poller.ts';
import {
  INRCOT_BAD_DATA2,
  INRCOT_IMEI,
  INRCOT_TEST,
  IPC_BODY,
  IPC_EVENT,
  mapShareFeed,
} from './fixtures/inreach/captures.ts';
import { bearer, captureLogger, startExercise } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/** A stand-in for share.garmin.com on loopback: serves each path's KML, asking for a password where set. */
class MapShareServer {
  readonly requests: Array<{ url: string; authorization?: string }> = [];
  readonly feeds = new Map<string, { body: string; password?: string; status?: number }>();
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const feed = this.feeds.get(path);
      if (!feed) return void res.writeHead(404).end('no such map');
      const expected = feed.password && `Basic ${Buffer.from(`:${feed.password}`).toString('base64')}`;
      if (expected && req.headers.authorization !== expected)
        return void res.writeHead(401, { 'www-authenticate': 'Basic' }).end();
      res
        .writeHead(feed.status ?? 200, { 'content-type': 'application/vnd.google-earth.kml+xml' })
        .end(feed.body);
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.port = (server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()));
  }
}

describe.each(engines)('Garmin inReach on $name', (engine) => {
  const { h, d } = useHarness(engine);
  const log = captureLogger();
  const garmin = new MapShareServer();
  let poller: InReachPoller;
  let n = 0;
  let imeiSeq = 300434030000100 + (engine.name === 'pglite' ? 0 : 50_000);

  beforeAll(async () => {
    await garmin.start();
    poller = new InReachPoller(h.services, { logger: log });
  });
  afterAll(() => garmin.close());

  const team = async (imei = String(imeiSeq++)) => {
    const name = `InReach ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const member = await h.addMember(name, `SAT${n}`, { device: imei });
    return { name, lead, member, imei };
  };
  const setFeed = (as: AddedMember, memberId: string, payload: object) =>
    h.app.inject({ method: 'PUT', url: `/api/members/${memberId}/inreach`, headers: bearer(as), payload });
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('time').execute();
  const alertsOf = (teamId: string) =>
    d.db.selectFrom('alerts').selectAll().where('team_id', '=', teamId).execute();
  const feedOf = async (as: AddedMember, memberId: string) =>
    (
      await h.app.inject({ method: 'GET', url: `/api/members/${memberId}/inreach`, headers: bearer(as) })
    ).json<InReachFeed>();

  it('polls a MapShare feed, stores each placemark once, and asks for what is new with d1', async () => {
    const t = await team(INRCOT_IMEI);
    garmin.feeds.set(`/Feed/Share/map${n}`, { body: INRCOT_TEST });
    const res = await setFeed(t.lead, t.member.memberId, { url: garmin.url(`/Feed/Share/map${n}`) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hasPassword: false, lastPointAt: null });
    const before = garmin.requests.length;
    await poller.pollAll();
    await poller.pollAll();
    const rows = await rowsOf(INRCOT_IMEI);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lat: 33.874926, lon: -118.346915, altitude: 22.63, source: 'inreach' });
    const mine = garmin.requests.slice(before).filter((r) => r.url.startsWith(`/Feed/Share/map${n}`));
    expect(mine.map((r) => r.url)).toEqual([
      `/Feed/Share/map${n}`,
      `/Feed/Share/map${n}?d1=2021-07-22T15%3A22z`,
    ]);
    expect(await feedOf(t.lead, t.member.memberId)).toMatchObject({
      lastPointAt: '2021-07-22T15:22:30.000Z',
      lastError: null,
    });
  });

  it('sends the MapShare password as basic auth; a wrong one stores nothing and says why', async () => {
    const t = await team();
    const path = `/Feed/Share/locked${n}`;
    const when = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    garmin.feeds.set(path, {
      body: mapShareFeed([{ imei: t.imei, when, lat: 46.5, lon: 7.9, text: 'at the hut' }]),
      password: 'hunter2',
    });
    await setFeed(t.member, t.member.memberId, { url: garmin.url(path), password: 'wrong' });
    await poller.pollAll();
    expect(await rowsOf(t.imei)).toEqual([]);
    const failed = await feedOf(t.member, t.member.memberId);
    expect(failed).toMatchObject({
      hasPassword: true,
      lastError: 'HTTP 401: the MapShare password was refused',
    });
    expect(JSON.stringify(failed)).not.toContain('wrong');

    await setFeed(t.member, t.member.memberId, { url: garmin.url(path), password: 'hunter2' });
    await poller.pollAll();
    expect((await rowsOf(t.imei)).map((r) => [r.lat, r.lon])).toEqual([[46.5, 7.9]]);
    const messages = await d.db
      .selectFrom('messages')
      .selectAll()
      .where('team_id', '=', t.lead.teamId)
      .execute();
    expect(messages.map((m) => [m.text, m.source, m.sender_callsign])).toEqual([
      ['at the hut', 'inreach', t.member.callsign],
    ]);
  });

  it('turns an emergency placemark into a real SOS marked satellite, even in an exercise', async () => {
    const t = await team();
    await startExercise(h, t.lead);
    const path = `/Feed/Share/sos${n}`;
    const at = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    garmin.feeds.set(path, {
      body: mapShareFeed([
        { imei: t.imei, when: at(300), lat: 46.4, lon: 7.8 },
        {
          imei: t.imei,
          when: at(120),
          lat: 46.41,
          lon: 7.81,
          inEmergency: true,
          event: 'Emergency initiated from device',
        },
      ]),
    });
    await setFeed(t.lead, t.member.memberId, { url: garmin.url(path) });
    await poller.pollAll();
    await poller.pollAll();
    expect(await rowsOf(t.imei)).toHaveLength(2);
    const alerts = await alertsOf(t.lead.teamId);
    expect(alerts.map((a) => [a.type, a.mode, a.sender_id, a.text])).toEqual([
      ['escalation', 'real', t.member.memberId, expect.stringContaining('SOS from')],
      ['sos', 'real', t.member.memberId, 'satellite SOS (inReach)'],
    ]);
    expect(alerts.find((a) => a.type === 'sos')).toMatchObject({ lat: 46.41, lon: 7.81 });
  });

  it('stores nothing of a bad feed, of a placemark with bad coordinates, or of another member’s IMEI', async () => {
    const t = await team();
    const other = await team();
    const recent = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    garmin.feeds.set(`/html${n}`, { body: '<html><body>Too Many Requests</body></html>' });
    garmin.feeds.set(`/bad${n}`, { body: INRCOT_BAD_DATA2 });
    garmin.feeds.set(`/theirs${n}`, {
      body: mapShareFeed([{ imei: other.imei, when: recent, lat: 1, lon: 1 }]),
    });
    const before = log.lines.length;
    for (const path of [`/html${n}`, `/bad${n}`, `/theirs${n}`]) {
      await setFeed(t.lead, t.member.memberId, { url: garmin.url(path) });
      await poller.pollAll();
    }
    expect(await rowsOf(t.imei)).toEqual([]);
    expect(await rowsOf(other.imei)).toEqual([]);
    const said = log.lines.slice(before).filter((l) => l.obj.memberId === t.member.memberId);
    expect(
      said.map((l) => [l.msg.split(':')[1]?.trim(), l.obj.field ?? l.obj.reason ?? l.obj.outcome]),
    ).toEqual([
      ['MapShare feed refused, nothing stored', 'not a KML document (no <kml>)'],
      ['placemark rejected, nothing stored of it', 'coordinates'],
      ['placemark of IMEI ' + other.imei + ' ignored', 'not_yours'],
    ]);
  });

  it('answers bad feed settings with the field and changes nothing', async () => {
    const t = await team();
    const mate = await h.addMember(t.name, `MATE${n}`);
    const bad = await setFeed(t.lead, t.member.memberId, { url: 'ftp://share.garmin.com/x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('url');
    expect(
      (await setFeed(t.lead, t.member.memberId, { url: garmin.url('/x'), password: '' })).statusCode,
    ).toBe(400);
    expect((await setFeed(mate, t.member.memberId, { url: garmin.url('/x') })).statusCode).toBe(403);
    const stranger = await team();
    expect((await setFeed(t.lead, stranger.member.memberId, { url: garmin.url('/x') })).statusCode).toBe(404);
    const none = await h.app.inject({
      method: 'GET',
      url: `/api/members/${t.member.memberId}/inreach`,
      headers: bearer(t.lead),
    });
    expect(none.statusCode).toBe(404);
  });

  it('takes Garmin’s IPC Outbound events with the team secret: positions, SOS, messages, once each', async () => {
    const t = await team();
    const settings = await h.app.inject({
      method: 'GET',
      url: '/api/inreach/outbound-settings',
      headers: bearer(t.lead),
    });
    expect(settings.statusCode).toBe(200);
    const { secret, url } = settings.json<InReachOutboundInfo>();
    expect(url).toMatch(/\/api\/inreach\/outbound\?secret=inreach_/);
    expect(
      (
        await h.app.inject({
          method: 'GET',
          url: '/api/inreach/outbound-settings',
          headers: bearer(t.member),
        })
      ).statusCode,
    ).toBe(403);
    const post = (payload: unknown, q = `?secret=${secret}`, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url: `/api/inreach/outbound${q}`, payload: payload as object, headers });
    const now = Date.now();
    const body = {
      ...IPC_BODY,
      Events: [
        { ...IPC_EVENT, imei: t.imei, timeStamp: now - 120_000 },
        { ...IPC_EVENT, imei: t.imei, messageCode: 0, freeText: '', timeStamp: now - 60_000 },
      ],
    };

    // Bad secrets and bodies: nothing stored.
    expect((await post(body, '')).statusCode).toBe(401);
    expect((await post(body, '?secret=inreach_nope')).statusCode).toBe(403);
    const badLat = await post({
      ...body,
      Events: [{ ...body.Events[0], point: { ...IPC_EVENT.point, latitude: 91 } }],
    });
    expect(badLat.statusCode).toBe(400);
    expect(badLat.json().error.details).toEqual({ field: 'Events.0.point.latitude' });
    const badImei = await post({ ...body, Events: [{ ...body.Events[0], imei: 12345 }] });
    expect(badImei.json().error.details).toEqual({ field: 'Events.0.imei' });
    expect((await post({ Events: body.Events })).json().error.details).toEqual({ field: 'Version' });
    const half = await post({ ...body, Events: [body.Events[0], { ...body.Events[1], timeStamp: 'now' }] });
    expect(half.json().error.details).toEqual({ field: 'Events.1.timeStamp' });
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/inreach/outbound?secret=${secret}`,
          payload: '{"Version":',
          headers: { 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(400);
    expect(await rowsOf(t.imei)).toEqual([]);

    const ok = await post(body, '', { 'x-outbound-auth-token': secret });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ positions: 2, sos: 0, messages: 1, ignored: 0 });
    expect((await post(body)).json()).toEqual({ positions: 0, sos: 0, messages: 0, ignored: 2 });
    const rows = await rowsOf(t.imei);
    expect(rows.map((r) => [r.lat, r.source])).toEqual([
      [43.8078653812408, 'inreach'],
      [43.8078653812408, 'inreach'],
    ]);
    expect(rows[0]?.speed).toBeCloseTo(50 / 3.6, 6);
    const messages = await d.db
      .selectFrom('messages')
      .selectAll()
      .where('team_id', '=', t.lead.teamId)
      .execute();
    expect(messages.map((m) => [m.text, m.source])).toEqual([['On my way.', 'inreach']]);

    // Declare SOS (4): a real SOS; an IMEI of another team is not this secret's.
    const other = await team();
    const sos = await post({
      ...IPC_BODY,
      Events: [
        { ...IPC_EVENT, imei: t.imei, messageCode: 4, freeText: 'fell', timeStamp: now - 30_000 },
        { ...IPC_EVENT, imei: other.imei, timeStamp: now - 30_000 },
      ],
    });
    expect(sos.json()).toEqual({ positions: 1, sos: 1, messages: 0, ignored: 1 });
    expect(await rowsOf(other.imei)).toEqual([]);
    const alerts = await alertsOf(t.lead.teamId);
    expect(alerts.find((a) => a.type === 'sos')).toMatchObject({
      mode: 'real',
      text: 'satellite SOS (inReach): fell',
    });

    // A new secret: the old one stops at once.
    const rotated = await h.app.inject({
      method: 'POST',
      url: '/api/inreach/outbound-settings/rotate',
      headers: bearer(t.lead),
    });
    expect(rotated.json<InReachOutboundInfo>().secret).not.toBe(secret);
    expect((await post(body)).statusCode).toBe(403);
  });
});
