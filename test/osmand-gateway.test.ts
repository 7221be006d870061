import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { LatestPositions } from '../src/contract/positions.ts';
import { buildOsmAndServer } from '../src/gateways/osmand/server.ts';
import { JSON_CAPTURES, QUERY_CAPTURES } from './fixtures/osmand/traccar-captures.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const TEAM = 'Gateway team';
const MPS_PER_KNOT = 1852 / 3600;

describe.each(engines)('OsmAnd gateway over TCP on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let osmand: FastifyInstance;
  let base: string;
  let api: string;
  let n = 0;

  beforeAll(async () => {
    osmand = await buildOsmAndServer(h.services.positions, { logger: false });
    base = await osmand.listen({ port: 0, host: '127.0.0.1' });
    api = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await osmand.close();
  });

  /** A new member with a device of its own, so each test reads only its own rows. */
  const register = (device = `dev-${++n}`): Promise<AddedMember> => h.addMember(TEAM, `M${++n}`, { device });
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const total = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db)).rows[0]?.n);
  const epochS = (msAgo = 60_000) => Math.floor((Date.now() - msAgo) / 1000);
  const query = (params: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

  describe('accepted reports', () => {
    it('stores a GET query-string report before answering 200', async () => {
      const { device } = await register();
      const t = epochS();
      const res = await fetch(`${base}/?${query({ id: device, lat: 47.3769, lon: 8.5417, timestamp: t })}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('OK');
      const rows = await rowsOf(device);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ lat: 47.3769, lon: 8.5417, source: 'osmand', mode: 'real' });
      expect(new Date(rows[0]?.time ?? 0).getTime()).toBe(t * 1000);
    });

    it('stores a form-encoded POST body before answering 200', async () => {
      const { device } = await register();
      const t = epochS();
      const res = await fetch(`${base}/`, {
        method: 'POST',
        body: new URLSearchParams({
          id: device,
          lat: '47.5',
          lon: '8.6',
          timestamp: String(t),
          accuracy: '4.5',
          altitude: '408',
          bearing: '271.5',
          batt: '64',
        }),
      });
      expect(res.headers.get('content-type') ?? '').toMatch(/^text\/plain/);
      expect(res.status).toBe(200);
      expect(await rowsOf(device)).toEqual([
        expect.objectContaining({
          lat: 47.5,
          lon: 8.6,
          accuracy: 4.5,
          altitude: 408,
          bearing: 271.5,
          battery: 64,
        }),
      ]);
    });

    it('stores a query-string POST with an empty body, as older Traccar Clients send it', async () => {
      const { device } = await register();
      const res = await fetch(`${base}/?${query({ id: device, lat: 1.5, lon: 2.5, timestamp: epochS() })}`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
      expect(await rowsOf(device)).toEqual([expect.objectContaining({ lat: 1.5, lon: 2.5 })]);
    });

    it('stores the JSON body current Traccar Client versions post', async () => {
      const { device } = await register();
      const time = new Date(Date.now() - 30_000).toISOString();
      const res = await fetch(`${base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          device_id: device,
          location: {
            timestamp: time,
            coords: { latitude: -6.1148, longitude: 106.6837, accuracy: 3.8, speed: 18.67, heading: 63 },
            battery: { level: 0.79, is_charging: false },
            extras: {},
          },
        }),
      });
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows).toEqual([
        expect.objectContaining({ lat: -6.1148, lon: 106.6837, speed: 18.67, bearing: 63, battery: 79 }),
      ]);
      expect(new Date(rows[0]?.time ?? 0).toISOString()).toBe(time);
    });

    it.each([
      [
        'epoch seconds',
        (ms: number) => String(Math.floor(ms / 1000)),
        (ms: number) => Math.floor(ms / 1000) * 1000,
      ],
      ['epoch milliseconds', (ms: number) => String(ms), (ms: number) => ms],
      ['ISO 8601', (ms: number) => new Date(ms).toISOString(), (ms: number) => ms],
    ])('reads a timestamp in %s', async (_, format, expected) => {
      const { device } = await register();
      const ms = Date.now() - 120_000;
      const res = await fetch(`${base}/?${query({ id: device, lat: 10, lon: 20, timestamp: format(ms) })}`);
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows.map((r) => new Date(r.time).getTime())).toEqual([expected(ms)]);
    });

    it('stores speed sent in knots as metres per second', async () => {
      const { device } = await register();
      const res = await fetch(
        `${base}/?${query({ id: device, lat: 10, lon: 20, timestamp: epochS(), speed: 10 })}`,
      );
      expect(res.status).toBe(200);
      const [row] = await rowsOf(device);
      expect(row?.speed).toBeCloseTo(10 * MPS_PER_KNOT, 6);
    });

    it('stores alarm=sos and shows the member as sos in /api/positions/latest', async () => {
      const m = await register();
      const res = await fetch(
        `${base}/?${query({ id: m.device, lat: 46.1, lon: 7.1, timestamp: epochS(10_000), alarm: 'sos' })}`,
      );
      expect(res.status).toBe(200);
      expect((await rowsOf(m.device))[0]?.alarm).toBe('sos');
      const latest = await fetch(`${api}/api/positions/latest`, {
        headers: { authorization: `Bearer ${m.token}` },
      });
      expect(latest.status).toBe(200);
      const body = (await latest.json()) as LatestPositions;
      const mine = body.features.find((f) => f.properties.memberId === m.memberId);
      expect(mine?.properties).toMatchObject({ status: 'sos', alarm: 'sos', stale: false, mode: 'real' });
      expect(mine?.geometry.coordinates).toEqual([7.1, 46.1]);
    });

    it('stores a report from the past without replacing the latest position', async () => {
      const m = await register();
      const now = epochS(5_000);
      const send = (lat: number, timestamp: number) =>
        fetch(`${base}/?${query({ id: m.device, lat, lon: 8, timestamp })}`).then((r) => r.status);
      expect(await send(47.2, now)).toBe(200);
      expect(await send(47.1, now - 3600)).toBe(200);
      expect((await rowsOf(m.device)).map((r) => r.lat)).toEqual([47.2, 47.1]);
      const latest = (await (
        await fetch(`${api}/api/positions/latest`, { headers: { authorization: `Bearer ${m.token}` } })
      ).json()) as LatestPositions;
      const mine = latest.features.find((f) => f.properties.memberId === m.memberId);
      expect(mine?.geometry.coordinates).toEqual([8, 47.2]);
      expect(mine?.properties.time).toBe(new Date(now * 1000).toISOString());
    });
  });

  describe('as liberal as Traccar', () => {
    it('stores the position of a report whose auxiliary fields are out of range, without them', async () => {
      const { device } = await register();
      const t = epochS();
      const res = await fetch(
        `${base}/?${query({ id: device, lat: 46.5, lon: 7.9, timestamp: t, speed: -1, bearing: 400, accuracy: -3, altitude: -99999, batt: 150, charge: 'maybe', hdop: 'x' })}`,
      );
      expect(res.status).toBe(200);
      const ignored = /^OK \(ignored: (.*)\)$/.exec(await res.text())?.[1]?.split(', ');
      expect(ignored?.sort()).toEqual(['accuracy', 'altitude', 'batt', 'bearing', 'charge', 'speed']);
      expect(await rowsOf(device)).toEqual([
        expect.objectContaining({
          lat: 46.5,
          lon: 7.9,
          speed: null,
          bearing: null,
          accuracy: null,
          altitude: null,
          battery: null,
        }),
      ]);
    });

    it('keeps the good auxiliary fields next to a bad one', async () => {
      const { device } = await register();
      const res = await fetch(
        `${base}/?${query({ id: device, lat: 46.5, lon: 7.9, timestamp: epochS(), speed: 'NaN', bearing: 90, batt: 55 })}`,
      );
      expect(res.status).toBe(200);
      expect(await rowsOf(device)).toEqual([
        expect.objectContaining({ speed: null, bearing: 90, battery: 55 }),
      ]);
    });

    it('stores a JSON body without a timestamp and with a nonsensical battery at the time of receipt', async () => {
      const { device } = await register();
      const sentAt = Date.now();
      const res = await fetch(`${base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          device_id: device,
          location: { coords: { latitude: 46.5, longitude: 7.9, heading: 720 }, battery: { level: 7 } },
        }),
      });
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows).toEqual([expect.objectContaining({ lat: 46.5, bearing: null, battery: null })]);
      expect(new Date(rows[0]?.time ?? 0).getTime()).toBeGreaterThanOrEqual(sentAt);
      expect(new Date(rows[0]?.time ?? 0).getTime()).toBeLessThanOrEqual(
        new Date(rows[0]?.received_at ?? 0).getTime(),
      );
    });

    it('stores a form POST without a timestamp at the time of receipt', async () => {
      const { device } = await register();
      const res = await fetch(`${base}/`, {
        method: 'POST',
        body: new URLSearchParams({ id: device, lat: '46.5', lon: '7.9', batt: '-5' }),
      });
      expect(res.status).toBe(200);
      expect(await rowsOf(device)).toEqual([expect.objectContaining({ lat: 46.5, battery: null })]);
    });
  });

  describe('refused reports change nothing', () => {
    let device: string;
    beforeAll(async () => {
      device = (await register()).device;
    });

    const refusals: Array<[string, () => Promise<Response>, number, RegExp]> = [
      [
        'an unknown device',
        () => fetch(`${base}/?${query({ id: 'nobody-here', lat: 1, lon: 2, timestamp: epochS() })}`),
        404,
        /^id: .*nobody-here.*not registered/,
      ],
      [
        'a latitude out of range',
        () => fetch(`${base}/?${query({ id: device, lat: 91, lon: 2, timestamp: epochS() })}`),
        400,
        /^lat\b/,
      ],
      [
        'a JSON latitude out of range',
        () =>
          fetch(`${base}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              device_id: device,
              location: { timestamp: new Date().toISOString(), coords: { latitude: -95, longitude: 2 } },
            }),
          }),
        400,
        /^location\.coords\.latitude\b/,
      ],
      [
        'a missing device id',
        () => fetch(`${base}/?${query({ lat: 1, lon: 2, timestamp: epochS() })}`),
        400,
        /^id\b/,
      ],
      [
        'a timestamp that is not a time',
        () => fetch(`${base}/?${query({ id: device, lat: 1, lon: 2, timestamp: 'yesterday' })}`),
        400,
        /^timestamp\b/,
      ],
      [
        'a time more than 5 minutes in the future',
        () => fetch(`${base}/?${query({ id: device, lat: 1, lon: 2, timestamp: epochS(-6 * 60_000) })}`),
        400,
        /^timestamp: .*future/,
      ],
      [
        'a form body over the size limit',
        () =>
          fetch(`${base}/`, {
            method: 'POST',
            body: new URLSearchParams({
              id: device,
              lat: '1',
              lon: '2',
              timestamp: String(epochS()),
              pad: 'x'.repeat(20_000),
            }),
          }),
        413,
        /./,
      ],
      [
        'a JSON body that does not parse',
        () =>
          fetch(`${base}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: `{"device_id":"${device}",`,
          }),
        400,
        /./,
      ],
    ];

    it.each(refusals)('refuses %s with a reason naming the field', async (_, send, status, reason) => {
      const before = await total();
      const res = await send();
      expect(res.status).toBe(status);
      expect(await res.text()).toMatch(reason);
      expect(await total()).toBe(before);
      expect(await rowsOf(device)).toEqual([]);
    });

    it('still stores a good report from the same device after the refusals', async () => {
      const res = await fetch(`${base}/?${query({ id: device, lat: 1, lon: 2, timestamp: epochS() })}`);
      expect(res.status).toBe(200);
      expect(await rowsOf(device)).toHaveLength(1);
    });
  });

  describe('real Traccar captures', () => {
    const captureDevices = [
      '123456',
      '861001000719969',
      '902064',
      '353861053849681',
      '123456789012345',
      '48241179',
      '8737767034',
      '658765',
    ];
    beforeAll(async () => {
      for (const device of captureDevices) await register(device);
    });

    it.each([
      ['minimal', QUERY_CAPTURES.minimal, '123456', { lat: 60, lon: 30 }, '2013-08-22T13:14:27.000Z'],
      [
        'epochSecondsFull',
        QUERY_CAPTURES.epochSecondsFull,
        '123456',
        { speed: 0, bearing: 0, altitude: 0 },
        '2013-08-22T13:14:27.000Z',
      ],
      [
        'isoZulu',
        QUERY_CAPTURES.isoZulu,
        '902064',
        { lat: 42.06288, altitude: 224 },
        '2016-01-27T18:55:47.000Z',
      ],
      ['epochMillis', QUERY_CAPTURES.epochMillis, '902064', { lon: -88.23412 }, '2015-09-12T14:38:06.579Z'],
      [
        'spaceSeparated',
        QUERY_CAPTURES.spaceSeparated,
        '353861053849681',
        { altitude: 384.7 },
        '2014-06-04T09:10:11.000Z',
      ],
      [
        'locationPair',
        QUERY_CAPTURES.locationPair,
        '123456',
        { lat: 60, lon: 30 },
        '2013-08-22T13:14:27.000Z',
      ],
      [
        'vehicleExtras',
        QUERY_CAPTURES.vehicleExtras,
        '123456789012345',
        { speed: expect.closeTo(40 * MPS_PER_KNOT, 6), bearing: 7.19889788244 },
        '2017-09-07T05:56:50.000Z',
      ],
    ])('stores the %s GET capture verbatim', async (_, target, device, fields, time) => {
      const before = (await rowsOf(device)).length;
      const res = await fetch(`${base}${target}`);
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject(fields);
      expect(new Date(rows.at(-1)?.time ?? 0).toISOString()).toBe(time);
    });

    it.each([
      ['android', JSON_CAPTURES.android, '48241179', { lat: 37.4219983, battery: 100, bearing: null }],
      ['moving', JSON_CAPTURES.moving, '8737767034', { speed: 18.67, bearing: 63, battery: 79 }],
      ['androidExtras', JSON_CAPTURES.androidExtras, '48241179', { lat: 37.4219983, battery: 100 }],
      ['iosSimulator', JSON_CAPTURES.iosSimulator, '658765', { speed: null, bearing: null, battery: null }],
    ])('stores the %s JSON capture verbatim', async (_, body, device, fields) => {
      const before = (await rowsOf(device)).length;
      const res = await fetch(`${base}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toEqual(expect.objectContaining(fields));
    });

    it('answers a cell-and-Wi-Fi-only report of a known device with 200, storing nothing', async () => {
      const { device } = await register();
      const before = await total();
      const known = await fetch(
        `${base}${QUERY_CAPTURES.cellAndWifiOnly.replace('id=123456', `id=${device}`)}`,
      );
      expect(known.status).toBe(200);
      expect(await known.text()).toMatch(/no coordinates/);
      const unknown = await fetch(
        `${base}${QUERY_CAPTURES.cellAndWifiOnly.replace('id=123456', 'id=nobody-here')}`,
      );
      expect(unknown.status).toBe(404);
      expect(await total()).toBe(before);
    });

    it.each([
      ['deviceIdNoTimestamp', QUERY_CAPTURES.deviceIdNoTimestamp, '123456', { lat: 60, lon: 30, bearing: 0 }],
      ['batteryNoTimestamp', QUERY_CAPTURES.batteryNoTimestamp, '861001000719969', { battery: 87 }],
    ])('stores the %s capture at the time of receipt, as Traccar does', async (_, target, device, fields) => {
      const before = (await rowsOf(device)).length;
      const sentAt = Date.now();
      const res = await fetch(`${base}${target}`);
      expect(res.status).toBe(200);
      const rows = await rowsOf(device);
      expect(rows).toHaveLength(before + 1);
      const row = rows.at(-1);
      expect(row).toMatchObject(fields);
      // Stored at the time of receipt: after it was sent, not after the service stored it.
      expect(new Date(row?.time ?? 0).getTime()).toBeGreaterThanOrEqual(sentAt);
      expect(new Date(row?.time ?? 0).getTime()).toBeLessThanOrEqual(
        new Date(row?.received_at ?? 0).getTime(),
      );
    });

    it.each([['noDeviceId', QUERY_CAPTURES.noDeviceId, /^id\b/]])(
      'refuses the %s capture with 400 and stores nothing',
      async (_, target, reason) => {
        const before = await total();
        const res = await fetch(`${base}${target}`);
        expect(res.status).toBe(400);
        expect(await res.text()).toMatch(reason);
        expect(await total()).toBe(before);
      },
    );
  });
});
