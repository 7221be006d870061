import turfArea from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import kinks from '@turf/kinks';
import lineIntersect from '@turf/line-intersect';
import { distanceToRingM } from './condition-limits.ts';
import { bearingDeg, distanceM, type Point } from './geo.ts';
import type { TrackPoint } from './track-geometry.ts';

/**
 * Coverage of a search segment from the tracks searchers walked (search theory after Koopman):
 * coverage C = W·L/A with the effective sweep width W, the length L walked inside the segment and its area A;
 * probability of detection POD = 1 − e^(−C) (the exponential detection function). See docs/search-planning.md.
 *
 * Geometry is maintained code (@turf/*): the polygon's geodesic area, where a track crosses its boundary and
 * whether a point is inside. Lengths are great-circle distances (the same earth radius as @turf/area).
 */

/** A GeoJSON Polygon: an outer ring and holes, each closed, positions `[lon, lat]`. */
export interface SegmentPolygon {
  readonly type: 'Polygon';
  readonly coordinates: readonly (readonly (readonly number[])[])[];
}

/** What is wrong with a polygon as a search segment, or null when it is usable. */
export function polygonProblem(polygon: SegmentPolygon): string | null {
  if (polygon.coordinates.length === 0) return 'the polygon has no ring';
  for (const [i, ring] of polygon.coordinates.entries()) {
    const name = i === 0 ? 'the outer ring' : `hole ${i}`;
    if (ring.length < 4) return `${name} needs at least 4 positions (3 corners and the first again)`;
    for (const p of ring) {
      const [lon, lat] = p;
      if (
        p.length < 2 ||
        lon === undefined ||
        lat === undefined ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat)
      ) {
        return `${name} has a position that is not [longitude, latitude]`;
      }
      if (Math.abs(lon) > 180 || Math.abs(lat) > 90)
        return `${name} has a position outside the globe: [${lon}, ${lat}]`;
    }
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first?.[0] !== last?.[0] || first?.[1] !== last?.[1])
      return `${name} is not closed (its last position must repeat its first)`;
  }
  const crossings = kinks(toTurf(polygon)).features;
  const at = crossings[0]?.geometry.coordinates;
  if (at) return `the polygon crosses itself near [${at.map((v) => v.toFixed(6)).join(', ')}]`;
  if (segmentAreaM2(polygon) <= 0) return 'the polygon has no area';
  return null;
}

/** The polygon's geodesic area, in m². */
export function segmentAreaM2(polygon: SegmentPolygon): number {
  return turfArea(toTurf(polygon));
}

export interface InsideOptions {
  /** A step between two positions further apart in time than this is a gap, not walked (ms; default: none). */
  readonly maxGapMs?: number;
  /** Only what was walked in this time window counts (epoch ms, inclusive; default: all). */
  readonly fromMs?: number;
  readonly toMs?: number;
}

/**
 * The length of a track inside the polygon (m): each step between consecutive positions is cut where it crosses
 * the boundary, and the pieces whose middle is inside are summed. Steps across a gap, or outside the time window
 * (positions are clipped to the window, not interpolated), are not counted.
 */
export function lengthInsideM(
  polygon: SegmentPolygon,
  track: readonly TrackPoint[],
  options: InsideOptions = {},
): number {
  const from = options.fromMs ?? Number.NEGATIVE_INFINITY;
  const to = options.toMs ?? Number.POSITIVE_INFINITY;
  const maxGap = options.maxGapMs ?? Number.POSITIVE_INFINITY;
  const feature = toTurf(polygon);
  const box = bbox(polygon);
  let total = 0;
  for (let i = 1; i < track.length; i++) {
    const a = track[i - 1] as TrackPoint;
    const b = track[i] as TrackPoint;
    if (a.timeMs < from || b.timeMs > to || b.timeMs - a.timeMs > maxGap) continue;
    if (outsideBox(a, b, box)) continue;
    total += stepInsideM(feature, a, b);
  }
  return total;
}

