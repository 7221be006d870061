import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NearestWalker, SegmentIndex } from './segment-index.ts';
import { capsuleInterval, type Polyline, segmentDistance2 } from './track-geometry.ts';
import { samplePath, weightedQuantile } from './track-sampling.ts';

const coord = fc.integer({ min: -50_000, max: 50_000 }).map((v) => v / 100);
const points = (min: number, max: number) =>
  fc.array(fc.tuple(coord, coord), { minLength: min, maxLength: max });

function polyline(pts: readonly (readonly [number, number])[]): Polyline {
  return {
    x: Float64Array.from(pts, (p) => p[0]),
    y: Float64Array.from(pts, (p) => p[1]),
    t: Float64Array.from(pts, (_, i) => i * 1000),
  };
}

/** The nearest distance by trying every segment. */
function bruteNearest(line: Polyline, px: number, py: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < line.x.length; i++) {
    const d2 = segmentDistance2(
      px,
      py,
      line.x[i] as number,
      line.y[i] as number,
      line.x[i + 1] as number,
      line.y[i + 1] as number,
    );
    best = Math.min(best, d2);
  }
  return Math.sqrt(best);
}

describe('capsuleInterval', () => {
  it('cuts a crossing segment where it enters and leaves the tolerance', () => {
    const out = new Float64Array(2);
    // a–b runs along y = 0 from x = -100 to 100; s–e is the point (0, 6): within 10 m for |x| ≤ 8.
    expect(capsuleInterval(-100, 0, 100, 0, 0, 6, 0, 6, 10, out)).toBe(true);
    expect(out[0]).toBeCloseTo(0.46, 9);
    expect(out[1]).toBeCloseTo(0.54, 9);
    expect(capsuleInterval(-100, 0, 100, 0, 0, 11, 50, 11, 10, out)).toBe(false);
  });

  it('agrees with sampling the segment finely', () => {
    fc.assert(
      fc.property(points(4, 4), fc.integer({ min: 1, max: 200 }), (pts, r) => {
        type P = [number, number];
        const [[ax, ay], [bx, by], [sx, sy], [ex, ey]] = pts as [P, P, P, P];
        const out = new Float64Array(2);
        const hit = capsuleInterval(ax, ay, bx, by, sx, sy, ex, ey, r, out);
        const steps = 2000;
        for (let k = 0; k <= steps; k++) {
          const f = k / steps;
          const d = Math.sqrt(segmentDistance2(ax + (bx - ax) * f, ay + (by - ay) * f, sx, sy, ex, ey));
          const inside = hit && f >= (out[0] as number) - 1e-9 && f <= (out[1] as number) + 1e-9;
          // Away from the boundary, sampling and the interval must agree.
          if (Math.abs(d - r) > 1e-6) expect(inside).toBe(d < r);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('SegmentIndex and NearestWalker', () => {
  it('find the same nearest distance as trying every segment', () => {
    fc.assert(
      fc.property(points(2, 300), points(1, 50), (line, queries) => {
        const pl = polyline(line);
        const index = new SegmentIndex(pl);
        const walker = new NearestWalker(new SegmentIndex(pl), 5, 100);
        for (const [px, py] of queries) {
          const expected = bruteNearest(pl, px, py);
          expect(index.nearest(px, py)).toBeCloseTo(expected, 9);
          expect(walker.distance(px, py)).toBeCloseTo(expected, 9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stay exact for a walk of close queries along a winding line', () => {
    const line: [number, number][] = Array.from({ length: 2000 }, (_, i) => [
      i * 1.3,
      40 * Math.sin(i / 50) + (i % 7),
    ]);
    const pl = polyline(line);
    const walker = new NearestWalker(new SegmentIndex(pl));
    for (let k = 0; k < 5000; k++) {
      const px = k * 0.6;
      const py = 25 * Math.cos(k / 90) + 70 * Math.sin(k / 700);
      expect(walker.distance(px, py)).toBeCloseTo(bruteNearest(pl, px, py), 9);
    }
  });
});

describe('weightedQuantile', () => {
  it('matches sorting, for values with repeats and zero weights', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5 })), {
      minLength: 1,
      maxLength: 3000,
    });
    fc.assert(
      fc.property(pairs, fc.integer({ min: 0, max: 100 }), (vw, qPercent) => {
        const q = qPercent / 100;
        const values = Float64Array.from(vw, ([v]) => v / 7);
        const weights = Float64Array.from(vw, ([, w]) => w);
        const sorted = [...vw.keys()].sort((a, b) => (values[a] as number) - (values[b] as number));
        const total = weights.reduce((s, w) => s + w, 0);
        let cum = 0;
        let expected = values[sorted.at(-1) ?? 0] as number;
        for (const i of sorted) {
          cum += weights[i] as number;
          if (cum >= q * total) {
            expected = values[i] as number;
            break;
          }
        }
        expect(weightedQuantile(values, weights, q)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('samplePath', () => {
  it('samples every step of arc length with interpolated times, and both ends of a stop', () => {
    const line = polyline([
      [0, 0],
      [2.5, 0],
      [2.5, 0],
      [2.5, 2.5],
    ]);
    const s = samplePath({ ...line, t: Float64Array.from([0, 2500, 62_500, 65_000]) }, 1);
    // 0, 1, 2 m on the first leg; the minute stopped at 2.5 m; 3, 4, 5 m on the last leg.
    expect(Array.from(s.x)).toEqual([0, 1, 2, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(s.y)).toEqual([0, 0, 0, 0, 0, 0.5, 1.5, 2.5]);
    expect(Array.from(s.t)).toEqual([0, 1000, 2000, 2500, 62_500, 63_000, 64_000, 65_000]);
  });
});
