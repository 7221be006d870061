// Constructed runner and tracker tracks for drill-scoring tests, laid out in metres on the ground.
import type { TrackPoint } from '../../src/domain/drill-score.ts';
import { destination, type Point } from '../../src/domain/geo.ts';

/** [east m, north m, seconds] from an origin. */
export type Leg = readonly [number, number, number];

export const T0 = Date.UTC(2025, 5, 1, 9);

/** Points `east` and `north` metres from `origin` (north first, then east: great-circle steps). */
export function offset(origin: Point, eastM: number, northM: number): Point {
  const north = destination(origin, northM >= 0 ? 0 : 180, Math.abs(northM));
  return destination(north, eastM >= 0 ? 90 : 270, Math.abs(eastM));
}

/** A track through the given [east, north, seconds] corners, with a point every `stepS` seconds in between. */
export function track(origin: Point, corners: readonly Leg[], stepS = 1, t0Ms = T0): TrackPoint[] {
  const out: TrackPoint[] = [];
  corners.forEach((c, k) => {
    const prev = corners[k - 1];
    if (!prev) {
      out.push({ ...offset(origin, c[0], c[1]), timeMs: t0Ms + c[2] * 1000 });
      return;
    }
    const steps = Math.max(1, Math.round((c[2] - prev[2]) / stepS));
    for (let s = 1; s <= steps; s++) {
      const f = s / steps;
      const e = prev[0] + (c[0] - prev[0]) * f;
      const n = prev[1] + (c[1] - prev[1]) * f;
      out.push({ ...offset(origin, e, n), timeMs: t0Ms + (prev[2] + (c[2] - prev[2]) * f) * 1000 });
    }
  });
  return out;
}

/** A runner walking 1 km east in 1000 s, and a tracker walking beside at `sideM` m north, starting an hour later. */
export function offsetLine(origin: Point, sideM: number): { runner: TrackPoint[]; tracker: TrackPoint[] } {
  return {
    runner: track(origin, [
      [0, 0, 0],
      [1000, 0, 1000],
    ]),
    tracker: track(
      origin,
      [
        [0, sideM, 0],
        [1000, sideM, 1000],
      ],
      1,
      T0 + 3600_000,
    ),
  };
}

/** The runner's 1 km line; the tracker follows the first 500 m and walks 500 m off to the north. */
export function abandonedHalfway(origin: Point): { runner: TrackPoint[]; tracker: TrackPoint[] } {
  return {
    runner: offsetLine(origin, 0).runner,
    tracker: track(
      origin,
      [
        [0, 0, 0],
        [500, 0, 500],
        [500, 500, 1000],
      ],
      1,
      T0 + 3600_000,
    ),
  };
}
