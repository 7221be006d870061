import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { parseTrackFile } from '../src/formats/gpx-read.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const T0 = Date.parse('2026-11-25T16:00:00Z');

describe.each(engines)('trail export as GPX and GeoJSON on $name', (engine) => {
  const clock = new FakeClock(T0 + 3600_000);
  const { h } = useHarness(engine, { clock, resetBeforeEach: true });
  let scott: AddedMember;
  let isaac: AddedMember;

  beforeEach(async () => {
    scott = await h.addMember('Pack', 'SCOTT', { role: 'leader' });
    isaac = await h.addMember('Pack', 'ISAAC');
    for (const [m, i] of [scott, scott, scott, isaac].map((m, i) => [m, i] as const)) {
      await h.services.positions.reportFromDevice({
        deviceId: m.device,
        time: new Date(T0 + i * 60_000),
        lat: 45.5 + i * 0.001,
        lon: -122.6,
        source: 'osmand',
      });
    }
  });

  const get = (url: string, who: AddedMember = scott) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who.token}` } });
  const since = new Date(T0 - 60_000).toISOString();

  it("exports a member's trail as GPX that reads back to the same points", async () => {
    const res = await get(`/api/positions/export?format=gpx&memberId=${scott.memberId}&since=${since}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/gpx\+xml/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="howl-.*\.gpx"/);
    const [track] = parseTrackFile(res.body);
    expect(track?.name).toBe('SCOTT');
    expect(track?.points.map((p) => [p.lat, p.timeMs])).toEqual(
      [0, 1, 2].map((i) => [45.5 + i * 0.001, T0 + i * 60_000]),
    );
  });

  it('exports everyone as GeoJSON with times, a Point for a single position', async () => {
    const res = await get(`/api/positions/export?since=${since}`, isaac);
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    const byCallsign = Object.fromEntries(
      fc.features.map((f: { properties: { callsign: string } }) => [f.properties.callsign, f]),
    );
    expect(byCallsign.SCOTT.geometry.type).toBe('LineString');
    expect(byCallsign.SCOTT.geometry.coordinates).toHaveLength(3);
    expect(byCallsign.SCOTT.properties.coordTimes[0]).toBe(new Date(T0).toISOString());
    expect(byCallsign.ISAAC.geometry).toEqual({ type: 'Point', coordinates: [-122.6, 45.503] });
  });

  it('refuses bad queries naming the field, and another team sees nothing of ours', async () => {
    expect((await get('/api/positions/export?format=kml')).json().error.details.field).toBe('format');
    expect((await get(`/api/positions/export?since=yesterday`)).json().error.details.field).toBe('since');
    const backwards = await get(
      `/api/positions/export?since=${since}&until=${new Date(T0 - 120_000).toISOString()}`,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details.field).toBe('until');
    const other = await h.addMember('Hunters', 'KATE', { role: 'leader' });
    expect((await get(`/api/positions/export?since=${since}`, other)).json().features).toEqual([]);
    expect((await get(`/api/positions/export?memberId=${scott.memberId}`, other)).statusCode).toBe(404);
  });

  describe("an operation's trails", () => {
    const MIN = 60_000;
    const at = (min: number) => {
      clock.ms = T0 + 3600_000 + min * MIN;
    };
    /** A fix `min` minutes into the hour after the fixtures, reported at that time. */
    const fix = async (m: AddedMember, min: number, lat: number) => {
      at(min);
      await h.services.positions.reportFromDevice({
        deviceId: m.device,
        time: clock.now(),
        lat,
        lon: 8.5,
        source: 'osmand',
      });
    };
    const post = async (url: string, payload: object, who: AddedMember = scott) => {
      const res = await h.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { authorization: `Bearer ${who.token}` },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const act = (id: string, action: string) => post(`/api/operations/${id}/actions`, { action });
    const pointsOf = (gpx: string) =>
      Object.fromEntries(parseTrackFile(gpx).map((t) => [t.name, t.points.map((p) => [p.lat, p.timeMs])]));

    it("exports an ended exercise's participants from STARTEX to ENDEX, as GPX that reads back", async () => {
      const kira = await h.addMember('Pack', 'KIRA');
      at(0);
      const ex = await post('/api/operations', {
        name: 'Night tracking #3',
        participants: [
          { memberId: scott.memberId, role: 'controller' },
          { memberId: isaac.memberId, role: 'tracker' },
        ],
      });
      await fix(scott, 1, 46.0); // before STARTEX
      at(2);
      await act(ex.id, 'start');
      await fix(scott, 3, 46.1);
      await fix(isaac, 4, 46.2);
      await fix(isaac, 5, 46.25);
      await fix(kira, 5.5, 46.3); // not a participant
      await fix(scott, 6, 46.4);
      at(7);
      await act(ex.id, 'end');
      await fix(scott, 8, 46.5); // after ENDEX
      at(30);

      const res = await get(`/api/positions/export?format=gpx&operationId=${ex.id}`, isaac);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/filename="howl-night-tracking-3-.*\.gpx"/);
      expect(res.body).toContain('<name>Night tracking #3</name>');
      const t = (min: number) => T0 + 3600_000 + min * MIN;
      expect(pointsOf(res.body)).toEqual({
        SCOTT: [
          [46.1, t(3)],
          [46.4, t(6)],
        ],
        ISAAC: [
          [46.2, t(4)],
          [46.25, t(5)],
        ],
      });

      const one = await get(`/api/positions/export?operationId=${ex.id}&memberId=${isaac.memberId}`);
      expect(
        one.json().features.map((f: { properties: { callsign: string } }) => f.properties.callsign),
      ).toEqual(['ISAAC']);
      const geo = (await get(`/api/positions/export?format=geojson&operationId=${ex.id}`)).json();
      expect(geo.features).toHaveLength(2);
      expect(geo.features[0].properties.coordTimes).toEqual([
        new Date(t(3)).toISOString(),
        new Date(t(6)).toISOString(),
      ]);
    });

    it('exports everyone for an operation without participants; a suspended exercise ends at its escalation', async () => {
      at(0);
      const ex = await post('/api/operations', { name: 'Open drill' });
      at(1);
      await act(ex.id, 'start');
      await fix(scott, 2, 47.1);
      await fix(scott, 2.5, 47.15);
      await fix(isaac, 3, 47.2);
      await fix(isaac, 3.5, 47.25);
      at(4);
      const incident = await post('/api/escalate', { reason: 'real casualty at the quarry' }, isaac);
      await fix(scott, 5, 47.3);
      await fix(scott, 5.5, 47.35);
      await fix(isaac, 6, 47.4);
      await fix(isaac, 6.5, 47.45);
      at(7);
      const t = (min: number) => T0 + 3600_000 + min * MIN;

      const exercise = await get(`/api/positions/export?format=gpx&operationId=${ex.id}`);
      expect(pointsOf(exercise.body)).toEqual({
        SCOTT: [
          [47.1, t(2)],
          [47.15, t(2.5)],
        ],
        ISAAC: [
          [47.2, t(3)],
          [47.25, t(3.5)],
        ],
      });
      // The incident is open: its window runs to now.
      const real = await get(`/api/positions/export?format=gpx&operationId=${incident.id}`);
      expect(pointsOf(real.body)).toEqual({
        SCOTT: [
          [47.3, t(5)],
          [47.35, t(5.5)],
        ],
        ISAAC: [
          [47.4, t(6)],
          [47.45, t(6.5)],
        ],
      });
    });

    it('gives an empty file for an exercise not started yet', async () => {
      const ex = await post('/api/operations', { name: 'Planned' });
      const res = await get(`/api/positions/export?operationId=${ex.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ type: 'FeatureCollection', features: [] });
    });

    it("refuses a window with an operation, a bad id, and another team's operation", async () => {
      const ex = await post('/api/operations', { name: 'Ours' });
      const bad = async (query: string, status: number, field?: string) => {
        const res = await get(`/api/positions/export?${query}`);
        expect(res.statusCode, res.body).toBe(status);
        if (field) expect(res.json().error.details.field).toBe(field);
        return res;
      };
      await bad(`operationId=${ex.id}&since=${since}`, 400, 'since');
      await bad(`operationId=${ex.id}&until=${since}`, 400, 'until');
      await bad('operationId=not-a-uuid', 400, 'operationId');
      await bad(`operationId=${ex.id}&memberId=${crypto.randomUUID()}`, 404);
      expect((await bad(`operationId=${crypto.randomUUID()}`, 404)).json().error.code).toBe('not_found');
      const kate = await h.addMember('Hunters', 'KATE', { role: 'leader' });
      const theirs = await post('/api/operations', { name: 'Theirs' }, kate);
      await post(`/api/operations/${theirs.id}/actions`, { action: 'start' }, kate);
      expect((await bad(`operationId=${theirs.id}`, 404)).json().error.message).toMatch(/operation/);
      // And they cannot read ours.
      expect((await get(`/api/positions/export?operationId=${ex.id}`, kate)).statusCode).toBe(404);
    });
  });
});
