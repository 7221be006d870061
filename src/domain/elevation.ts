/**
 * Elevation from terrain tiles: where a point falls in a web-mercator tile (which tile, which pixel), and the
 * metres a pixel's colour encodes in the two common encodings. Pure.
 */
import { MERCATOR_MAX_LAT } from './tile-area.ts';

export type TerrainEncoding = 'terrarium' | 'mapbox';

/**
 * The elevation in metres a terrain pixel encodes: terrarium (Mapzen, AWS Terrain Tiles)
 * `R·256 + G + B/256 − 32768`; mapbox (Terrain-RGB) `−10000 + (R·65536 + G·256 + B) · 0.1`.
 */
export function decodeElevation(encoding: TerrainEncoding, r: number, g: number, b: number): number {
  return encoding === 'mapbox' ? -10000 + (r * 65536 + g * 256 + b) * 0.1 : r * 256 + g + b / 256 - 32768;
}

/** A point's tile (z/x/y, XYZ, y from the north) and its pixel in that tile (0 … size−1 from the top left). */
export interface TilePixel {
  z: number;
  x: number;
  y: number;
  px: number;
  py: number;
}

/** Where `lat`, `lon` falls at zoom `z` in tiles of `size` pixels; latitudes beyond web mercator are clamped. */
export function tilePixel(lat: number, lon: number, z: number, size = 256): TilePixel {
  const n = 2 ** z;
  const clamped = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  const fx = ((wrapped + 180) / 360) * n;
  const fy = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n;
  const x = Math.min(n - 1, Math.max(0, Math.floor(fx)));
  const y = Math.min(n - 1, Math.max(0, Math.floor(fy)));
  const pixel = (f: number, t: number) => Math.min(size - 1, Math.max(0, Math.floor((f - t) * size)));
  return { z, x, y, px: pixel(fx, x), py: pixel(fy, y) };
}

/** Elevations as the console shows them: whole metres. */
export function formatElevation(metres: number): string {
  return `${Math.round(metres).toLocaleString('en-US')} m`;
}