/** Where a segment lies from a searcher: inside it or not, how far its nearest edge is, and which way its middle. */
export interface SegmentFromPoint {
  readonly inside: boolean;
  /** To the nearest edge of the outer ring (m). */
  readonly edgeM: number;
  /** From the point to the middle of the outer ring's bounding box (degrees from true north). */
  readonly bearingDeg: number;
}

export function segmentFromPoint(polygon: SegmentPolygon, p: Point): SegmentFromPoint {
  const outer = (polygon.coordinates[0] ?? []).map(([lon = 0, lat = 0]) => ({ lat, lon }));
  const [w, s, e, n] = bbox(polygon);
  return {
    inside: booleanPointInPolygon([p.lon, p.lat], toTurf(polygon)),
    edgeM: distanceToRingM(p, outer),
    bearingDeg: bearingDeg(p, { lat: (s + n) / 2, lon: (w + e) / 2 }),
  };
}

/** Coverage C = W·L/A (dimensionless) from the sweep width (m), the length inside (m) and the area (m²). */
export function coverage(sweepWidthM: number, lengthM: number, areaM2: number): number {
  if (areaM2 <= 0) return 0;
  return (sweepWidthM * lengthM) / areaM2;
}

/** The probability of detection of a coverage, 1 − e^(−C) (Koopman's exponential detection function). */
export function podFromCoverage(c: number): number {
  return -Math.expm1(-c);
}

/** The cumulative POD of several independent searches of one segment, 1 − Π(1 − PODᵢ). */
export function cumulativePod(pods: readonly number[]): number {
  return 1 - pods.reduce((miss, p) => miss * (1 - p), 1);
}

interface TurfPolygon {
  type: 'Feature';
  properties: Record<string, never>;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

function toTurf(polygon: SegmentPolygon): TurfPolygon {
  const coordinates = polygon.coordinates.map((ring) => ring.map((p) => [p[0] as number, p[1] as number]));
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates } };
}

type Box = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

function bbox(polygon: SegmentPolygon): Box {
  const outer = polygon.coordinates[0] ?? [];
  const lons = outer.map((p) => p[0] as number);
  const lats = outer.map((p) => p[1] as number);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

function outsideBox(a: TrackPoint, b: TrackPoint, [w, s, e, n]: Box): boolean {
  return (
    (a.lon < w && b.lon < w) ||
    (a.lon > e && b.lon > e) ||
    (a.lat < s && b.lat < s) ||
    (a.lat > n && b.lat > n)
  );
}

function stepInsideM(polygon: TurfPolygon, a: TrackPoint, b: TrackPoint): number {
  const dLon = b.lon - a.lon;
  const dLat = b.lat - a.lat;
  const len2 = dLon * dLon + dLat * dLat;
  if (len2 === 0) return 0;
  const line = {
    type: 'Feature' as const,
    properties: {},
    geometry: {
      type: 'LineString' as const,
      coordinates: [
        [a.lon, a.lat],
        [b.lon, b.lat],
      ],
    },
  };
  const cuts = [0, 1];
  for (const hit of lineIntersect(line, polygon).features) {
    const [lon, lat] = hit.geometry.coordinates as [number, number];
    const t = ((lon - a.lon) * dLon + (lat - a.lat) * dLat) / len2;
    if (t > 0 && t < 1) cuts.push(t);
  }
  cuts.sort((x, y) => x - y);
  const at = (t: number) => ({ lat: a.lat + t * dLat, lon: a.lon + t * dLon });
  let inside = 0;
  for (let k = 1; k < cuts.length; k++) {
    const t0 = cuts[k - 1] as number;
    const t1 = cuts[k] as number;
    if (t1 - t0 <= 0) continue;
    const mid = at((t0 + t1) / 2);
    if (booleanPointInPolygon([mid.lon, mid.lat], polygon)) inside += distanceM(at(t0), at(t1));
  }
  return inside;
}
