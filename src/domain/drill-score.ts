import { type LostSegment, movingAndStopped, trackerDeviation, trailFollowed } from './drill-measures.ts';
import { SegmentIndex } from './segment-index.ts';
import {
  capsuleInterval,
  clipPolyline,
  localProjection,
  type Polyline,
  polylineLength,
  project,
  segmentDistance2,
  type TrackPoint,
} from './track-geometry.ts';

export type { LostSegment } from './drill-measures.ts';
export type { TrackPoint } from './track-geometry.ts';

/**
 * Scoring of a tracking drill: how well a tracker (a person, or a K9 and handler) followed a runner's trail.
 *
 * Both tracks are projected to local metres (see `LocalProjection`: exact enough at drill scale) and compared
 * as polylines, with positions interpolated linearly between recorded points:
 * - the share of the trail followed is exact: each trail segment is cut where it enters and leaves the
 *   tolerance capsule of each nearby tracker segment (found with an rbush index);
 * - the smooth share integrates w = 1/(1+(d/30 m)^4) along the trail, sampled every metre;
 * - the tracker's deviation d(t) from the trail (to the nearest trail segment) is sampled along its path every
 *   metre walked and at the start and end of every stop, and weighted by time: its mean is the time average, its
 *   95th percentile the deviation the tracker stayed within 95 % of the time, its maximum that of the samples;
 *   the lost segments are the runs of samples beyond tolerance, with crossing times interpolated.
 * The samples depend only on the tracks' shapes and times, so inserting points on the segments changes nothing.
 *
 * The tracker's path is scored up to the find, when there is one (given by the caller, or detected when the
 * tracker first comes within the find radius of the runner's last position after the runner got there), so that
 * the walk back is not counted.
 */
export interface DrillScoreOptions {
  /** Within this distance of the tracker's path, the trail counts as followed (m, default 20). */
  readonly toleranceM?: number;
  /** A tracker this close to the runner's last position has found them (m, default 10). */
  readonly findRadiusM?: number;
  /** The find as recorded by the tracker (the button); detected from the tracks when absent. */
  readonly findTimeMs?: number;
  /** Below this speed over a sample interval, the tracker is stopped (m/s, default 0.3). */
  readonly stopSpeedMps?: number;
  /** Beyond tolerance for longer than this, the tracker has lost the trail (s, default 30). */
  readonly lostAfterS?: number;
}

export interface DrillScore {
  /** From the tracker's first point to the find; null without a find. */
  readonly timeToFindS: number | null;
  readonly findTimeMs: number | null;
  readonly findSource: 'given' | 'detected' | null;
  /** The tracker's path is scored over this window (up to the find, or its last point). */
  readonly trackerStartMs: number;
  readonly trackerEndMs: number;
  readonly trailLengthM: number;
  readonly trackerDistanceM: number;
  /** Tracker distance over trail length; null for a trail of zero length. */
  readonly distanceRatio: number | null;
  readonly toleranceM: number;
  /** Share (0..1) of the trail's length within tolerance of the tracker's path. */
  readonly shareFollowed: number;
  /** Length-weighted mean (0..1) over the trail of 1/(1+(d/30 m)^4), d the distance to the tracker's path. */
  readonly shareFollowedSmooth: number;
  readonly deviationMeanM: number;
  readonly deviationP95M: number;
  readonly deviationMaxM: number;
  readonly movingS: number;
  readonly stoppedS: number;
  readonly lostSegments: readonly LostSegment[];
}

export type DrillScoreErrorCode = 'too_few_points' | 'invalid_point' | 'time_out_of_order' | 'invalid_option';

/** Input that cannot be scored; `track` and `index` say where (the index of the offending point). */
export class DrillScoreError extends Error {
  constructor(
    readonly code: DrillScoreErrorCode,
    message: string,
    readonly track?: 'runner' | 'tracker',
    readonly index?: number,
  ) {
    super(message);
    this.name = 'DrillScoreError';
  }
}

export const DEFAULT_TOLERANCE_M = 20;
export const DEFAULT_FIND_RADIUS_M = 10;

