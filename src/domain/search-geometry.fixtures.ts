import { destination, type Point } from './geo.ts';
import type { SegmentPolygon } from './search-coverage.ts';
import type { TrackPoint } from './track-geometry.ts';

/**
 * Constructed geometry for the search tests: positions in metres east (x) and north (y) of a centre, turned into
 * latitude and longitude along the meridian and the parallel, so that the expected lengths and areas are known.
 */
export function localFrame(centre: Point) {
  const at = (x: number, y: number): Point => {
    const north = destination(centre, y >= 0 ? 0 : 180, Math.abs(y));
    const lon = destination({ lat: centre.lat, lon: centre.lon }, x >= 0 ? 90 : 270, Math.abs(x)).lon;
    return { lat: north.lat, lon };
  };
  /** A rectangle `widthM` east–west by `heightM` north–south around the centre. */
  const rectangle = (widthM: number, heightM: number): SegmentPolygon => {
    const corners = [
      at(-widthM / 2, -heightM / 2),
      at(widthM / 2, -heightM / 2),
      at(widthM / 2, heightM / 2),
      at(-widthM / 2, heightM / 2),
    ];
    return { type: 'Polygon', coordinates: [[...corners, corners[0] as Point].map((p) => [p.lon, p.lat])] };
  };
  /** A walk through the given corners (metres), with a position every `stepM` metres and one second. */
  const walk = (corners: readonly [number, number][], stepM = 10, startMs = 0): TrackPoint[] => {
    const out: TrackPoint[] = [];
    let t = startMs;
    corners.forEach(([x, y], i) => {
      const prev = corners[i - 1];
      if (!prev) {
        out.push({ ...at(x, y), timeMs: t });
        return;
      }
      const length = Math.hypot(x - prev[0], y - prev[1]);
      const steps = Math.max(1, Math.ceil(length / stepM));
      for (let k = 1; k <= steps; k++) {
        t += 1000;
        const f = k / steps;
        out.push({ ...at(prev[0] + f * (x - prev[0]), prev[1] + f * (y - prev[1])), timeMs: t });
      }
    });
    return out;
  };
  return { at, rectangle, walk };
}

/**
 * Parallel north–south sweeps `spacingM` apart across a rectangle `widthM` wide, each running `overrunM` past its
 * north and south edges and joined outside it: the corners of one walk.
 */
export function parallelSweeps(
  widthM: number,
  heightM: number,
  spacingM: number,
  overrunM = 50,
): [number, number][] {
  const lanes = Math.round(widthM / spacingM);
  const corners: [number, number][] = [];
  const top = heightM / 2 + overrunM;
  for (let i = 0; i < lanes; i++) {
    const x = -widthM / 2 + (i + 0.5) * spacingM;
    const [from, to] = i % 2 === 0 ? [-top, top] : [top, -top];
    corners.push([x, from], [x, to]);
  }
  return corners;
}
