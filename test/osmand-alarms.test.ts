import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceNotice } from '../src/contract/device-notices.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { deviceAlarmAction } from '../src/domain/alerts.ts';
import { buildOsmAndServer } from '../src/gateways/osmand/server.ts';
import { bearer, startExercise } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/**
 * OsmAnd `alarm=` values beyond sos, by Traccar's alarm names (org.traccar.model.Position `ALARM_*`, which
 * Traccar's OsmAndProtocolDecoder stores as sent): what each does in Howl, over the real OsmAnd port.
 */

describe('deviceAlarmAction', () => {
  it.each([
    ['sos', { kind: 'sos' }],
    ['SOS', { kind: 'sos' }],
    ['fallDown', { kind: 'alert', type: 'man_down' }],
    ['geofenceExit', { kind: 'alert', type: 'geofence' }],
    ['lowBattery', { kind: 'notice', notice: 'low_battery' }],
    ['lowPower', { kind: 'notice', notice: 'low_battery' }],
    ['general', { kind: 'notice', notice: 'alarm' }],
    ['geofenceEnter', { kind: 'notice', notice: 'alarm' }],
    ['somethingNew', { kind: 'notice', notice: 'alarm' }],
  ])('maps %s', (alarm, action) => {
    expect(deviceAlarmAction(alarm)).toEqual(action);
  });
});