/** Scores the tracker's path against the runner's trail; throws `DrillScoreError` on bad input. */
export function scoreDrill(
  runner: readonly TrackPoint[],
  tracker: readonly TrackPoint[],
  options: DrillScoreOptions = {},
): DrillScore {
  checkTrack(runner, 'runner');
  checkTrack(tracker, 'tracker');
  const toleranceM = positive(options.toleranceM, DEFAULT_TOLERANCE_M, 'toleranceM');
  const findRadiusM = positive(options.findRadiusM, DEFAULT_FIND_RADIUS_M, 'findRadiusM');
  const stopSpeedMps = positive(options.stopSpeedMps, 0.3, 'stopSpeedMps');
  const lostAfterS = positive(options.lostAfterS, 30, 'lostAfterS');
  const proj = localProjection([runner, tracker]);
  const trail = project(runner, proj);
  const fullPath = project(tracker, proj);
  const startMs = fullPath.t[0] as number;

  let findTimeMs: number | null = null;
  let findSource: DrillScore['findSource'] = null;
  if (options.findTimeMs !== undefined) {
    if (!Number.isFinite(options.findTimeMs) || options.findTimeMs < startMs) {
      throw new DrillScoreError(
        'invalid_option',
        'findTimeMs: the find must be at or after the tracker’s start',
      );
    }
    findTimeMs = options.findTimeMs;
    findSource = 'given';
  } else {
    findTimeMs = detectFind(trail, fullPath, findRadiusM);
    if (findTimeMs !== null) findSource = 'detected';
  }
  const path = findTimeMs === null ? fullPath : clipPolyline(fullPath, findTimeMs);
  const trailIndex = new SegmentIndex(trail);
  const pathIndex = new SegmentIndex(path);

  const trailLengthM = polylineLength(trail);
  const trackerDistanceM = polylineLength(path);
  const share = trailFollowed(trail, trailLengthM, pathIndex, toleranceM);
  const deviation = trackerDeviation(path, trackerDistanceM, trailIndex, toleranceM, lostAfterS);
  const motion = movingAndStopped(path, stopSpeedMps);
  return {
    timeToFindS: findTimeMs === null ? null : (findTimeMs - startMs) / 1000,
    findTimeMs,
    findSource,
    trackerStartMs: startMs,
    trackerEndMs: path.t[path.t.length - 1] as number,
    trailLengthM,
    trackerDistanceM,
    distanceRatio: trailLengthM > 0 ? trackerDistanceM / trailLengthM : null,
    toleranceM,
    ...share,
    ...deviation,
    ...motion,
  };
}

/**
 * When the tracker first came within `findRadiusM` of the runner's last position, no earlier than the runner got
 * there (epoch ms), or null: the find `scoreDrill` detects, for a drill still running. Throws `DrillScoreError`.
 */
export function detectedFindMs(
  runner: readonly TrackPoint[],
  tracker: readonly TrackPoint[],
  findRadiusM = DEFAULT_FIND_RADIUS_M,
): number | null {
  checkTrack(runner, 'runner');
  checkTrack(tracker, 'tracker');
  const radiusM = positive(findRadiusM, DEFAULT_FIND_RADIUS_M, 'findRadiusM');
  const proj = localProjection([runner, tracker]);
  return detectFind(project(runner, proj), project(tracker, proj), radiusM);
}

/**
 * Whether a stretch of a tracker's path (fixes in time order, joined by straight lines) passes within `radiusM` of
 * a point: a cheap test of new fixes before the whole tracks are read for `detectedFindMs`.
 */
export function passesWithin(
  path: readonly TrackPoint[],
  center: { lat: number; lon: number },
  radiusM: number,
): boolean {
  if (path.length === 0) return false;
  const proj = localProjection([path, [{ ...center, timeMs: 0 }]]);
  const line = project(path, proj);
  const c = project([{ ...center, timeMs: 0 }], proj);
  const cx = c.x[0] as number;
  const cy = c.y[0] as number;
  const r2 = radiusM * radiusM;
  const { x, y } = line;
  if (((x[0] as number) - cx) ** 2 + ((y[0] as number) - cy) ** 2 <= r2) return true;
  for (let i = 0; i + 1 < x.length; i++) {
    const d2 = segmentDistance2(
      cx,
      cy,
      x[i] as number,
      y[i] as number,
      x[i + 1] as number,
      y[i + 1] as number,
    );
    if (d2 <= r2) return true;
  }
  return false;
}

