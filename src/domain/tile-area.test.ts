import { tileIdToZxy, zxyToTileId } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import {
  bboxAround,
  centerZoom,
  intersectBbox,
  latToTileY,
  lonToTileX,
  splitAntimeridian,
  tileCount,
  tileIdsIn,
  tileInBbox,
  tileRange,
  tilesToKeep,
} from './tile-area.ts';

const VALLEY = { west: 8.5, south: 47.35, east: 8.6, north: 47.45 };

describe('tiles of an area', () => {
  it('places points in the tiles of the slippy-map scheme', () => {
    // The OSM wiki's worked example: Zürich (47.3769, 8.5417) at zoom 13 is tile 4290/2868.
    expect([lonToTileX(8.5417, 13), latToTileY(47.3769, 13)]).toEqual([4290, 2868]);
    expect([lonToTileX(-180, 3), lonToTileX(180, 3), latToTileY(89, 3), latToTileY(-89, 3)]).toEqual([
      0, 7, 0, 7,
    ]);
  });

  it('covers a box with ranges whose count matches the ids, ascending and unique', () => {
    const r = tileRange(VALLEY, 12);
    expect(r.minX).toBeLessThanOrEqual(r.maxX);
    expect(r.minY).toBeLessThanOrEqual(r.maxY); // y grows southwards
    const ids = tileIdsIn(VALLEY, 0, 12);
    expect(ids.length).toBe(tileCount(VALLEY, 0, 12));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    for (const id of ids) {
      const [z, x, y] = tileIdToZxy(id);
      expect(tileInBbox(VALLEY, z, x, y)).toBe(true);
      expect(zxyToTileId(z, x, y)).toBe(id);
    }
  });

  it('splits a box across the antimeridian into its two parts, and leaves others whole', () => {
    expect(splitAntimeridian(VALLEY)).toEqual([VALLEY]);
    const fiji = { west: 177, south: -19, east: -179, north: -16 };
    expect(splitAntimeridian(fiji)).toEqual([
      { west: 177, south: -19, east: 180, north: -16 },
      { west: -180, south: -19, east: -179, north: -16 },
    ]);
    // At zoom 4 the parts are the last column and the first: 16 tiles wide, one each.
    const [east, west] = splitAntimeridian(fiji).map((b) => tileRange(b, 4));
    expect([east?.minX, east?.maxX, west?.minX, west?.maxX]).toEqual([15, 15, 0, 0]);
  });

  it('intersects boxes, or says they do not meet', () => {
    expect(intersectBbox(VALLEY, { west: 8.55, south: 47, east: 9, north: 47.4 })).toEqual({
      west: 8.55,
      south: 47.35,
      east: 8.6,
      north: 47.4,
    });
    expect(intersectBbox(VALLEY, { west: 9, south: 47, east: 10, north: 48 })).toBeNull();
  });

  it('opens a map where the box spans one to two tiles, within the zooms there are', () => {
    expect(centerZoom(VALLEY, 0, 15)).toBe(12); // 0.1° wide, a zoom 12 tile is 0.088°
    expect(centerZoom(VALLEY, 0, 10)).toBe(10);
    expect(centerZoom({ west: -180, south: -85, east: 180, north: 85 }, 2, 15)).toBe(2);
  });

  it('keeps the deepest zooms a phone can afford, and boxes a base or a polygon', () => {
    const all = tileCount(VALLEY, 0, 15);
    expect(tilesToKeep(VALLEY, 0, 15, all).maxZoom).toBe(15);
    const fewer = tilesToKeep(VALLEY, 0, 15, all - 1);
    expect(fewer.maxZoom).toBe(14);
    expect(fewer.tiles.length).toBe(tileCount(VALLEY, 0, 14));
    expect(tilesToKeep(VALLEY, 5, 15, 0)).toEqual({ tiles: [], maxZoom: 4 });
    const around = bboxAround([{ lat: 47.4, lon: 8.55 }], 0.05);
    for (const key of ['west', 'south', 'east', 'north'] as const)
      expect(around?.[key]).toBeCloseTo(VALLEY[key], 9);
    expect(bboxAround([])).toBeNull();
  });
});
