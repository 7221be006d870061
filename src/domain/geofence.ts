import type { Point } from './geo.ts';

/** Whether a point lies inside a polygon ring (ray casting; the ring may or may not repeat its first point). */
export function insidePolygon(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    const crosses = a.lat > p.lat !== b.lat > p.lat;
    if (crosses && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
  }
  return inside;
}
