import { destination, type Point } from '../domain/geo.ts';

/**
 * The Hale House: an invented, burnt-out ranger cabin off Leif Erikson Drive in Forest Park,
 * Portland, Oregon — real Douglas-fir and bigleaf-maple woods on a ridge above the Willamette.
 * The park runs north-west to south-east, so that is the way to go to stay under the trees.
 */
export const HALE_HOUSE: Point = { lat: 45.579, lon: -122.7745 };

/** The point `distM` metres from the Hale House on `bearing`. */
export function fromHaleHouse(bearing: number, distM: number): Point {
  return destination(HALE_HOUSE, bearing, distM);
}

/** A ring of `corners` points `radiusM` around `center` (an exercise area). */
export function ring(center: Point, radiusM: number, corners = 8): Point[] {
  return Array.from({ length: corners }, (_, i) => destination(center, (360 / corners) * i, radiusM));
}
