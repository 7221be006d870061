import { describe, expect, it } from 'vitest';
import { countPositions } from '../src/store/positions.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const START = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: number[] };
  properties: {
    memberId: string;
    callsign: string;
    time: string;
    accuracy: number | null;
    stale: boolean;
    status: string;
    mode: string;
  };
}

describe.each(engines)('API positions on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });

  const post = (headers: Headers, payload: object | string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/positions',
      headers: typeof payload === 'string' ? { ...headers, 'content-type': 'application/json' } : headers,
      payload,
    });
  const get = (url: string, headers: Headers) => h.app.inject({ method: 'GET', url, headers });
  const latest = async (headers: Headers): Promise<Feature[]> => {
    const res = await get('/api/positions/latest', headers);
    expect(res.statusCode).toBe(200);
    return res.json().features;
  };
  const patchTeam = (headers: Headers, payload: object) =>
    h.app.inject({ method: 'PATCH', url: '/api/team', headers, payload });

  async function alpha() {
    const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
    const member = await h.addMember('Alpha', 'ALFA');
    const cookie = { cookie: await h.sessionCookie('Alpha', 'LEAD') };
    return { lead, member, cookie, device: bearer(member.token) };
  }

  describe('reporting from the field page', () => {
    it('stores the position before answering 200', async () => {
      const { member, device } = await alpha();
      const res = await post(device, {
        lat: 47.3769,
        lon: 8.5417,
        time: iso(clock.ms - 2000),
        accuracy: 4.5,
        altitude: 410,
        speed: 1.2,
        heading: 270,
        battery: 88,
      });
      expect(res.statusCode).toBe(200);
      // No waiting: the row exists when the answer arrives.
      expect(await countPositions(d.db)).toBe(1);
      expect(res.json()).toEqual({
        stored: true,
        position: {
          memberId: member.memberId,
          time: iso(clock.ms - 2000),
          lat: 47.3769,
          lon: 8.5417,
          accuracy: 4.5,
          altitude: 410,
          speed: 1.2,
          bearing: 270,
          battery: 88,
          alarm: null,
          source: 'field',
          mode: 'real',
        },
      });
      const row = await d.db.selectFrom('positions').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        team_id: member.teamId,
        member_id: member.memberId,
        lat: 47.3769,
        lon: 8.5417,
        accuracy: 4.5,
        source: 'field',
        mode: 'real',
      });
      expect(new Date(row.received_at).getTime()).toBe(clock.ms);
    });

    it('stores every one of many concurrent reports before answering', async () => {
      const { device } = await alpha();
      const results = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const res = await post(device, { lat: 47 + i / 1000, lon: 8, time: iso(clock.ms - i * 1000) });
          const rows = await d.db
            .selectFrom('positions')
            .select('id')
            .where('lat', '=', 47 + i / 1000)
            .execute();
          return [res.statusCode, rows.length];
        }),
      );
      expect(results).toEqual(Array(60).fill([200, 1]));
      expect(await countPositions(d.db)).toBe(60);
    });

    it('accepts a session cookie, an offset time and null optional fields', async () => {
      const { cookie } = await alpha();
      const res = await post(cookie, {
        lat: -33.9,
        lon: 18.4,
        time: '2026-06-01T14:00:00+02:00',
        accuracy: null,
        battery: null,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().position.time).toBe('2026-06-01T12:00:00.000Z');
      expect(await countPositions(d.db)).toBe(1);
    });

    it('refuses bad input with 400 naming the field, and stores nothing', async () => {
      const { device, cookie } = await alpha();
      const now = iso(clock.ms);
      const cases: [object | string, string][] = [
        [{ lat: 91, lon: 8, time: now }, 'lat'],
        [{ lat: -90.0001, lon: 8, time: now }, 'lat'],
        [{ lat: 47, lon: -181, time: now }, 'lon'],
        [{ lat: 47, lon: 180.5, time: now }, 'lon'],
        [{ lat: '47', lon: 8, time: now }, 'lat'],
        [{ lat: 'NaN', lon: 8, time: now }, 'lat'],
        [{ lat: null, lon: 8, time: now }, 'lat'],
        [{ lon: 8, time: now }, 'lat'],
        [{ lat: 47, time: now }, 'lon'],
        [`{"lat":1e999,"lon":8,"time":"${now}"}`, 'lat'],
        [`{"lat":47,"lon":-1e999,"time":"${now}"}`, 'lon'],
        [{ lat: 47, lon: 8 }, 'time'],
        [{ lat: 47, lon: 8, time: 'yesterday' }, 'time'],
        [{ lat: 47, lon: 8, time: clock.ms }, 'time'],
        [{ lat: 47, lon: 8, time: '2026-06-01T12:00:00' }, 'time'],
        [{ lat: 47, lon: 8, time: iso(clock.ms + 3600_000) }, 'timestamp'],
        [{ lat: 47, lon: 8, time: '1999-12-31T23:59:59Z' }, 'timestamp'],
        [{ lat: 47, lon: 8, time: now, accuracy: -1 }, 'accuracy'],
        [{ lat: 47, lon: 8, time: now, heading: 361 }, 'heading'],
        [{ lat: 47, lon: 8, time: now, battery: 101 }, 'battery'],
        [{ lat: 47, lon: 8, time: now, speed: -0.1 }, 'speed'],
      ];
      for (const [payload, field] of cases) {
        const res = await post(device, payload);
        const label = typeof payload === 'string' ? payload : JSON.stringify(payload);
        expect(res.statusCode, label).toBe(400);
        expect(res.json().error.details.field, label).toBe(field);
        expect(res.json().error.message, label).toMatch(new RegExp(`^${field}: `));
      }
      expect(await countPositions(d.db)).toBe(0);
      expect(await latest(cookie)).toEqual([]);
    });

    it('refuses a body that is not JSON, and stores nothing', async () => {
      const { device } = await alpha();
      for (const payload of ['{"lat":NaN,"lon":8,"time":"2026-06-01T12:00:00Z"}', '{"lat":', '']) {
        const res = await post(device, payload);
        expect(res.statusCode, payload).toBe(400);
        expect(res.json().error.code).toBeDefined();
      }
      expect(await countPositions(d.db)).toBe(0);
    });

    it('accepts a report up to five minutes ahead (clock skew) but not beyond', async () => {
      const { device } = await alpha();
      expect((await post(device, { lat: 47, lon: 8, time: iso(clock.ms + 300_000) })).statusCode).toBe(200);
      expect((await post(device, { lat: 47, lon: 8, time: iso(clock.ms + 301_000) })).statusCode).toBe(400);
      expect(await countPositions(d.db)).toBe(1);
    });

    it('refuses a body over 64 KiB with 413, storing nothing, and accepts one just under', async () => {
      const { device } = await alpha();
      const big = await post(device, { lat: 47, lon: 8, time: iso(clock.ms), pad: 'x'.repeat(65 * 1024) });
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('body_too_large');
      expect(await countPositions(d.db)).toBe(0);
      const justUnder = await post(device, {
        lat: 47,
        lon: 8,
        time: iso(clock.ms),
        pad: 'x'.repeat(60 * 1024),
      });
      expect(justUnder.statusCode).toBe(200);
      expect(await countPositions(d.db)).toBe(1);
    });

    it('refuses a report without a member token (401) or from the admin (400), storing nothing', async () => {
      await alpha();
      const body = { lat: 47, lon: 8, time: iso(clock.ms) };
      expect((await post({}, body)).statusCode).toBe(401);
      expect((await post(bearer('howl_forged'), body)).statusCode).toBe(401);
      const admin = await post(bearer(ADMIN_SECRET), body);
      expect(admin.statusCode).toBe(400);
      expect(admin.json().error.code).toBe('not_a_member');
      expect(await countPositions(d.db)).toBe(0);
    });

    it('stores a position from the past but keeps the newer one as latest', async () => {
      const { member, device, cookie } = await alpha();
      expect((await post(device, { lat: 2, lon: 2, time: iso(clock.ms - 1000) })).statusCode).toBe(200);
      // A phone that was offline delivers an older fix afterwards, even days old.
      expect((await post(device, { lat: 1, lon: 1, time: iso(clock.ms - 600_000) })).statusCode).toBe(200);
      expect((await post(device, { lat: 0, lon: 0, time: iso(clock.ms - 3 * 86_400_000) })).statusCode).toBe(
        200,
      );
      expect(await countPositions(d.db)).toBe(3);
      const features = await latest(cookie);
      expect(features).toHaveLength(1);
      expect(features[0]?.properties.memberId).toBe(member.memberId);
      expect(features[0]?.geometry.coordinates).toEqual([2, 2]);
      expect(features[0]?.properties.time).toBe(iso(clock.ms - 1000));
    });
  });

  describe('latest positions', () => {
    it('is a GeoJSON FeatureCollection with one Point per reporting member', async () => {
      const { lead, member, device, cookie } = await alpha();
      await h.addMember('Alpha', 'SILENT'); // never reports: no feature
      await post(device, { lat: 47.1, lon: 8.1, time: iso(clock.ms - 5000), accuracy: 12 });
      await post(device, { lat: 47.2, lon: 8.2, time: iso(clock.ms - 1000), accuracy: 7 });
      await post(bearer(lead.token), { lat: 46.5, lon: 7.5, time: iso(clock.ms) });
      const res = await get('/api/positions/latest', device);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.type).toBe('FeatureCollection');
      expect(body.features).toHaveLength(2);
      const byCallsign = new Map<string, Feature>(
        body.features.map((f: Feature) => [f.properties.callsign, f]),
      );
      expect(byCallsign.get('ALFA')).toEqual({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [8.2, 47.2] },
        properties: {
          memberId: member.memberId,
          callsign: 'ALFA',
          name: 'ALFA name',
          time: iso(clock.ms - 1000),
          accuracy: 7,
          battery: null,
          speed: null,
          alarm: null,
          stale: false,
          status: 'ok',
          mode: 'real',
        },
      });
      expect(byCallsign.get('LEAD')?.properties).toMatchObject({
        memberId: lead.memberId,
        accuracy: null,
        stale: false,
        status: 'ok',
        mode: 'real',
      });
      expect(Date.parse(byCallsign.get('LEAD')?.properties.time ?? '')).toBe(clock.ms);
      expect(await latest(cookie)).toEqual(body.features);
    });

    it("turns stale after the team's limit, and PATCH staleSeconds moves the limit", async () => {
      const { device, cookie } = await alpha();
      await post(device, { lat: 47, lon: 8, time: iso(clock.ms) });
      clock.ms += 120_000;
      expect((await latest(cookie))[0]?.properties).toMatchObject({ stale: false, status: 'ok' });
      clock.ms += 1000;
      expect((await latest(cookie))[0]?.properties).toMatchObject({ stale: true, status: 'stale' });
      const patched = await patchTeam(cookie, { staleSeconds: 300 });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().staleSeconds).toBe(300);
      expect((await latest(cookie))[0]?.properties).toMatchObject({ stale: false, status: 'ok' });
      clock.ms += 180_000;
      expect((await latest(cookie))[0]?.properties).toMatchObject({ stale: true, status: 'stale' });
    });

    it('shows an SOS above staleness', async () => {
      const { member, cookie } = await alpha();
      await h.services.positions.reportFromDevice({
        deviceId: member.device,
        time: clock.now(),
        lat: 47,
        lon: 8,
        alarm: 'sos',
        source: 'osmand',
      });
      expect((await latest(cookie))[0]?.properties).toMatchObject({ status: 'sos', stale: false });
      clock.ms += 3600_000;
      expect((await latest(cookie))[0]?.properties).toMatchObject({ status: 'sos', stale: true });
    });

    it("shows an SOS from the field page (any client) on the member's position until it ends", async () => {
      const { member, device, cookie } = await alpha();
      await post(device, { lat: 47, lon: 8, time: iso(clock.ms) });
      expect((await latest(cookie))[0]?.properties.status).toBe('ok');
      const sos = await h.app.inject({
        method: 'POST',
        url: '/api/alerts/sos',
        headers: { authorization: `Bearer ${member.token}` },
        payload: { text: 'fell' },
      });
      expect(sos.statusCode).toBe(201);
      expect((await latest(cookie))[0]?.properties).toMatchObject({ status: 'sos', alarm: null });
      const cancel = await h.app.inject({
        method: 'POST',
        url: `/api/alerts/${sos.json().id}/cancel`,
        headers: { authorization: `Bearer ${member.token}` },
        payload: {},
      });
      expect(cancel.statusCode).toBe(200);
      expect((await latest(cookie))[0]?.properties.status).toBe('ok');
    });

    it('needs sign-in', async () => {
      await alpha();
      expect((await get('/api/positions/latest', {})).statusCode).toBe(401);
    });
  });

  describe('trails', () => {
    it("returns each member's positions since a time, in time order", async () => {
      const { lead, member, device, cookie } = await alpha();
      await post(device, { lat: 3, lon: 3, time: iso(clock.ms - 3000) });
      await post(device, { lat: 1, lon: 1, time: iso(clock.ms - 30_000) });
      await post(device, { lat: 2, lon: 2, time: iso(clock.ms - 10_000) });
      await post(device, { lat: 0, lon: 0, time: iso(clock.ms - 7_200_000) });
      await post(bearer(lead.token), { lat: 9, lon: 9, time: iso(clock.ms - 20_000) });
      const res = await get(
        `/api/positions/trails?since=${encodeURIComponent(iso(clock.ms - 60_000))}`,
        cookie,
      );
      expect(res.statusCode).toBe(200);
      const trails = res.json().trails;
      expect(Object.keys(trails).sort()).toEqual([lead.memberId, member.memberId].sort());
      expect(trails[member.memberId].map((p: { lat: number }) => p.lat)).toEqual([1, 2, 3]);
      expect(trails[member.memberId][0]).toMatchObject({
        memberId: member.memberId,
        time: iso(clock.ms - 30_000),
      });
      expect(trails[lead.memberId].map((p: { lat: number }) => p.lat)).toEqual([9]);
    });

    it('defaults to the last hour', async () => {
      const { member, device, cookie } = await alpha();
      await post(device, { lat: 0, lon: 0, time: iso(clock.ms - 3_601_000) });
      await post(device, { lat: 1, lon: 1, time: iso(clock.ms - 3_599_000) });
      const trails = (await get('/api/positions/trails', cookie)).json().trails;
      expect(trails[member.memberId].map((p: { lat: number }) => p.lat)).toEqual([1]);
      const all = (
        await get(`/api/positions/trails?since=${encodeURIComponent(iso(clock.ms - 86_400_000))}`, cookie)
      ).json().trails;
      expect(all[member.memberId]).toHaveLength(2);
    });

    it('refuses a bad `since` with 400 naming it', async () => {
      const { cookie } = await alpha();
      for (const since of ['yesterday', '2026-06-01T12:00:00', '1717243200', '']) {
        const res = await get(`/api/positions/trails?since=${encodeURIComponent(since)}`, cookie);
        expect(res.statusCode, since).toBe(400);
        expect(res.json().error.details.field, since).toBe('since');
      }
    });
  });

  describe('team settings', () => {
    const team = async (headers: Headers) => (await get('/api/team', headers)).json();

    it('lets a leader rename the team, set the base and the stale limit', async () => {
      const { lead, cookie, device } = await alpha();
      const res = await patchTeam(cookie, {
        name: 'Alpha Two',
        base: { lat: 46.95, lon: 7.45 },
        staleSeconds: 60,
      });
      expect(res.statusCode).toBe(200);
      const expected = {
        id: lead.teamId,
        name: 'Alpha Two',
        base: { lat: 46.95, lon: 7.45 },
        staleSeconds: 60,
        separationM: 300,
        alertResendS: 30,
        sosCountdownS: 5,
        rollCallDeadlineS: 180,
        rollCallRepeatS: 900,
        manDownMinutes: null,
        clock: '24h',
        keepPositionsDays: null,
      };
      expect(res.json()).toEqual(expected);
      expect(await team(device)).toEqual(expected);
      const cleared = await patchTeam(cookie, { base: null });
      expect(cleared.json()).toEqual({ ...expected, base: null });
      // The clock every page writes times in: 12-hour on request, nothing else.
      expect((await patchTeam(cookie, { clock: '12h' })).json()).toEqual({
        ...expected,
        base: null,
        clock: '12h',
      });
      const bad = await patchTeam(cookie, { clock: '13h' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe('clock');
    });

    it('changes only the fields given, and nothing for an empty patch', async () => {
      const { cookie } = await alpha();
      await patchTeam(cookie, { base: { lat: 1, lon: 2 }, staleSeconds: 90 });
      const before = await team(cookie);
      const res = await patchTeam(cookie, {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(before);
      expect((await patchTeam(cookie, { name: 'Renamed' })).json()).toEqual({ ...before, name: 'Renamed' });
    });

    it('lets a leader keep the team name in another letter case', async () => {
      const { cookie } = await alpha();
      const res = await patchTeam(cookie, { name: 'ALPHA' });
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('ALPHA');
    });

    it('refuses a plain member with 403, changing nothing', async () => {
      const { device, cookie } = await alpha();
      const before = await team(cookie);
      const memberSession = { cookie: await h.sessionCookie('Alpha', 'ALFA') };
      for (const headers of [device, memberSession]) {
        const res = await patchTeam(headers, { name: 'Hijacked', staleSeconds: 10 });
        expect(res.statusCode).toBe(403);
      }
      expect(await team(cookie)).toEqual(before);
    });

    it('refuses invalid settings with 400 naming the field, changing nothing', async () => {
      const { cookie } = await alpha();
      const before = await team(cookie);
      const cases: [object, string][] = [
        [{ base: { lat: 91, lon: 0 } }, 'base.lat'],
        [{ base: { lat: 0, lon: -181 } }, 'base.lon'],
        [{ base: { lat: '1', lon: 0 } }, 'base.lat'],
        [{ base: { lat: 1 } }, 'base.lon'],
        [{ staleSeconds: 5 }, 'staleSeconds'],
        [{ staleSeconds: 86_401 }, 'staleSeconds'],
        [{ staleSeconds: 30.5 }, 'staleSeconds'],
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'n'.repeat(81) }, 'name'],
        [{ name: 'Fine', staleSeconds: 1 }, 'staleSeconds'],
      ];
      for (const [payload, field] of cases) {
        const res = await patchTeam(cookie, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details.field, JSON.stringify(payload)).toBe(field);
      }
      expect(await team(cookie)).toEqual(before);
    });

    it("refuses another team's name (any case) with 409 naming `name`, changing nothing", async () => {
      const { cookie } = await alpha();
      await h.addMember('Bravo', 'BOSS', { role: 'leader' });
      const before = await team(cookie);
      for (const name of ['Bravo', 'bravo', ' BRAVO ']) {
        const res = await patchTeam(cookie, { name, staleSeconds: 30 });
        expect(res.statusCode, name).toBe(409);
        expect(res.json().error.details).toEqual({ field: 'name' });
      }
      expect(await team(cookie)).toEqual(before);
    });

    it('lets only one of two teams renamed to the same name at once have it', async () => {
      const { cookie } = await alpha();
      await h.addMember('Bravo', 'BOSS', { role: 'leader' });
      const bravo = { cookie: await h.sessionCookie('Bravo', 'BOSS') };
      const results = await Promise.all([
        patchTeam(cookie, { name: 'Zulu' }),
        patchTeam(bravo, { name: 'Zulu' }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.statusCode === 409);
      expect(loser?.json().error.details).toEqual({ field: 'name' });
      const names = [(await team(cookie)).name, (await team(bravo)).name].sort();
      expect(names.filter((n) => n === 'Zulu')).toHaveLength(1);
    });

    // PostgreSQL only: PGlite runs one transaction at a time, so this race cannot happen there.
    if (engine.name === 'postgres') {
      it('answers 409, not 500, when another team takes the name between the check and the write', async () => {
        const { cookie } = await alpha();
        const bravo = await h.addMember('Bravo', 'BOSS', { role: 'leader' });
        const before = await team(cookie);
        let release: () => void = () => {};
        const held = new Promise<void>((r) => {
          release = r;
        });
        let renamed: Promise<{ statusCode: number; json(): { error: { details: unknown } } }> | undefined;
        await d.db.transaction().execute(async (trx) => {
          await trx.updateTable('teams').set({ name: 'Zulu' }).where('id', '=', bravo.teamId).execute();
          // Alpha's rename checks the name now (Bravo's is not committed yet), then waits on the index.
          renamed = patchTeam(cookie, { name: 'Zulu' });
          setTimeout(release, 300);
          await held;
        });
        const res = await renamed;
        expect(res?.statusCode).toBe(409);
        expect(res?.json().error.details).toEqual({ field: 'name' });
        expect(await team(cookie)).toEqual(before);
      });
    }
  });
});
