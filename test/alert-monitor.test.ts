import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/contract/alerts.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { destination, type Point } from '../src/domain/geo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });
const BASE = { lat: 47.37, lon: 8.54 };
const START = Date.parse('2026-11-25T16:00:00Z');
/** A square of about 2.2 km around the base. */
const AREA = [
  { lat: 47.36, lon: 8.525 },
  { lat: 47.36, lon: 8.555 },
  { lat: 47.38, lon: 8.555 },
  { lat: 47.38, lon: 8.525 },
];

describe.each(engines)('the alert condition monitor on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let alfa: AddedMember;
  let bravo: AddedMember;
  let teamId: string;

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    alfa = await h.addMember('Pack', 'ALFA');
    bravo = await h.addMember('Pack', 'BRAVO');
    teamId = lead.teamId;
  });

  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: bearer(who), payload });
  const alerts = async (type?: Alert['type']): Promise<Alert[]> => {
    const all = (await send('GET', '/api/alerts', lead)).json().alerts as Alert[];
    return type ? all.filter((a) => a.type === type) : all;
  };
  const settings = async (body: object) =>
    expect((await send('PATCH', '/api/team', lead, body)).statusCode).toBe(200);
  const exercise = async (extra: object = {}) => {
    const res = await send('POST', '/api/operations', lead, { name: 'Runner and trackers', ...extra });
    expect(res.statusCode, res.body).toBe(201);
    await send('POST', `/api/operations/${res.json().id}/actions`, lead, { action: 'start' });
    return res.json() as { id: string };
  };
  const fix = (m: AddedMember, p: Point) =>
    h.services.positions.reportFromDevice({
      deviceId: m.device,
      time: clock.now(),
      lat: p.lat,
      lon: p.lon,
      source: 'osmand',
    });
  const tick = () => h.services.alerts.tick();
  /** A condition is raised only after 20 s beyond its limit: the first tick sees it, the second raises it. */
  const tickPast20s = async () => {
    await tick();
    clock.ms += 20_000;
    await tick();
  };
  const north = (m: number) => destination(BASE, 0, m);
  const resolvedEvents = () =>
    d.db
      .selectFrom('events')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('type', '=', 'alert.updated')
      .execute()
      .then((rows) => rows.filter((r) => (r.payload as { change: string }).change === 'resolved'));

  describe('separation', () => {
    it('relays a condition over OwnTracks HTTP only to leaders and the member it is about', async () => {
      await exercise();
      await fix(lead, BASE);
      await fix(alfa, destination(BASE, 90, 50));
      await fix(bravo, north(1000));
      await tickPast20s();
      expect((await alerts('separation')).map((a) => a.subject)).toEqual(['BRAVO']);
      const told = async (m: AddedMember, callsign: string) => {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/owntracks',
          headers: {
            authorization: `Basic ${Buffer.from(`${callsign}:${m.token}`).toString('base64')}`,
            'content-type': 'application/json',
          },
          payload: { _type: 'location', lat: BASE.lat, lon: BASE.lon, tst: Math.floor(clock.ms / 1000) },
        });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json() as Array<{ _type: string; desc?: string }>)
          .filter((x) => x._type === 'transition')
          .map((x) => x.desc);
      };
      expect(await told(alfa, 'ALFA')).toEqual([]);
      expect((await told(lead, 'LEAD')).join()).toMatch(/BRAVO/);
      expect((await told(bravo, 'BRAVO')).join()).toMatch(/BRAVO/);
    });

    it('raises one alert about a member far from everyone, resolves it when they rejoin', async () => {
      const ex = await exercise();
      await fix(lead, BASE);
      await fix(alfa, destination(BASE, 90, 50));
      await fix(bravo, north(1000));
      await tick();
      clock.ms += 5_000;
      await tick();
      expect(await alerts()).toEqual([]); // not 20 s beyond the limit yet
      clock.ms += 15_000;
      await tick();
      const [a, ...more] = await alerts('separation');
      expect(more).toEqual([]);
      expect(a).toMatchObject({
        type: 'separation',
        mode: 'exercise',
        state: 'active',
        senderId: null,
        sender: 'HOWL',
        subjectId: bravo.memberId,
        subject: 'BRAVO',
        operationId: ex.id,
        time: new Date(START + 20_000).toISOString(),
      });
      expect(a?.position?.lat).toBeCloseTo(north(1000).lat, 6);
      expect(a?.text).toMatch(/^1\.0 km from the nearest member/);

      await fix(bravo, north(100));
      await tick();
      expect((await alerts('separation')).map((x) => x.state)).toEqual(['resolved']);
      const [resolved] = await resolvedEvents();
      expect(resolved).toMatchObject({ mode: 'exercise', actor_id: null });
      expect(resolved?.payload).toMatchObject({ change: 'resolved', by: null, alert: { id: a?.id } });

      // Off again: a new alert.
      clock.ms += 5_000;
      await fix(bravo, north(900));
      await tickPast20s();
      expect((await alerts('separation')).map((x) => x.state)).toEqual(['active', 'resolved']);
    });

    it("follows the team's separation distance, and watches only during an operation", async () => {
      await fix(lead, BASE);
      await fix(bravo, north(1000));
      await tick();
      expect(await alerts()).toEqual([]);
      await settings({ separationM: 2000 });
      await exercise();
      await fix(lead, BASE);
      await fix(bravo, north(1000));
      await tick();
      expect(await alerts()).toEqual([]);
    });

    it('is not raised again in the operation once a leader cancelled it', async () => {
      await exercise();
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await fix(bravo, north(1000));
      await tickPast20s();
      const [a] = await alerts('separation');
      expect(
        (await send('POST', `/api/alerts/${a?.id}/cancel`, lead, { reason: 'the runner is alone' }))
          .statusCode,
      ).toBe(200);
      clock.ms += 5_000;
      await fix(bravo, north(1100));
      await tick();
      expect((await alerts('separation')).map((x) => x.state)).toEqual(['cancelled']);
    });
  });

  describe('no report', () => {
    it('raises one alert about a member silent beyond the team limit, resolves it when they report', async () => {
      const charlie = await h.addMember('Pack', 'CHARLIE');
      const delta = await h.addMember('Pack', 'DELTA');
      clock.ms -= 3_600_000;
      await fix(charlie, BASE); // reported long before the operation: not watched
      clock.ms = START;
      await exercise({ participants: [{ memberId: delta.memberId, role: 'observer' }] });
      for (const m of [lead, alfa, bravo]) await fix(m, BASE);
      clock.ms += 60_000;
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await tick();
      expect(await alerts()).toEqual([]);
      clock.ms += 61_000; // BRAVO: 121 s without a report (limit 120 s)
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await tick();
      expect(await alerts()).toEqual([]); // not 20 s beyond the limit yet
      clock.ms += 20_000;
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await tick();
      await tick();
      // DELTA, a participant who never reported in this operation, has not stopped reporting.
      const silent = await alerts('no_report');
      expect(silent.map((a) => a.subject)).toEqual(['BRAVO']);
      expect(silent[0]).toMatchObject({
        mode: 'exercise',
        sender: 'HOWL',
        text: 'no report for 2 min',
        position: BASE,
      });
      expect(await alerts('separation')).toEqual([]); // a silent member's separation is unknown, not raised

      await fix(bravo, BASE);
      await tick();
      const after = await alerts('no_report');
      expect(after.map((a) => `${a.subject} ${a.state}`)).toEqual(['BRAVO resolved']);
    });

    it("follows the team's stale limit", async () => {
      await settings({ staleSeconds: 600 });
      await exercise();
      await fix(bravo, BASE);
      clock.ms += 300_000;
      await fix(lead, BASE);
      await tick();
      expect(await alerts()).toEqual([]);
    });
  });

  describe('geofence', () => {
    it('raises one alert when a member leaves the exercise area, resolves it when they return', async () => {
      await settings({ separationM: 10_000 });
      await exercise({ area: AREA });
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await fix(bravo, north(2000));
      await tickPast20s();
      const [a, ...more] = await alerts('geofence');
      expect(more).toEqual([]);
      expect(a).toMatchObject({ subject: 'BRAVO', mode: 'exercise', text: 'outside the exercise area' });
      await fix(bravo, north(500));
      await tick();
      expect((await alerts('geofence')).map((x) => x.state)).toEqual(['resolved']);
    });

    it('is not watched without an area', async () => {
      await settings({ separationM: 10_000 });
      await exercise();
      await fix(lead, BASE);
      await fix(bravo, north(5000));
      await tick();
      expect(await alerts()).toEqual([]);
    });
  });

  describe('man down', () => {
    it('is off by default, and raises one alert about a motionless member once the team opts in', async () => {
      await settings({ separationM: 10_000 });
      await exercise();
      const still = (m: number) => destination(BASE, 90, m % 2 === 0 ? 0 : 4); // GPS noise
      for (let minute = 0; minute <= 6; minute++) {
        await fix(lead, north(minute * 50));
        await fix(alfa, still(minute));
        await fix(bravo, destination(BASE, 180, minute * 40));
        await tick();
        clock.ms += 60_000;
      }
      expect(await alerts()).toEqual([]);

      await settings({ manDownMinutes: 5 });
      await fix(alfa, still(0));
      await tickPast20s();
      const [a, ...more] = await alerts('man_down');
      expect(more).toEqual([]);
      expect(a).toMatchObject({
        subject: 'ALFA',
        mode: 'exercise',
        sender: 'HOWL',
        text: 'no movement for 5 min',
      });

      clock.ms += 15_000;
      await fix(alfa, destination(BASE, 90, 120));
      await tick();
      expect((await alerts('man_down')).map((x) => x.state)).toEqual(['resolved']);
    });

    it('does not count standing still before the operation began', async () => {
      await settings({ manDownMinutes: 5 });
      for (let minute = 0; minute < 10; minute++) {
        await fix(alfa, BASE);
        clock.ms += 60_000;
      }
      await exercise();
      await fix(alfa, BASE);
      await tick();
      clock.ms += 60_000;
      await fix(alfa, BASE);
      await tick();
      expect(await alerts()).toEqual([]);
    });
  });

  describe('when the operation changes', () => {
    it('resolves the exercise conditions at escalation and raises them again as real', async () => {
      const ex = await exercise();
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await fix(bravo, north(1000));
      await tickPast20s();
      expect((await alerts('separation')).map((a) => a.mode)).toEqual(['exercise']);
      const esc = await send('POST', '/api/escalate', alfa, { reason: 'real hostiles in the woods' });
      expect(esc.statusCode, esc.body).toBe(201);
      clock.ms += 1_000;
      await tickPast20s();
      const after = await alerts('separation');
      expect(after.map((a) => [a.mode, a.state, a.operationId])).toEqual([
        ['real', 'active', esc.json().id],
        ['exercise', 'resolved', ex.id],
      ]);
    });

    it('resolves its conditions at ENDEX', async () => {
      const ex = await exercise();
      await fix(lead, BASE);
      await fix(alfa, BASE);
      await fix(bravo, north(1000));
      await tickPast20s();
      await send('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'end' });
      await tick();
      expect((await alerts('separation')).map((a) => a.state)).toEqual(['resolved']);
      await tick();
      expect(await alerts('separation')).toHaveLength(1);
    });
  });
});
