import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coverage,
  cumulativePod,
  lengthInsideM,
  podFromCoverage,
  polygonProblem,
  type SegmentPolygon,
  segmentAreaM2,
  segmentFromPoint,
} from './search-coverage.ts';
import { localFrame, parallelSweeps } from './search-geometry.fixtures.ts';

const within = (computed: number, expected: number, share: number) =>
  expect(Math.abs(computed - expected) / expected).toBeLessThan(share);

describe('coverage of parallel sweeps in a rectangle', () => {
  // 400 m × 600 m, lanes 20 m apart: 20 lanes of 600 m inside, L = 12 000 m, A = 240 000 m²;
  // with W = 15 m, C = W·L/A = W/S = 0.75 and POD = 1 − e^(−0.75) = 0.527633.
  for (const lat of [0, 45, 65]) {
    it(`gives C = W/S within 0.5 % at ${lat}° latitude`, () => {
      const frame = localFrame({ lat, lon: 10 });
      const segment = frame.rectangle(400, 600);
      const track = frame.walk(parallelSweeps(400, 600, 20));
      const area = segmentAreaM2(segment);
      const inside = lengthInsideM(segment, track);
      const c = coverage(15, inside, area);
      within(area, 240_000, 0.005);
      within(inside, 12_000, 0.005);
      within(c, 0.75, 0.005);
      within(podFromCoverage(c), 1 - Math.exp(-0.75), 0.005);
    });
  }

  it('halves the coverage when the lanes are twice as far apart', () => {
    const frame = localFrame({ lat: 45, lon: 10 });
    const segment = frame.rectangle(400, 600);
    const c = coverage(
      15,
      lengthInsideM(segment, frame.walk(parallelSweeps(400, 600, 40))),
      segmentAreaM2(segment),
    );
    within(c, 0.375, 0.005);
  });
});

describe('lengthInsideM', () => {
  const frame = localFrame({ lat: 45, lon: 10 });
  const segment = frame.rectangle(400, 600);

  it('counts only the inside of a track that leaves and re-enters the segment', () => {
    // East along y = 0 from x = −100 out through the east edge (x = 200) to x = 300, north outside, back west
    // along y = 100 to x = 0: 300 m + 200 m inside.
    const track = frame.walk([
      [-100, 0],
      [300, 0],
      [300, 100],
      [0, 100],
    ]);
    within(lengthInsideM(segment, track), 500, 0.005);
  });

  it('counts only the arms of a U-shaped segment that one straight step crosses', () => {
    const u: SegmentPolygon = {
      type: 'Polygon',
      coordinates: [
        [
          [-200, -300],
          [200, -300],
          [200, 300],
          [100, 300],
          [100, -200],
          [-100, -200],
          [-100, 300],
          [-200, 300],
          [-200, -300],
        ].map(([x, y]) => {
          const p = frame.at(x as number, y as number);
          return [p.lon, p.lat];
        }),
      ],
    };
    // One step from x = −250 to x = 250 along y = 0: inside from −200 to −100 and from 100 to 200.
    const track = frame.walk(
      [
        [-250, 0],
        [250, 0],
      ],
      1000,
    );
    expect(track).toHaveLength(2);
    within(lengthInsideM(u, track), 200, 0.005);
  });

  it('does not count a step across a gap longer than the stale time', () => {
    const a = frame.walk([
      [0, -100],
      [0, 0],
    ]);
    const b = frame.walk(
      [
        [0, 50],
        [0, 150],
      ],
      10,
      600_000,
    );
    const track = [...a, ...b];
    // 100 m before the gap, 100 m after; the 50 m jump across the gap (590 s) is not walked.
    within(lengthInsideM(segment, track, { maxGapMs: 60_000 }), 200, 0.005);
    within(lengthInsideM(segment, track), 250, 0.005);
  });

  it('counts only what was walked within the assignment window', () => {
    const track = frame.walk([
      [0, -200],
      [0, 200],
    ]); // 40 steps of 10 m, one a second
    within(lengthInsideM(segment, track, { fromMs: 10_000, toMs: 30_000 }), 200, 0.005);
  });

  it('counts nothing for a track wholly outside', () => {
    const track = frame.walk([
      [300, -300],
      [300, 300],
    ]);
    expect(lengthInsideM(segment, track)).toBe(0);
  });
});

describe('segmentFromPoint', () => {
  it('says whether a searcher is inside, how far the nearest edge is and which way the middle lies', () => {
    // The edge distance is a flat-earth figure for guidance on the phone: within 1 %.
    const near = (m: number, expected: number) => Math.abs(m / expected - 1) < 0.01;
    for (const lat of [0, 45, 65]) {
      const frame = localFrame({ lat, lon: 10 });
      const segment = frame.rectangle(200, 300);
      const inside = segmentFromPoint(segment, frame.at(20, 0));
      expect(inside.inside).toBe(true);
      expect(near(inside.edgeM, 80)).toBe(true);
      const south = segmentFromPoint(segment, frame.at(0, -400));
      expect(south.inside).toBe(false);
      expect(near(south.edgeM, 250)).toBe(true);
      expect(south.bearingDeg).toBeCloseTo(0, 0);
      const west = segmentFromPoint(segment, frame.at(-600, 0));
      expect(near(west.edgeM, 500)).toBe(true);
      expect(west.bearingDeg).toBeCloseTo(90, 0);
    }
  });
});

describe('polygonProblem', () => {
  const frame = localFrame({ lat: 45, lon: 10 });

  it('accepts a rectangle', () => {
    expect(polygonProblem(frame.rectangle(100, 100))).toBeNull();
  });

  it('names a polygon that crosses itself', () => {
    const bowTie: SegmentPolygon = {
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
    };
    expect(polygonProblem(bowTie)).toMatch(/crosses itself/);
  });

  it('names an open ring, too few positions and positions off the globe', () => {
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
    ).toMatch(/not closed/);
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      }),
    ).toMatch(/at least 4/);
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [200, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      }),
    ).toMatch(/outside/);
  });
});

describe('POD', () => {
  it('is 1 − e^(−C)', () => {
    expect(podFromCoverage(0)).toBe(0);
    expect(podFromCoverage(1)).toBeCloseTo(0.632121, 6);
    expect(podFromCoverage(2)).toBeCloseTo(0.864665, 6);
  });

  it('combines two searches as 1 − (1 − a)(1 − b)', () => {
    expect(cumulativePod([0.5, 0.5])).toBeCloseTo(0.75, 12);
    expect(cumulativePod([])).toBe(0);
  });

  it('never decreases as searches are added, and stays within 0–1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (pods) => {
        let previous = 0;
        for (let i = 0; i <= pods.length; i++) {
          const cumulative = cumulativePod(pods.slice(0, i));
          expect(cumulative).toBeGreaterThanOrEqual(previous - 1e-15);
          expect(cumulative).toBeLessThanOrEqual(1);
          previous = cumulative;
        }
      }),
    );
  });

  it('equals the POD of the summed coverage (exponential detection is additive in coverage)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { maxLength: 10 }), (cs) => {
        const total = cs.reduce((s, c) => s + c, 0);
        expect(cumulativePod(cs.map(podFromCoverage))).toBeCloseTo(podFromCoverage(total), 9);
      }),
    );
  });
});
