import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceNotice } from '../src/contract/device-notices.ts';
import type { LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { distanceM } from '../src/domain/geo.ts';
import { areaRegionName } from '../src/gateways/owntracks/area.ts';
import { teamKey } from '../src/gateways/owntracks/identity.ts';
import { type OwnTracksMqtt, startOwnTracksMqtt } from '../src/gateways/owntracks/mqtt.ts';
import { ANDROID_TRANSITION, ANDROID_WAYPOINT, freshLocation } from './fixtures/owntracks/captures.ts';
import { bearer, captureLogger, waitFor } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import type { Harness } from './support/harness.ts';
import { clearRetained, MQTT_URL } from './support/mqtt.ts';
import { type TestDatabase, useHarness } from './support/setup.ts';
import { openLive } from './support/ws-client.ts';

/**
 * OwnTracks transitions, regions (waypoints) and lost connections, over HTTP and over MQTT (a real broker),
 * from payloads in the shape of the booklet (owntracks.org/booklet/tech/json) and the Android app's fixtures.
 */

const nowS = (agoS = 30) => Math.floor(Date.now() / 1000) - agoS;
/** The Android app's transition fixture, made recent (positions older than the team limit are still stored). */
const transition = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ ...JSON.parse(ANDROID_TRANSITION), tst: nowS(), ...over });
/** An area around (46.5, 7.5), about 1.1 km across. */
const AREA = [
  { lat: 46.495, lon: 7.495 },
  { lat: 46.505, lon: 7.495 },
  { lat: 46.505, lon: 7.505 },
  { lat: 46.495, lon: 7.505 },
];

async function exerciseWithArea(h: Harness, leader: AddedMember, name: string): Promise<string> {
  const planned = await h.app.inject({
    method: 'POST',
    url: '/api/operations',
    headers: bearer(leader),
    payload: { name, area: AREA },
  });
  expect(planned.statusCode, planned.body).toBe(201);
  const id = (planned.json() as { id: string }).id;
  const started = await h.app.inject({
    method: 'POST',
    url: `/api/operations/${id}/actions`,
    headers: bearer(leader),
    payload: { action: 'start' },
  });
  expect(started.statusCode, started.body).toBe(200);
  return id;
}

function shared(d: TestDatabase) {
  const notices = async (teamId: string) =>
    (
      await d.db
        .selectFrom('events')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('type', '=', 'device.notice')
        .orderBy('seq')
        .execute()
    ).map((e) => ({
      mode: e.mode,
      notice: (e.payload as { notice: DeviceNotice }).notice,
    }));
  const positionsOf = (memberId: string) =>
    d.db.selectFrom('positions').selectAll().where('member_id', '=', memberId).orderBy('id').execute();
  const regionsOf = (memberId: string) =>
    d.db.selectFrom('owntracks_waypoints').selectAll().where('member_id', '=', memberId).execute();
  return { notices, positionsOf, regionsOf };
}

