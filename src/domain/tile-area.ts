/**
 * The tiles of a map area: which web-mercator tiles (z/x/y, XYZ scheme, y down from the north) cover a box
 * of longitude and latitude at each zoom, and what to write in an archive's header for it. Pure.
 */
import { zxyToTileId } from 'pmtiles';

/** A box in degrees, west < east, south < north (one across the antimeridian is split: `splitAntimeridian`). */
export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface TileRange {
  z: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** The web-mercator projection stops at ±85.0511° (a square world). */
export const MERCATOR_MAX_LAT = 85.05112878;

/** Tile column of a longitude at zoom `z`, clamped to the world. */
export function lonToTileX(lon: number, z: number): number {
  const n = 2 ** z;
  return Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
}

/** Tile row (from the north) of a latitude at zoom `z`, clamped to the world. */
export function latToTileY(lat: number, z: number): number {
  const n = 2 ** z;
  const clamped = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  const y = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n;
  return Math.min(n - 1, Math.max(0, Math.floor(y)));
}

/** The inclusive range of tiles covering `box` at zoom `z`. */
export function tileRange(box: Bbox, z: number): TileRange {
  return {
    z,
    minX: lonToTileX(box.west, z),
    maxX: lonToTileX(box.east, z),
    minY: latToTileY(box.north, z),
    maxY: latToTileY(box.south, z),
  };
}

/** How many tiles cover `box` from `minZoom` to `maxZoom`, both included. */
export function tileCount(box: Bbox, minZoom: number, maxZoom: number): number {
  let count = 0;
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(box, z);
    count += (r.maxX - r.minX + 1) * (r.maxY - r.minY + 1);
  }
  return count;
}

/** The PMTiles (Hilbert) ids of every tile covering `box` from `minZoom` to `maxZoom`, ascending. */
export function tileIdsIn(box: Bbox, minZoom: number, maxZoom: number): number[] {
  const ids: number[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(box, z);
    for (let x = r.minX; x <= r.maxX; x++)
      for (let y = r.minY; y <= r.maxY; y++) ids.push(zxyToTileId(z, x, y));
  }
  return ids.sort((a, b) => a - b);
}

/** Whether tile z/x/y lies (at least partly) in `box`. */
export function tileInBbox(box: Bbox, z: number, x: number, y: number): boolean {
  const r = tileRange(box, z);
  return x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY;
}

/**
 * A box given with west greater than east crosses the antimeridian: its two parts, the one ending at 180° and
 * the one starting at −180°. Any other box is its own only part.
 */
export function splitAntimeridian(box: Bbox): Bbox[] {
  if (box.west <= box.east) return [box];
  return [
    { ...box, east: 180 },
    { ...box, west: -180 },
  ];
}

/** The part of `a` inside `b`, or null when they do not meet. */
export function intersectBbox(a: Bbox, b: Bbox): Bbox | null {
  const out = {
    west: Math.max(a.west, b.west),
    south: Math.max(a.south, b.south),
    east: Math.min(a.east, b.east),
    north: Math.min(a.north, b.north),
  };
  return out.west < out.east && out.south < out.north ? out : null;
}

/** The zoom at which `box` spans one to two tiles across, within the archive's zooms: where a map opens. */
export function centerZoom(box: Bbox, minZoom: number, maxZoom: number): number {
  const span = Math.max(box.east - box.west, 1e-9);
  const z = Math.floor(Math.log2(360 / span)) + 1;
  return Math.max(minZoom, Math.min(maxZoom, z));
}

/** The box around a polygon's points, or around one point by `marginDeg` each way; null for no points. */
export function bboxAround(points: readonly { lat: number; lon: number }[], marginDeg = 0): Bbox | null {
  if (points.length === 0) return null;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  return {
    west: Math.max(-180, Math.min(...lons) - marginDeg),
    south: Math.max(-MERCATOR_MAX_LAT, Math.min(...lats) - marginDeg),
    east: Math.min(180, Math.max(...lons) + marginDeg),
    north: Math.min(MERCATOR_MAX_LAT, Math.max(...lats) + marginDeg),
  };
}

/**
 * Every tile z/x/y covering `box` from `minZoom` up, deepest zoom first dropped until at most `limit` tiles
 * remain: what a phone keeps of an area (the deepest zoom it can afford). Returns the tiles and the zoom
 * reached (below `minZoom` when even one zoom is too many).
 */
export function tilesToKeep(
  box: Bbox,
  minZoom: number,
  maxZoom: number,
  limit: number,
): { tiles: { z: number; x: number; y: number }[]; maxZoom: number } {
  let top = maxZoom;
  while (top >= minZoom && tileCount(box, minZoom, top) > limit) top--;
  const tiles: { z: number; x: number; y: number }[] = [];
  for (let z = minZoom; z <= top; z++) {
    const r = tileRange(box, z);
    for (let x = r.minX; x <= r.maxX; x++) for (let y = r.minY; y <= r.maxY; y++) tiles.push({ z, x, y });
  }
  return { tiles, maxZoom: top };
}
