import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { parseTrackFile } from '../src/gateways/gpx/parse.ts';
import type { Database } from '../src/store/db.ts';
import { closeDatabase } from './support/close-database.ts';
import { engines } from './support/engines.ts';
import { createHarness, type Harness } from './support/harness.ts';

const T0 = Date.parse('2026-11-25T16:00:00Z');

describe.each(engines)('trail export as GPX and GeoJSON on $name', (engine) => {
  let d: Database;
  let h: Harness;
  let scott: AddedMember;
  let isaac: AddedMember;

  beforeAll(async () => {
    d = await engine.open();
    h = await createHarness(d, () => new Date(T0 + 3600_000));
  });
  beforeEach(async () => {
    await h.reset();
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
  afterAll(async () => {
    await h?.close();
    await closeDatabase(d);
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
});
