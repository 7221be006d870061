import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distanceRings } from '../domain/distance-rings.ts';
import { distanceM } from '../domain/geo.ts';
import { parseLostPersonCsv } from './lost-person-csv.ts';

describe('parseLostPersonCsv', () => {
  it('reads the illustrative example shipped in docs/', () => {
    const profiles = parseLostPersonCsv(readFileSync('docs/lost-person-distances.example.csv', 'utf8'));
    expect(profiles.map((p) => p.category)).toEqual(['Example hiker', 'Example child']);
    expect(profiles[0]?.rings).toEqual([
      { quantile: 0.25, distanceM: 1000 },
      { quantile: 0.5, distanceM: 2000 },
      { quantile: 0.75, distanceM: 4000 },
      { quantile: 0.95, distanceM: 8000 },
    ]);
  });

  it('names the line and the column of what is wrong', () => {
    expect(() => parseLostPersonCsv('name,p50_km\nx,1')).toThrow(
      /line 1: the first column must be "category"/,
    );
    expect(() => parseLostPersonCsv('category,median\nx,1')).toThrow(/column "median"/);
    expect(() => parseLostPersonCsv('category,p50_km\nx,far', 't.csv')).toThrow(
      /t\.csv, line 2: p50_km: expected a distance/,
    );
    expect(() => parseLostPersonCsv('category,p25_km,p50_km\nx,3,1')).toThrow(/must not decrease/);
    expect(() => parseLostPersonCsv('category,p50_km\nx,1\nX,2')).toThrow(/appears twice/);
    expect(() => parseLostPersonCsv('# only a comment\n')).toThrow(/empty/);
  });
});

describe('distanceRings', () => {
  it('draws each ring at its distance from the initial planning point', () => {
    const ipp = { lat: 65, lon: 25 };
    const [ring] = distanceRings(ipp, { category: 'x', rings: [{ quantile: 0.5, distanceM: 2000 }] }, 36);
    const corners = ring?.polygon.coordinates[0] ?? [];
    expect(corners).toHaveLength(37);
    for (const [lon, lat] of corners)
      expect(distanceM(ipp, { lat: lat ?? 0, lon: lon ?? 0 })).toBeCloseTo(2000, 3);
  });
});
