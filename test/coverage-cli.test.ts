import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFrame, parallelSweeps } from '../src/domain/search-geometry.fixtures.ts';
import { writeGpx } from '../src/formats/gpx-write.ts';
import { PACKAGE_ROOT } from '../src/server/paths.ts';
import { runHowl } from './support/cli.ts';

/** `howl coverage` needs no server nor database. */
const howl = (args: string[]) => runHowl(args);

const dir = mkdtempSync(join(tmpdir(), 'howl-coverage-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = localFrame({ lat: 45, lon: 10 });
const feature = (name: string, polygon: unknown) => ({
  type: 'Feature',
  properties: { name },
  geometry: polygon,
});

beforeAll(() => {
  // Segment A: 400 m × 600 m around the centre. Segment B: the same size 1 km further east, not walked.
  const east = localFrame(frame.at(1000, 0));
  writeFileSync(
    file('segments.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [feature('A', frame.rectangle(400, 600)), feature('B', east.rectangle(400, 600))],
    }),
  );
  // Two searchers share the 20 lanes 20 m apart: 10 lanes each, 6000 m inside each.
  const lanes = parallelSweeps(400, 600, 20);
  writeFileSync(file('west.gpx'), writeGpx([{ name: 'West half', points: frame.walk(lanes.slice(0, 20)) }]));
  writeFileSync(file('east.gpx'), writeGpx([{ name: 'East half', points: frame.walk(lanes.slice(20)) }]));
  writeFileSync(
    file('bow-tie.geojson'),
    JSON.stringify({
      type: 'Polygon',
      coordinates: [
        [
          [10, 45],
          [10.01, 45.01],
          [10.01, 45],
          [10, 45.01],
          [10, 45],
        ],
      ],
    }),
  );
  writeFileSync(file('point.geojson'), JSON.stringify({ type: 'Point', coordinates: [10, 45] }));
});

interface CoverageJson {
  sweepWidthM: number;
  segments: {
    name: string;
    areaM2: number;
    lengthInsideM: number;
    coverage: number;
    pod: number;
    cumulativePod?: number;
  }[];
}

describe('howl coverage', () => {
  it('computes C = W·L/A and POD per segment from two searchers’ GPX tracks, as JSON', async () => {
    const run = await howl([
      'coverage',
      file('segments.geojson'),
      file('west.gpx'),
      file('east.gpx'),
      '--sweep-width',
      '15',
      '--prior-pod',
      '0.5',
      '--json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as CoverageJson;
    const [a, b] = out.segments;
    // W = 15 m, L = 12 000 m, A = 240 000 m²: C = 0.75, POD = 1 − e^(−0.75) = 0.5276, cumulative 1 − 0.5·0.4724.
    expect(a?.name).toBe('A');
    expect(Math.abs((a?.areaM2 ?? 0) / 240_000 - 1)).toBeLessThan(0.005);
    expect(Math.abs((a?.lengthInsideM ?? 0) / 12_000 - 1)).toBeLessThan(0.005);
    expect(a?.coverage).toBeCloseTo(0.75, 3);
    expect(a?.pod).toBeCloseTo(1 - Math.exp(-0.75), 3);
    expect(a?.cumulativePod).toBeCloseTo(1 - 0.5 * Math.exp(-0.75), 3);
    expect(b).toMatchObject({ name: 'B', lengthInsideM: 0, coverage: 0, pod: 0, cumulativePod: 0.5 });
  });

  it('prints a table by default', async () => {
    const run = await howl(['coverage', file('segments.geojson'), file('west.gpx'), '--sweep-width', '15']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sweep width of 15 m from 1 track file');
    expect(run.stdout).toMatch(/A\s+24\.00 ha\s+6\.0 km\s+0\.38\s+31\.3 %/);
  });

  it('refuses a segment file that is not a polygon, with its reason', async () => {
    const point = await howl(['coverage', file('point.geojson'), file('west.gpx'), '--sweep-width', '15']);
    expect(point.code).not.toBe(0);
    expect(point.stderr).toMatch(/point\.geojson: the document is a Point, not a Polygon/);
    const gpx = await howl(['coverage', file('west.gpx'), file('west.gpx'), '--sweep-width', '15']);
    expect(gpx.code).not.toBe(0);
    expect(gpx.stderr).toMatch(/west\.gpx: not JSON/);
    const bowTie = await howl(['coverage', file('bow-tie.geojson'), file('west.gpx'), '--sweep-width', '15']);
    expect(bowTie.code).not.toBe(0);
    expect(bowTie.stderr).toMatch(/crosses itself/);
  });

  it('refuses a track file that is not a track, and bad numbers', async () => {
    const track = await howl([
      'coverage',
      file('segments.geojson'),
      file('segments.geojson'),
      '--sweep-width',
      '15',
    ]);
    expect(track.code).not.toBe(0);
    expect(track.stderr).toMatch(/segments\.geojson/);
    const width = await howl(['coverage', file('segments.geojson'), file('west.gpx'), '--sweep-width', '-3']);
    expect(width.code).not.toBe(0);
    expect(width.stderr).toMatch(/--sweep-width: expected a positive number/);
    const prior = await howl([
      'coverage',
      file('segments.geojson'),
      file('west.gpx'),
      '--sweep-width',
      '15',
      '--prior-pod',
      '1.5',
    ]);
    expect(prior.code).not.toBe(0);
    expect(prior.stderr).toMatch(/--prior-pod: expected a probability from 0 to 1/);
  });
});

describe('howl rings', () => {
  const example = join(PACKAGE_ROOT, 'docs', 'lost-person-distances.example.csv');

  it("prints the category's rings around the initial planning point as GeoJSON", async () => {
    const run = await howl(['rings', example, '--category', 'example hiker', '--at', '51.05,-1.31']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rings = JSON.parse(run.stdout) as { features: { properties: { label: string } }[] };
    expect(rings.features.map((f) => f.properties.label)).toEqual([
      '25 % within 1.0 km',
      '50 % within 2.0 km',
      '75 % within 4.0 km',
      '95 % within 8.0 km',
    ]);
  });

  it('refuses an unknown category, a bad point and a file that is not a table', async () => {
    const category = await howl(['rings', example, '--category', 'diver', '--at', '51,-1']);
    expect(category.code).not.toBe(0);
    expect(category.stderr).toMatch(/--category: "diver" is not in/);
    const at = await howl(['rings', example, '--category', 'Example child', '--at', 'north']);
    expect(at.code).not.toBe(0);
    expect(at.stderr).toMatch(/--at: expected LAT,LON/);
    const table = await howl(['rings', file('segments.geojson'), '--category', 'x', '--at', '51,-1']);
    expect(table.code).not.toBe(0);
    expect(table.stderr).toMatch(/segments\.geojson, line 1: the first column must be "category"/);
  });
});