describe.each(engines)('OwnTracks transitions, regions and lost connections over HTTP on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let api: string;
  let n = 0;
  const { notices, positionsOf, regionsOf } = shared(d);

  beforeAll(async () => {
    api = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });

  const team = async () => {
    const name = `Regions ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const user = `user${n}`;
    const ot = await h.addMember(name, `OTTO${n}`, { device: `${user}-phone` });
    return { name, lead, ot, user };
  };
  const post = (body: string, m: AddedMember, user: string) =>
    fetch(`${api}/api/owntracks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${user}:${m.token}`).toString('base64')}`,
        'x-limit-u': user,
        'x-limit-d': 'phone',
      },
      body,
    });
  const live = (teamId: string) => {
    const got: LiveMessage[] = [];
    const stop = h.services.bus.subscribe(teamId, (m) => got.push(m));
    return { got, stop };
  };

  it('stores the position a transition was sent from and logs a live region notice in the team’s mode', async () => {
    const { lead, ot, user } = await team();
    const feed = live(ot.teamId);
    const res = await post(transition(), ot, user);
    expect(res.status, await res.clone().text()).toBe(200);
    const rows = await positionsOf(ot.memberId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lat: 52.71234, lon: -1.61234123, accuracy: 3, source: 'owntracks' });
    expect(rows[0]?.device_id).toBe(`${user}-phone`);
    const [logged] = await notices(ot.teamId);
    expect(logged).toEqual({
      mode: 'real',
      notice: {
        kind: 'region',
        memberId: ot.memberId,
        callsign: ot.callsign,
        deviceId: `${user}-phone`,
        source: 'owntracks',
        time: expect.any(String),
        event: 'leave',
        region: 'myregion',
        position: { lat: 52.71234, lon: -1.61234123 },
        operationArea: false,
      },
    });
    const event = feed.got.find((m) => m.type === 'event' && m.event.type === 'device.notice');
    expect(event).toMatchObject({ event: { mode: 'real', notice: { kind: 'region', event: 'leave' } } });
    feed.stop();

    // A beacon's transition has no position of its own (0,0): only the notice, now an exercise one.
    await exerciseWithArea(h, lead, `Drill ${n}`);
    const beacon = await post(
      transition({ t: 'b', lat: 0, lon: 0, event: 'enter', desc: 'inner' }),
      ot,
      user,
    );
    expect(beacon.status).toBe(200);
    expect(await positionsOf(ot.memberId)).toHaveLength(1);
    const all = await notices(ot.teamId);
    expect(all[1]).toMatchObject({
      mode: 'exercise',
      notice: { event: 'enter', region: 'inner', position: null },
    });
    // No region of Howl's was left: no alert.
    expect((await h.services.alerts.activeAlerts(ot.teamId)).filter((a) => a.type === 'geofence')).toEqual(
      [],
    );
  });

  it('raises the exercise’s geofence alert once when the app leaves the area region Howl sent', async () => {
    const { lead, ot, user } = await team();
    const name = `Night navigation ${n}`;
    await exerciseWithArea(h, lead, name);
    const outside = { lat: 46.52, lon: 7.5, desc: areaRegionName(name), event: 'leave' };
    for (const tst of [nowS(40), nowS(20)])
      expect((await post(transition({ ...outside, tst }), ot, user)).status).toBe(200);
    const geofence = (await h.services.alerts.activeAlerts(ot.teamId)).filter((a) => a.type === 'geofence');
    expect(geofence).toHaveLength(1);
    expect(geofence[0]).toMatchObject({
      mode: 'exercise',
      subjectId: ot.memberId,
      sender: 'HOWL',
      position: { lat: 46.52, lon: 7.5 },
    });
    expect((await notices(ot.teamId)).map((x) => x.notice)).toMatchObject([
      { operationArea: true, event: 'leave' },
      { operationArea: true, event: 'leave' },
    ]);
  });

  it('keeps each device’s latest regions and lists them to the member’s team only', async () => {
    const { ot, user } = await team();
    const other = await team();
    const list = (memberId: string, as: AddedMember) =>
      h.app.inject({
        method: 'GET',
        url: `/api/owntracks/waypoints?memberId=${memberId}`,
        headers: bearer(as),
      });
    const two = JSON.stringify({
      _type: 'waypoints',
      waypoints: [
        JSON.parse(ANDROID_WAYPOINT),
        { _type: 'waypoint', desc: 'Base', lat: 46.5, lon: 7.5, rad: 50, tst: 1700000000 },
      ],
    });
    expect((await post(two, ot, user)).status).toBe(200);
    // One region edited on the phone: published alone, it replaces the one of the same name.
    const moved = JSON.stringify({
      _type: 'waypoint',
      desc: 'Base',
      lat: 46.6,
      lon: 7.6,
      rad: 80,
      tst: 1700000100,
    });
    expect((await post(moved, ot, user)).status).toBe(200);
    const res = await list(ot.memberId, ot);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      memberId: ot.memberId,
      regions: [
        expect.objectContaining({
          deviceId: `${user}-phone`,
          name: 'Base',
          lat: 46.6,
          lon: 7.6,
          radiusM: 80,
        }),
        expect.objectContaining({
          name: 'mypoint',
          lat: 52.0027789,
          radiusM: 150,
          createdAt: '2019-05-20T11:21:13.000Z',
        }),
      ],
    });
    // The whole list again, shorter: it replaces the device's list.
    const one = JSON.stringify({ _type: 'waypoints', waypoints: [JSON.parse(ANDROID_WAYPOINT)] });
    expect((await post(one, ot, user)).status).toBe(200);
    expect(((await list(ot.memberId, ot)).json() as { regions: unknown[] }).regions).toHaveLength(1);
    expect(await positionsOf(ot.memberId)).toEqual([]);

    expect((await list(ot.memberId, other.lead)).statusCode).toBe(404);
    const bad = await h.app.inject({
      method: 'GET',
      url: '/api/owntracks/waypoints?memberId=nope',
      headers: bearer(ot),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/memberId/);
    const anonymous = await h.app.inject({
      method: 'GET',
      url: `/api/owntracks/waypoints?memberId=${ot.memberId}`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('logs a lost connection as a notice the team sees on the live channel', async () => {
    const { lead, ot, user } = await team();
    const watcher = openLive(`${api.replace(/^http/, 'ws')}/api/live`, bearer(lead));
    await watcher.waitFor((m) => m.type === 'snapshot');
    expect((await post('{"_type":"lwt","tst":1700000000}', ot, user)).status).toBe(200);
    const seen = await watcher.waitFor((m) => m.type === 'event' && m.event.type === 'device.notice');
    expect(seen).toMatchObject({
      event: {
        mode: 'real',
        notice: { kind: 'connection_lost', callsign: ot.callsign, deviceId: `${user}-phone` },
      },
    });
    await watcher.close();
    expect(await notices(ot.teamId)).toMatchObject([
      {
        mode: 'real',
        notice: {
          kind: 'connection_lost',
          memberId: ot.memberId,
          connectedSince: '2023-11-14T22:13:20.000Z',
        },
      },
    ]);
  });

  it('answers 400 naming the field for bad transitions, regions and types, 413 when oversized, storing nothing', async () => {
    const { ot, user } = await team();
    const cases: Array<[string, string, number, string]> = [
      ['a transition without event', transition({ event: undefined }), 400, 'event'],
      ['a transition without tst', transition({ tst: undefined }), 400, 'tst'],
      ['a transition an hour ahead', transition({ tst: nowS(-3600) }), 400, 'tst'],
      ['a transition with lat out of range', transition({ lat: 91 }), 400, 'lat'],
      [
        'a waypoint with an invalid lat',
        '{"_type":"waypoint","desc":"x","lat":"north","lon":1,"tst":1}',
        400,
        'lat',
      ],
      [
        'a list with one bad waypoint',
        JSON.stringify({
          _type: 'waypoints',
          waypoints: [JSON.parse(ANDROID_WAYPOINT), { desc: 'y', lat: 200, tst: 1 }],
        }),
        400,
        'waypoints.1.lat',
      ],
      ['an unknown _type', '{"_type":"teleport","lat":1,"lon":2,"tst":1700000000}', 400, '_type'],
    ];
    for (const [name, body, status, field] of cases) {
      const res = await post(body, ot, user);
      expect(res.status, name).toBe(status);
      const err = (await res.json()) as { error: { message: string; details: { field: string } } };
      expect(err.error.details.field, name).toBe(field);
      expect(err.error.message, name).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}`));
    }
    const big = await post(transition({ desc: 'x'.repeat(70 * 1024) }), ot, user);
    expect(big.status).toBe(413);
    expect(await positionsOf(ot.memberId)).toEqual([]);
    expect(await regionsOf(ot.memberId)).toEqual([]);
    expect(await notices(ot.teamId)).toEqual([]);
  });
});

describe.skipIf(!MQTT_URL).each(engines)(
  'OwnTracks transitions, regions and lost connections over MQTT on $name',
  (engine) => {
    const url = MQTT_URL ?? '';
    const base = `howltr-${randomBytes(5).toString('hex')}`;
    const log = captureLogger();
    const { h, d } = useHarness(engine);
    let gw: OwnTracksMqtt;
    let n = 0;
    const clients: MqttClient[] = [];
    const { notices, positionsOf, regionsOf } = shared(d);

    beforeAll(async () => {
      gw = await startOwnTracksMqtt(h.services, {
        url,
        baseTopic: base,
        logger: log,
        reconnectPeriodMs: 100,
      });
    });
    afterAll(async () => {
      await gw?.close();
      if (url) await clearRetained(url, base);
      for (const c of clients) await c.endAsync(true);
    });

    /**
     * A phone's app: publishes as `SPACE/<user>/phone` (by default the shared layout of earlier versions,
     * `BASE/<user>/phone`) and keeps what arrives on its subscriptions.
     */
    const app = async (user: string, subscriptions: string[] = [], space = base) => {
      const client = await connectAsync(url, {
        clientId: `tr-${randomBytes(4).toString('hex')}`,
        reconnectPeriod: 0,
      });
      clients.push(client);
      const received: Array<{ topic: string; payload: string }> = [];
      client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
      if (subscriptions.length > 0) await client.subscribeAsync(subscriptions, { qos: 1 });
      const topic = `${space}/${user}/phone`;
      const publish = (leaf: string, payload: string | Buffer, retain = false) =>
        client.publishAsync(leaf ? `${topic}/${leaf}` : topic, payload, { qos: 1, retain });
      return { topic, received, publish };
    };
    const team = async () => {
      const name = `MQTT regions ${++n}`;
      const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
      const user = `tr${n}`;
      const ot = await h.addMember(name, `TRA${n}`, { device: `${user}-phone` });
      return { name, lead, ot, user };
    };

    it('stores a transition’s position, logs its notice and a lost connection; a retained will is old news', async () => {
      const { ot, user } = await team();
      const phone = await app(user);
      await phone.publish('event', transition());
      await phone.publish('', '{"_type":"lwt","tst":1700000000}', true);
      await phone.publish('', freshLocation({ lat: 50.5 }));
      await waitFor(async () => (await positionsOf(ot.memberId)).length >= 2);
      const kinds = await waitFor(async () => {
        const all = await notices(ot.teamId);
        return all.length >= 2 ? all.map((x) => x.notice.kind) : undefined;
      });
      expect(kinds).toEqual(['region', 'connection_lost']);
      expect((await positionsOf(ot.memberId)).map((r) => r.lat)).toEqual([52.71234, 50.5]);

      // Howl reconnects: the broker sends the retained will again. It is not a new loss.
      const closed = new Promise<void>((r) => gw.client.once('close', () => r()));
      gw.client.stream.destroy();
      await closed;
      await gw.ready();
      await waitFor(() =>
        log.lines.find((l) => l.msg.includes('retained lwt') && l.obj.deviceId === `${user}-phone`),
      );
      expect(await notices(ot.teamId)).toHaveLength(2);
      await phone.publish('', '', true);
    });

    it('keeps the regions an app publishes', async () => {
      const { ot, user } = await team();
      const phone = await app(user);
      // The Android app publishes its regions under `…/waypoints` (its pubTopicWaypoints).
      await phone.publish('waypoints', ANDROID_WAYPOINT);
      const rows = await waitFor(async () => {
        const r = await regionsOf(ot.memberId);
        return r.length > 0 ? r : undefined;
      });
      expect(rows[0]).toMatchObject({ name: 'mypoint', radius: 150, device_id: `${user}-phone` });
    });

    it('drops bad transitions, regions, unknown types and oversized payloads with a log line, storing nothing', async () => {
      const { ot, user } = await team();
      const phone = await app(user);
      await phone.publish('event', transition({ event: undefined }));
      await phone.publish('event', transition({ tst: undefined }));
      await phone.publish('', '{"_type":"waypoint","desc":"x","lat":123,"lon":1,"tst":1700000000}');
      await phone.publish('', '{"_type":"teleport","lat":1,"lon":2}');
      await phone.publish('event', Buffer.from(transition({ desc: 'x'.repeat(70 * 1024) })));
      await phone.publish('', freshLocation({ lat: 49.5 }));
      await waitFor(async () => (await positionsOf(ot.memberId)).length >= 1);
      await new Promise((r) => setTimeout(r, 100));
      expect((await positionsOf(ot.memberId)).map((r) => r.lat)).toEqual([49.5]);
      expect(await regionsOf(ot.memberId)).toEqual([]);
      expect(await notices(ot.teamId)).toEqual([]);
      const rejected = log.lines.filter(
        (l) => l.msg.includes('payload rejected') && String(l.obj.topic).startsWith(phone.topic),
      );
      expect(rejected.map((l) => l.obj.field)).toEqual(['event', 'tst', 'lat', '_type', 'payload']);
    });

    it('sends the running exercise’s area to the app as a setWaypoints command on its own cmd topic', async () => {
      const { lead, ot, user } = await team();
      // Only an app in its team's space gets it: Howl publishes nothing of a team outside that space.
      const space = `${base}/${teamKey(ot.teamId)}`;
      const phone = await app(user, [`${space}/${user}/phone/cmd`], space);
      await phone.publish('', freshLocation());
      await waitFor(async () => (await positionsOf(ot.memberId)).length >= 1);
      const name = `Area drill ${n}`;
      await exerciseWithArea(h, lead, name);
      const cmd = await waitFor(() => phone.received.find((r) => r.topic === `${phone.topic}/cmd`));
      const body = JSON.parse(cmd.payload);
      expect(body).toMatchObject({
        _type: 'cmd',
        action: 'setWaypoints',
        waypoints: {
          _type: 'waypoints',
          waypoints: [{ _type: 'waypoint', desc: areaRegionName(name), lat: 46.5, lon: 7.5 }],
        },
      });
      const region = body.waypoints.waypoints[0];
      // The smallest circle around the centre holding every corner: half the diagonal, ~675 m.
      for (const corner of AREA) expect(distanceM(region, corner)).toBeLessThanOrEqual(region.rad);
      expect(region.rad).toBeLessThan(700);

      // The app leaves it: Howl's geofence alert about the member, in the exercise.
      await phone.publish(
        'event',
        transition({ desc: region.desc, event: 'leave', lat: 46.52, lon: 7.5, wtst: region.tst }),
      );
      const alert = await waitFor(async () =>
        (await h.services.alerts.activeAlerts(ot.teamId)).find((a) => a.type === 'geofence'),
      );
      expect(alert).toMatchObject({ mode: 'exercise', subjectId: ot.memberId });
    });
  },
);
