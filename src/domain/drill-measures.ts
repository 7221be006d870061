// The measures behind a drill score (see `drill-score.ts` for what they mean and how they are sampled).

import { NearestWalker, type SegmentIndex } from './segment-index.ts';
import { capsuleInterval, type Polyline, segmentLength } from './track-geometry.ts';
import { forEachArcSample, samplePath, weightedQuantile } from './track-sampling.ts';

/** A stretch of time the tracker spent beyond tolerance from the trail. */
export interface LostSegment {
  readonly startMs: number;
  readonly endMs: number;
  readonly maxDeviationM: number;
  /** False when the tracker was still off the trail when the scored path ended. */
  readonly regained: boolean;
}

const SMOOTH_SCALE_M = 30;
/** Sampling of the smooth share and the deviation along the tracks: every metre, or coarser for tracks longer than
 * MAX_SAMPLES metres (a GPS glitch across a continent must not take minutes). */
const SAMPLE_STEP_M = 1;
const MAX_SAMPLES = 500_000;
const sampleStep = (lengthM: number) => Math.max(SAMPLE_STEP_M, lengthM / MAX_SAMPLES);

/** The exact share of trail length within tolerance of the path, and the smooth share. */
export function trailFollowed(
  trail: Polyline,
  lengthM: number,
  pathIndex: SegmentIndex,
  toleranceM: number,
): { shareFollowed: number; shareFollowedSmooth: number } {
  const smooth = (d: number) => 1 / (1 + (d / SMOOTH_SCALE_M) ** 4);
  const { x, y } = trail;
  if (lengthM === 0) {
    const d = pathIndex.nearest(x[0] as number, y[0] as number);
    return { shareFollowed: d <= toleranceM ? 1 : 0, shareFollowedSmooth: smooth(d) };
  }
  const path = pathIndex.line;
  const lastPathSegment = path.x.length - 2;
  const tol2 = toleranceM * toleranceM;
  const out = new Float64Array(2);
  const intervals: number[] = [];
  let covered = 0;
  let hint = 0; // the path segment that covered the previous trail segment
  for (let i = 0; i + 1 < x.length; i++) {
    const len = segmentLength(trail, i);
    if (len === 0) continue;
    const ax = x[i] as number;
    const ay = y[i] as number;
    const bx = x[i + 1] as number;
    const by = y[i + 1] as number;
    // Usually the path segment (or a neighbour) that covered the last trail segment covers this one whole: both
    // ends within tolerance of it, hence all of it (the capsule is convex).
    let whole = false;
    for (let j = Math.max(0, hint - 2); j <= Math.min(lastPathSegment, hint + 2) && !whole; j++) {
      if (pathIndex.distance2(j, ax, ay) <= tol2 && pathIndex.distance2(j, bx, by) <= tol2) {
        whole = true;
        hint = j;
      }
    }
    if (whole) {
      covered += len;
      continue;
    }
    intervals.length = 0;
    for (const { i: j } of pathIndex.near(ax, ay, bx, by, toleranceM)) {
      const sx = path.x[j] as number;
      const sy = path.y[j] as number;
      if (
        !capsuleInterval(
          ax,
          ay,
          bx,
          by,
          sx,
          sy,
          path.x[j + 1] as number,
          path.y[j + 1] as number,
          toleranceM,
          out,
        )
      ) {
        continue;
      }
      if (out[0] === 0 && out[1] === 1) {
        hint = j;
        intervals.length = 0;
        intervals.push(0, 1);
        break;
      }
      intervals.push(out[0] as number, out[1] as number);
    }
    covered += unionLength(intervals) * len;
  }
  let weighted = 0;
  const nearest = new NearestWalker(pathIndex);
  forEachArcSample(trail, sampleStep(lengthM), (px, py, w) => {
    weighted += smooth(nearest.distance(px, py)) * w;
  });
  return {
    shareFollowed: Math.min(1, covered / lengthM),
    shareFollowedSmooth: Math.min(1, weighted / lengthM),
  };
}