/**
 * When the runner last came within `radiusM` of where their trail ends, interpolated on the trail (so that points
 * added on its segments change nothing); null when they never were farther away (no trail laid yet).
 */
function arrivalMs(trail: Polyline, radiusM: number): number | null {
  const { x, y, t } = trail;
  const last = x.length - 1;
  const cx = x[last] as number;
  const cy = y[last] as number;
  const r2 = radiusM * radiusM;
  let i = last;
  // A chord between two points inside the circle stays inside it: the points alone tell the last stretch.
  while (i > 0 && ((x[i - 1] as number) - cx) ** 2 + ((y[i - 1] as number) - cy) ** 2 <= r2) i--;
  if (i === 0) return null;
  const out = new Float64Array(2);
  const ax = x[i - 1] as number;
  const ay = y[i - 1] as number;
  capsuleInterval(ax, ay, x[i] as number, y[i] as number, cx, cy, cx, cy, radiusM, out);
  const t0 = t[i - 1] as number;
  return t0 + (out[0] as number) * ((t[i] as number) - t0);
}

function checkTrack(points: readonly TrackPoint[], track: 'runner' | 'tracker'): void {
  if (points.length < 2) {
    throw new DrillScoreError(
      'too_few_points',
      `${track} track: needs at least 2 points, has ${points.length}`,
      track,
    );
  }
  let prev = Number.NEGATIVE_INFINITY;
  points.forEach((p, i) => {
    if (!(Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && Number.isFinite(p.timeMs))) {
      throw new DrillScoreError(
        'invalid_point',
        `${track} track: point ${i + 1} is not a valid position and time (lat ${p.lat}, lon ${p.lon}, time ${p.timeMs})`,
        track,
        i,
      );
    }
    if (p.timeMs < prev) {
      throw new DrillScoreError(
        'time_out_of_order',
        `${track} track: point ${i + 1} (${iso(p.timeMs)}) is earlier than point ${i} (${iso(prev)})`,
        track,
        i,
      );
    }
    prev = p.timeMs;
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0)) {
    throw new DrillScoreError('invalid_option', `${name}: must be a positive number, got ${value}`);
  }
  return value;
}

/**
 * The first time the tracker's path comes within `radiusM` of the runner's last position, no earlier than the
 * runner got there (the subject cannot be found before they hid); null if never. The runner got there with the
 * first fix of their last stretch within `radiusM` of the hide (a runner's phone keeps reporting while they wait);
 * a runner who never left that circle has laid no trail yet, so nobody can have found them (at STARTEX, runner
 * and tracker stand side by side).
 */
function detectFind(trail: Polyline, path: Polyline, radiusM: number): number | null {
  const last = trail.x.length - 1;
  const cx = trail.x[last] as number;
  const cy = trail.y[last] as number;
  const hiddenMs = arrivalMs(trail, radiusM);
  if (hiddenMs === null) return null;
  const { x, y, t } = path;
  const out = new Float64Array(2);
  for (let i = 0; i + 1 < x.length; i++) {
    const t0 = t[i] as number;
    const t1 = t[i + 1] as number;
    if (t1 < hiddenMs) continue;
    const from = t0 >= hiddenMs || t1 === t0 ? 0 : (hiddenMs - t0) / (t1 - t0);
    const ax = x[i] as number;
    const ay = y[i] as number;
    const inside = capsuleInterval(
      ax,
      ay,
      x[i + 1] as number,
      y[i + 1] as number,
      cx,
      cy,
      cx,
      cy,
      radiusM,
      out,
    );
    if (inside && (out[1] as number) >= from) return t0 + Math.max(from, out[0] as number) * (t1 - t0);
  }
  return null;
}
