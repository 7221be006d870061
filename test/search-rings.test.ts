import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { DistanceTable, RingsCollection } from '../src/contract/search-rings.ts';
import { distanceM } from '../src/domain/geo.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Method = 'GET' | 'POST' | 'PUT';
const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });
/** The illustrative table shipped with the docs (made-up numbers, the format only). */
const EXAMPLE = readFileSync(new URL('../docs/lost-person-distances.example.csv', import.meta.url), 'utf8');
const IPP = { lat: 51.05, lon: -1.31 };

describe.each(engines)('distance rings over the API on $name', (engine) => {
  const { h, d } = useHarness(engine, { resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;
  let kate: AddedMember;

  const call = (method: Method, url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });
  const stored = async () =>
    (await sql<{ profiles: unknown }>`select profiles from lost_person_tables`.execute(d.db)).rows;
  const upload = async (csv: string, who = lead) =>
    call('PUT', '/api/search/distance-table', who, { csv, source: 'team-stats.csv' });

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
    kate = await h.addMember('Hunters', 'KATE', { role: 'leader' });
  });

  it('stores the team’s table and draws a category’s rings around the planning point', async () => {
    const empty = await call('GET', '/api/search/distance-table', scott);
    expect(empty.statusCode, empty.body).toBe(200);
    expect((empty.json() as DistanceTable).profiles).toEqual([]);

    const up = await upload(EXAMPLE);
    expect(up.statusCode, up.body).toBe(200);
    const table = up.json() as DistanceTable;
    expect(table.source).toBe('team-stats.csv');
    expect(table.profiles.map((p) => p.category)).toEqual(['Example hiker', 'Example child']);
    expect(table.profiles[0]?.rings).toEqual([
      { quantile: 0.25, distanceM: 1000 },
      { quantile: 0.5, distanceM: 2000 },
      { quantile: 0.75, distanceM: 4000 },
      { quantile: 0.95, distanceM: 8000 },
    ]);
    // Every member sees it; another team does not.
    expect(
      ((await call('GET', '/api/search/distance-table', scott)).json() as DistanceTable).profiles,
    ).toHaveLength(2);
    expect(
      ((await call('GET', '/api/search/distance-table', kate)).json() as DistanceTable).profiles,
    ).toEqual([]);

    const res = await call('POST', '/api/search/distance-rings', scott, {
      category: 'example CHILD',
      at: IPP,
    });
    expect(res.statusCode, res.body).toBe(200);
    const rings = res.json() as RingsCollection;
    expect(rings.features.map((f) => f.properties.label)).toEqual([
      '25 % within 0.5 km',
      '50 % within 1.0 km',
      '75 % within 2.0 km',
      '95 % within 3.5 km',
    ]);
    for (const f of rings.features) {
      const ring = f.geometry.coordinates[0] ?? [];
      expect(ring.length).toBe(73);
      expect(ring[0]).toEqual(ring[72]);
      for (const [lon, lat] of ring) {
        const r = distanceM(IPP, { lat: lat ?? 0, lon: lon ?? 0 });
        expect(Math.abs(r / f.properties.distanceM - 1)).toBeLessThan(0.001);
      }
    }
  });

  it('replaces the table with the next upload', async () => {
    expect((await upload(EXAMPLE)).statusCode).toBe(200);
    const next = await upload('category,p50_km,p90_km\nOur walkers,1.5,6\n');
    expect(next.statusCode, next.body).toBe(200);
    expect((next.json() as DistanceTable).profiles).toEqual([
      {
        category: 'Our walkers',
        rings: [
          { quantile: 0.5, distanceM: 1500 },
          { quantile: 0.9, distanceM: 6000 },
        ],
      },
    ]);
    expect(await stored()).toHaveLength(1);
  });

  describe('bad input: a 400 naming the line or field, and nothing stored', () => {
    it.each([
      ['a distance that is not a number', 'category,p50_km\nA,1\nB,far\n', 'line 3: p50_km'],
      ['a header without category', 'name,p50_km\nA,1\n', 'line 1: the first column must be "category"'],
      ['a column that is not a quantile', 'category,median\nA,1\n', 'line 1: column "median"'],
      [
        'quantiles out of order',
        'category,p75_km,p50_km\nA,2,1\n',
        'line 1: the quantile columns must increase',
      ],
      [
        'distances that shrink',
        '# c\ncategory,p50_km,p75_km\nA,3,2\n',
        'line 3: the distances must not decrease',
      ],
      ['a short line', 'category,p50_km,p75_km\nA,1\n', 'line 2: expected 3 cells, got 2'],
      ['a category twice', 'category,p50_km\nA,1\na,2\n', 'line 3: category "a" appears twice'],
      ['only a header', 'category,p50_km\n', 'no subject category'],
      ['a category that is not text', 'category,p50_km\nA\uD800,1\n', 'a category is not valid text'],
    ])('refuses %s', async (_what, csv, message) => {
      const res = await upload(csv);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details).toEqual({ field: 'csv' });
      expect(res.json().error.message).toContain(message);
      expect(await stored()).toEqual([]);
    });

    it('keeps the previous table when an upload is refused', async () => {
      expect((await upload(EXAMPLE)).statusCode).toBe(200);
      expect((await upload('category,p50_km\nA,-1\n')).statusCode).toBe(400);
      const t = (await call('GET', '/api/search/distance-table', lead)).json() as DistanceTable;
      expect(t.profiles.map((p) => p.category)).toEqual(['Example hiker', 'Example child']);
    });

    it('refuses an empty or missing CSV, and lets only leaders upload', async () => {
      for (const payload of [{ csv: '' }, {}, { csv: 42 }]) {
        const res = await call('PUT', '/api/search/distance-table', lead, payload);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.body).toContain('csv');
      }
      expect((await upload(EXAMPLE, scott)).statusCode).toBe(403);
      expect(await stored()).toEqual([]);
    });

    it('refuses rings of an unknown category, without a table, or off the globe', async () => {
      const none = await call('POST', '/api/search/distance-rings', scott, {
        category: 'Example hiker',
        at: IPP,
      });
      expect(none.statusCode, none.body).toBe(400);
      expect(none.json().error.details).toEqual({ field: 'category' });
      expect((await upload(EXAMPLE)).statusCode).toBe(200);
      const unknown = await call('POST', '/api/search/distance-rings', scott, { category: 'Diver', at: IPP });
      expect(unknown.statusCode, unknown.body).toBe(400);
      expect(unknown.json().error.message).toContain('Example hiker, Example child');
      const off = await call('POST', '/api/search/distance-rings', scott, {
        category: 'Example hiker',
        at: { lat: 91, lon: 0 },
      });
      expect(off.statusCode, off.body).toBe(400);
      expect(off.body).toContain('lat');
      // Another team's members do not see this team's table.
      const other = await call('POST', '/api/search/distance-rings', kate, {
        category: 'Example hiker',
        at: IPP,
      });
      expect(other.statusCode, other.body).toBe(400);
    });
  });
});
