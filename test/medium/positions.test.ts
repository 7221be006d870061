// The positions service called directly, on every engine: reports from devices and the field page,
// the latest position of each member (stale after the team's limit), and a device's SOS alarm.
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/contract/live.ts';
import type { PositionReport } from '../../src/contract/positions.ts';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(engines)('the positions service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'LEAD' | 'ALFA' | 'BRAVO'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'LEAD', ['ALFA', 'BRAVO']);
  });

  /** A fix from a member's Traccar Client, two seconds old. */
  const fromDevice = (who: 'LEAD' | 'ALFA' | 'BRAVO', over: Partial<PositionReport> = {}) =>
    s.services.positions.reportFromDevice({
      deviceId: pack.m[who].device,
      time: new Date(clock.ms - 2_000),
      lat: 47.37,
      lon: 8.54,
      accuracyM: 8,
      batteryPct: 76,
      source: 'osmand',
      ...over,
    });

  it('stores a device’s report in the team’s mode and sends it live, logging no event', async () => {
    const live: LiveMessage[] = [];
    const stop = s.services.bus.subscribe(pack.id, (m) => live.push(m));
    const before = await s.lastSeq(pack.id);
    const p = await fromDevice('ALFA');
    stop();
    expect(p).toEqual({
      memberId: pack.m.ALFA.memberId,
      time: iso(START - 2_000),
      lat: 47.37,
      lon: 8.54,
      accuracy: 8,
      altitude: null,
      speed: null,
      bearing: null,
      battery: 76,
      alarm: null,
      source: 'osmand',
      mode: 'real',
    });
    expect(live).toEqual([{ type: 'position', position: p }]);
    // Positions have a table of their own; the event log stays for state changes.
    expect(await s.events(pack.id, before)).toEqual([]);
  });

  it('refuses a device nobody registered, and a fix from the far future, storing nothing', async () => {
    await expect(fromDevice('ALFA', { deviceId: 'stranger-phone' })).rejects.toMatchObject({
      status: 404,
      code: 'unknown_device',
    });
    await expect(fromDevice('ALFA', { time: new Date(START + 3_600_000) })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_time',
    });
    expect((await s.services.positions.latest(pack.as.LEAD, pack.id)).features).toEqual([]);
  });

  it('gives the latest position of each member, stale once the team’s limit has passed', async () => {
    await fromDevice('ALFA', { lat: 47.1 });
    clock.ms += 1_000;
    await fromDevice('ALFA', { lat: 47.2 });
    await s.services.positions.reportFromMember(pack.as.BRAVO, {
      time: new Date(clock.ms),
      lat: 47.3,
      lon: 8.5,
      source: 'field',
    });
    const latest = await s.services.positions.latest(pack.as.ALFA, pack.id);
    expect(latest.type).toBe('FeatureCollection');
    const byCallsign = Object.fromEntries(latest.features.map((f) => [f.properties.callsign, f]));
    expect(Object.keys(byCallsign).sort()).toEqual(['ALFA', 'BRAVO']);
    expect(byCallsign.ALFA?.geometry.coordinates).toEqual([8.54, 47.2]);
    expect(byCallsign.ALFA?.properties).toMatchObject({
      memberId: pack.m.ALFA.memberId,
      time: iso(START - 1_000),
      accuracy: 8,
      stale: false,
      status: 'ok',
      mode: 'real',
    });
    expect(byCallsign.BRAVO?.properties).toMatchObject({ time: iso(START + 1_000), stale: false });

    const { staleSeconds } = await s.services.teams.get(pack.as.LEAD, pack.id);
    clock.ms = START - 1_000 + staleSeconds * 1000 + 1_000;
    const later = await s.services.positions.latest(pack.as.LEAD, pack.id);
    const alfa = later.features.find((f) => f.properties.callsign === 'ALFA');
    expect(alfa?.properties).toMatchObject({ stale: true, status: 'stale' });
  });

  it('shows a team only its own members’ positions', async () => {
    const other = await s.team('Other', 'OTHER');
    await fromDevice('ALFA');
    await expect(s.services.positions.latest(other.as.OTHER, pack.id)).rejects.toMatchObject({ status: 403 });
    expect((await s.services.positions.latest(other.as.OTHER, other.id)).features).toEqual([]);
  });

  it('marks positions taken during a running exercise as exercise', async () => {
    const exercise = await s.services.operations.createExercise(pack.as.LEAD, pack.id, { name: 'Drill' });
    await s.services.operations.act(pack.as.LEAD, pack.id, exercise.id, 'start');
    expect((await fromDevice('ALFA')).mode).toBe('exercise');
    const latest = await s.services.positions.latest(pack.as.LEAD, pack.id);
    expect(latest.features[0]?.properties.mode).toBe('exercise');
  });

  it('raises a real SOS from a device’s sos alarm, at the reported position', async () => {
    const before = await s.lastSeq(pack.id);
    const p = await fromDevice('BRAVO', { alarm: 'sos', lat: 46.9, lon: 7.4 });
    expect(p.alarm).toBe('sos');
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([
      ['operation.updated', 'opened', 'real'],
      ['alert.updated', 'raised', 'real'],
      ['rollcall.updated', null, 'real'],
      ['alert.updated', 'raised', 'real'],
    ]);
    const sos = (await s.services.alerts.list(pack.as.LEAD, pack.id)).find((a) => a.type === 'sos');
    expect(sos).toMatchObject({
      mode: 'real',
      state: 'active',
      senderId: pack.m.BRAVO.memberId,
      position: { lat: 46.9, lon: 7.4 },
      text: 'device alarm: sos',
    });
    const latest = await s.services.positions.latest(pack.as.LEAD, pack.id);
    expect(latest.features.find((f) => f.properties.callsign === 'BRAVO')?.properties.status).toBe('sos');
  });
});
