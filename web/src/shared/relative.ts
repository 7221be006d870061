import type { Point } from '../../../src/domain/geo.ts';
import { bearingDeg, compassPoint, distanceM, formatDistance } from '../../../src/domain/geo.ts';

/** "1.2 km NE" from `from` to `to`, for lists. */
export function describeFrom(from: Point, to: Point): { text: string; bearing: number } {
  const bearing = bearingDeg(from, to);
  return {
    text: `${formatDistance(distanceM(from, to))} ${compassPoint(bearing)}`,
    bearing: Math.round(bearing),
  };
}