/** Total length of a union of intervals given as flat [lo, hi, lo, hi, …]. */
function unionLength(flat: number[]): number {
  const n = flat.length / 2;
  if (n === 0) return 0;
  if (n === 1) return (flat[1] as number) - (flat[0] as number);
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) => (flat[2 * a] as number) - (flat[2 * b] as number),
  );
  let sum = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const k of order) {
    const lo = flat[2 * k] as number;
    const hi = flat[2 * k + 1] as number;
    if (hi <= end) continue;
    sum += hi - Math.max(lo, end);
    end = hi;
  }
  return sum;
}

/** The tracker's time-weighted deviation from the trail, and the stretches it spent beyond tolerance. */
export function trackerDeviation(
  path: Polyline,
  lengthM: number,
  trailIndex: SegmentIndex,
  toleranceM: number,
  lostAfterS: number,
): { deviationMeanM: number; deviationP95M: number; deviationMaxM: number; lostSegments: LostSegment[] } {
  const s = samplePath(path, sampleStep(lengthM));
  const n = s.x.length;
  const d = new Float64Array(n);
  let max = 0;
  const nearest = new NearestWalker(trailIndex);
  for (let k = 0; k < n; k++) {
    const v = nearest.distance(s.x[k] as number, s.y[k] as number);
    d[k] = v;
    if (v > max) max = v;
  }
  // Trapezoid weights in time; a path without duration weighs its samples alike.
  const durationMs = (s.t[n - 1] as number) - (s.t[0] as number);
  const weights = new Float64Array(n);
  for (let k = 0; k + 1 < n; k++) {
    const dt = durationMs > 0 ? (s.t[k + 1] as number) - (s.t[k] as number) : 1;
    weights[k] = (weights[k] as number) + dt / 2;
    weights[k + 1] = dt / 2;
  }
  let sum = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    sum += (d[k] as number) * (weights[k] as number);
    total += weights[k] as number;
  }
  return {
    deviationMeanM: Math.min(max, total > 0 ? sum / total : (d[0] as number)),
    deviationP95M: total > 0 ? weightedQuantile(d, weights, 0.95) : (d[0] as number),
    deviationMaxM: max,
    lostSegments: lostSegments(s.t, d, toleranceM, lostAfterS * 1000),
  };
}

/** Runs of samples beyond tolerance lasting longer than `minMs`, with crossing times interpolated. */
function lostSegments(t: Float64Array, d: Float64Array, toleranceM: number, minMs: number): LostSegment[] {
  const out: LostSegment[] = [];
  let start: number | undefined;
  let max = 0;
  const crossing = (k: number) => {
    const d0 = d[k] as number;
    const d1 = d[k + 1] as number;
    const f = d1 === d0 ? 0 : (toleranceM - d0) / (d1 - d0);
    return (t[k] as number) + f * ((t[k + 1] as number) - (t[k] as number));
  };
  const close = (endMs: number, regained: boolean) => {
    if (start !== undefined && endMs - start > minMs) {
      out.push({ startMs: start, endMs, maxDeviationM: max, regained });
    }
    start = undefined;
  };
  for (let k = 0; k < d.length; k++) {
    const beyond = (d[k] as number) > toleranceM;
    if (beyond && start === undefined) {
      start = k === 0 ? (t[0] as number) : crossing(k - 1);
      max = 0;
    } else if (!beyond && start !== undefined) {
      close(crossing(k - 1), true);
    }
    if (beyond) max = Math.max(max, d[k] as number);
  }
  close(t[t.length - 1] as number, false);
  return out;
}

/** Time moving and stopped: each interval between recorded points counts by its mean speed. */
export function movingAndStopped(
  path: Polyline,
  stopSpeedMps: number,
): { movingS: number; stoppedS: number } {
  let moving = 0;
  let stopped = 0;
  for (let i = 0; i + 1 < path.t.length; i++) {
    const dtS = ((path.t[i + 1] as number) - (path.t[i] as number)) / 1000;
    if (dtS <= 0) continue;
    if (segmentLength(path, i) / dtS >= stopSpeedMps) moving += dtS;
    else stopped += dtS;
  }
  return { movingS: moving, stoppedS: stopped };
}
