import { distanceM, type Point } from './geo.ts';
import { STILL_RADIUS_M, type TimedPoint } from './man-down.ts';

/**
 * Every condition has two thresholds: its alert is raised beyond the limit and resolved only well inside
 * it, so that a reading wavering at the limit (301 m, 298 m, 308 m against 300 m) cannot raise and resolve
 * it over and over. Between the two, an alert that is up stays up and none is raised.
 */

/** The share of a limit inside which an alert resolves: separation 300 m → 250 m, stale 120 s → 100 s. */
export const RESOLVE_SHARE = 5 / 6;

/** How long a member must be beyond a limit, without a break, before the alert is raised, in seconds. */
export const MIN_BEYOND_S = 20;

/** How far back inside an exercise area a member must be before a geofence alert resolves, in metres. */
export const GEOFENCE_RESOLVE_M = 25;

/** How far a member must have moved before a man-down alert resolves, in metres (twice the still radius). */
export const MAN_DOWN_RESOLVE_M = 2 * STILL_RADIUS_M;

/** Where a reading lies against a limit: beyond it, inside the resolve threshold, or in the band between. */
export type Level = 'beyond' | 'band' | 'clear';

/** The level of `value` against `limit` (beyond when greater), with the resolve threshold at RESOLVE_SHARE. */
export function levelOf(value: number, limit: number): Level {
  if (value > limit) return 'beyond';
  return value >= limit * RESOLVE_SHARE ? 'band' : 'clear';
}

/** Distance from a point to the nearest edge of a polygon ring, in metres (flat-earth, fine for an area). */
export function distanceToRingM(p: Point, ring: readonly Point[]): number {
  const kx = 111_320 * Math.cos((p.lat * Math.PI) / 180);
  const ky = 110_574;
  const xy = (q: Point) => [(q.lon - p.lon) * kx, (q.lat - p.lat) * ky] as const;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    const [ax, ay] = xy(a);
    const [bx, by] = xy(b);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

/** Whether any fix since `sinceMs` lies more than MAN_DOWN_RESOLVE_M from the latest one: the member moves. */
export function hasMoved(fixes: readonly TimedPoint[], sinceMs: number): boolean {
  const latest = fixes.reduce<TimedPoint | undefined>(
    (l, f) => (!l || f.timeMs > l.timeMs ? f : l),
    undefined,
  );
  if (!latest) return false;
  return fixes.some((f) => f.timeMs >= sinceMs && distanceM(f, latest) > MAN_DOWN_RESOLVE_M);
}