describe.each(engines)('OsmAnd alarms over TCP on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let osmand: FastifyInstance;
  let base: string;
  let n = 0;

  beforeAll(async () => {
    osmand = await buildOsmAndServer(h.services.positions, { logger: false });
    base = await osmand.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await osmand?.close();
  });

  /** A team of its own per test: a leader and a member with a Traccar Client. */
  const team = async () => {
    const name = `Alarms ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const m = await h.addMember(name, `TRK${n}`, { device: `trk-${n}` });
    return { lead, m };
  };
  const report = (m: AddedMember, params: Record<string, string | number>) =>
    fetch(
      `${base}/?${new URLSearchParams(
        Object.entries({
          id: m.device,
          lat: 46.1,
          lon: 7.1,
          timestamp: Math.floor(Date.now() / 1000) - 10,
          ...params,
        }).map(([k, v]) => [k, String(v)]),
      )}`,
    );
  const rowsOf = (m: AddedMember) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', m.device).orderBy('id').execute();
  const alertsOf = (m: AddedMember) => h.services.alerts.activeAlerts(m.teamId);
  const notices = async (m: AddedMember) =>
    (
      await d.db
        .selectFrom('events')
        .selectAll()
        .where('team_id', '=', m.teamId)
        .where('type', '=', 'device.notice')
        .orderBy('seq')
        .execute()
    ).map((e) => ({
      mode: e.mode,
      ...(e.payload as { notice: DeviceNotice }),
    }));

  it('raises an SOS for alarm=sos, as before', async () => {
    const { m } = await team();
    expect((await report(m, { alarm: 'sos' })).status).toBe(200);
    expect((await alertsOf(m)).find((a) => a.type === 'sos')).toMatchObject({
      mode: 'real',
      senderId: m.memberId,
    });
  });

  it('raises a man-down alert about the member for fallDown, once while it lasts, in the team’s mode', async () => {
    const { lead, m } = await team();
    for (let i = 0; i < 2; i++) expect((await report(m, { alarm: 'fallDown' })).status).toBe(200);
    expect((await rowsOf(m)).map((r) => r.alarm)).toEqual(['fallDown', 'fallDown']);
    const down = (await alertsOf(m)).filter((a) => a.type === 'man_down');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({
      mode: 'real',
      senderId: m.memberId,
      subjectId: m.memberId,
      operationId: null,
      position: { lat: 46.1, lon: 7.1 },
      text: 'device alarm: fallDown',
    });
    // The condition monitor does not resolve a device's own alarm: it stays until a person ends it.
    await h.services.alerts.tick();
    expect((await alertsOf(m)).filter((a) => a.type === 'man_down')).toHaveLength(1);
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${down[0]?.id}/cancel`,
      headers: bearer(lead),
      payload: { reason: 'phone dropped' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);

    // During an exercise, a new one is exercise traffic.
    await startExercise(h, lead);
    expect((await report(m, { alarm: 'fallDown' })).status).toBe(200);
    expect((await alertsOf(m)).find((a) => a.type === 'man_down')).toMatchObject({ mode: 'exercise' });
  });

  it('raises a geofence alert about the member for geofenceExit', async () => {
    const { m } = await team();
    expect((await report(m, { alarm: 'geofenceExit' })).status).toBe(200);
    expect((await alertsOf(m)).filter((a) => a.type === 'geofence')).toEqual([
      expect.objectContaining({ subjectId: m.memberId, mode: 'real', text: 'device alarm: geofenceExit' }),
    ]);
  });

  it('logs lowBattery and lowPower as low-battery notices with the battery level, and alerts no one', async () => {
    const { lead, m } = await team();
    expect((await report(m, { alarm: 'lowBattery', batt: 9 })).status).toBe(200);
    await startExercise(h, lead);
    expect((await report(m, { alarm: 'lowPower' })).status).toBe(200);
    expect(await notices(m)).toEqual([
      {
        mode: 'real',
        notice: {
          kind: 'low_battery',
          memberId: m.memberId,
          callsign: m.callsign,
          deviceId: m.device,
          source: 'osmand',
          time: expect.any(String),
          alarm: 'lowBattery',
          battery: 9,
          position: { lat: 46.1, lon: 7.1 },
        },
      },
      {
        mode: 'exercise',
        notice: expect.objectContaining({ kind: 'low_battery', alarm: 'lowPower', battery: null }),
      },
    ]);
    expect(await alertsOf(m)).toEqual([]);
  });

  it('logs any other word, known or not, as a notice with the raw value; the position is stored (200)', async () => {
    const { m } = await team();
    for (const alarm of ['general', 'geofenceEnter', 'doorOpenedByBear']) {
      const res = await report(m, { alarm });
      expect(res.status, alarm).toBe(200);
      expect(await res.text()).toBe('OK');
    }
    expect((await rowsOf(m)).map((r) => r.alarm)).toEqual(['general', 'geofenceEnter', 'doorOpenedByBear']);
    expect((await notices(m)).map((x) => [x.notice.kind, 'alarm' in x.notice && x.notice.alarm])).toEqual([
      ['alarm', 'general'],
      ['alarm', 'geofenceEnter'],
      ['alarm', 'doorOpenedByBear'],
    ]);
    expect(await alertsOf(m)).toEqual([]);
  });

  it('takes the alarm from a Traccar Client JSON body', async () => {
    const { m } = await team();
    const res = await fetch(`${base}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: m.device,
        location: {
          timestamp: new Date(Date.now() - 5000).toISOString(),
          coords: { latitude: 46.2, longitude: 7.2, accuracy: 5 },
          battery: { level: 0.07, is_charging: false },
          extras: { alarm: 'lowBattery' },
        },
      }),
    });
    expect(res.status).toBe(200);
    expect((await notices(m))[0]?.notice).toMatchObject({ kind: 'low_battery', battery: 7 });
  });

  it('refuses a bad alarm value with 400 naming the field, storing and logging nothing', async () => {
    const { m } = await team();
    const long = await report(m, { alarm: 'x'.repeat(65) });
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/^alarm is invalid/);
    const json = await fetch(`${base}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: m.device,
        location: {
          timestamp: new Date().toISOString(),
          coords: { latitude: 46.2, longitude: 7.2 },
          extras: { alarm: 7 },
        },
      }),
    });
    expect(json.status).toBe(400);
    expect(await json.text()).toMatch(/^location\.extras\.alarm must be text/);
    const noPosition = await report(m, { alarm: 'fallDown', lat: 'north' });
    expect(noPosition.status).toBe(400);
    expect(await rowsOf(m)).toEqual([]);
    expect(await notices(m)).toEqual([]);
    expect(await alertsOf(m)).toEqual([]);
  });
});
