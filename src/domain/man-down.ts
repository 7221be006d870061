import { distanceM, type Point } from './geo.ts';

export interface TimedPoint extends Point {
  readonly timeMs: number;
}

/** Movement smaller than this is GPS noise, not a person moving, in metres. */
export const STILL_RADIUS_M = 15;

/**
 * Whether a member has not moved for `minutes` at `nowMs`: every fix of that window lies
 * within STILL_RADIUS_M of the latest one, and the fixes cover the whole window.
 */
export function isManDown(fixes: readonly TimedPoint[], nowMs: number, minutes: number): boolean {
  if (fixes.length === 0) return false;
  const sorted = [...fixes].sort((a, b) => a.timeMs - b.timeMs);
  const latest = sorted[sorted.length - 1] as TimedPoint;
  const windowStart = nowMs - minutes * 60_000;
  const first = sorted[0] as TimedPoint;
  if (first.timeMs > windowStart) return false; // not watched long enough
  const recent = sorted.filter((f) => f.timeMs >= windowStart);
  const lastBefore = [...sorted].reverse().find((f) => f.timeMs < windowStart);
  const window = lastBefore ? [lastBefore, ...recent] : recent;
  return window.every((f) => distanceM(f, latest) <= STILL_RADIUS_M);
}
