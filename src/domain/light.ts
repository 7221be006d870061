import { getPosition } from 'suncalc';

export type Light = 'day' | 'dusk' | 'night';

/** The sun's centre at sunrise and sunset (refraction and the sun's radius), in degrees. */
export const SUNSET_ELEVATION_DEG = -0.833;
/** The end of civil twilight, in degrees. */
export const CIVIL_DUSK_ELEVATION_DEG = -6;

/** The light at a place and time: day from sunrise to sunset, dusk in civil twilight, night below -6°. */
export function lightAt(lat: number, lon: number, timeMs: number): { light: Light; sunElevationDeg: number } {
  const sunElevationDeg = getPosition(new Date(timeMs), lat, lon).altitude;
  return { light: lightOf(sunElevationDeg), sunElevationDeg };
}

/** The light for a sun elevation in degrees. */
export function lightOf(sunElevationDeg: number): Light {
  if (sunElevationDeg >= SUNSET_ELEVATION_DEG) return 'day';
  if (sunElevationDeg >= CIVIL_DUSK_ELEVATION_DEG) return 'dusk';
  return 'night';
}
