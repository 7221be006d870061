import { destination, type Point } from './geo.ts';

/** A subject category's distances from the initial planning point: the share found within each distance. */
export interface DistanceProfile {
  readonly category: string;
  readonly rings: ReadonlyArray<{ readonly quantile: number; readonly distanceM: number }>;
}

export interface DistanceRing {
  readonly quantile: number;
  readonly distanceM: number;
  /** A GeoJSON Polygon approximating the circle, positions `[lon, lat]`. */
  readonly polygon: { readonly type: 'Polygon'; readonly coordinates: number[][][] };
}

/** The rings of a profile around the initial planning point, each a circle of `steps` positions. */
export function distanceRings(ipp: Point, profile: DistanceProfile, steps = 72): DistanceRing[] {
  return profile.rings.map(({ quantile, distanceM }) => {
    const ring = Array.from({ length: steps }, (_, i) => {
      const p = destination(ipp, (360 * i) / steps, distanceM);
      return [p.lon, p.lat];
    });
    return { quantile, distanceM, polygon: { type: 'Polygon', coordinates: [[...ring, ring[0] ?? []]] } };
  });
}

/** A ring's label on a map or in a file: "50 % within 2.0 km". */
export function ringLabel(ring: { readonly quantile: number; readonly distanceM: number }): string {
  return `${Math.round(ring.quantile * 100)} % within ${(ring.distanceM / 1000).toFixed(1)} km`;
}
