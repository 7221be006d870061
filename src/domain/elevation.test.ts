import { describe, expect, it } from 'vitest';
import { decodeElevation, formatElevation, tilePixel } from './elevation.ts';
import { latToTileY, lonToTileX } from './tile-area.ts';

describe('elevation from terrain tiles', () => {
  it('decodes terrarium pixels (R·256 + G + B/256 − 32768)', () => {
    // The Terrarium format's documentation (tilezen/joerd, docs/formats.md): sea level is R=128, G=0, B=0.
    expect(decodeElevation('terrarium', 128, 0, 0)).toBe(0);
    // 8848 m + 32768 = 41616 = 162·256 + 144; half a metre in the blue channel.
    expect(decodeElevation('terrarium', 162, 144, 128)).toBe(8848.5);
    expect(decodeElevation('terrarium', 127, 246, 0)).toBe(-10);
    expect(decodeElevation('terrarium', 0, 0, 0)).toBe(-32768);
  });

  it('decodes mapbox Terrain-RGB pixels (−10000 + (R·65536 + G·256 + B)·0.1)', () => {
    // Sea level: 100 000 tenths of a metre above −10 000 m = 1·65536 + 134·256 + 160.
    expect(decodeElevation('mapbox', 1, 134, 160)).toBeCloseTo(0, 6);
    expect(decodeElevation('mapbox', 0, 0, 0)).toBe(-10000);
    // 1234.5 m: (1234.5 + 10000)·10 = 112 345 = 1·65536 + 182·256 + 217.
    expect(decodeElevation('mapbox', 1, 182, 217)).toBeCloseTo(1234.5, 6);
  });

  it('finds the tile and the pixel under a point', () => {
    expect(tilePixel(0, 0, 0)).toEqual({ z: 0, x: 0, y: 0, px: 128, py: 128 });
    expect(tilePixel(85.06, -180, 0)).toEqual({ z: 0, x: 0, y: 0, px: 0, py: 0 });
    expect(tilePixel(-89, 179.9999, 0)).toEqual({ z: 0, x: 0, y: 0, px: 255, py: 255 });
    // Zürich at zoom 13: the OSM wiki's tile 4290/2868, as the tile arithmetic of the extracts says.
    const p = tilePixel(47.3769, 8.5417, 13);
    expect([p.x, p.y]).toEqual([4290, 2868]);
    expect([p.x, p.y]).toEqual([lonToTileX(8.5417, 13), latToTileY(47.3769, 13)]);
    expect(p.px).toBeGreaterThanOrEqual(0);
    expect(p.px).toBeLessThan(256);
    // Half a tile east is 128 pixels further; a 512-pixel tile has twice the pixels.
    const east = tilePixel(47.3769, 8.5417 + 360 / 2 ** 13 / 2, 13);
    expect(Math.abs((east.x - p.x) * 256 + east.px - p.px - 128)).toBeLessThanOrEqual(1);
    expect(tilePixel(0, 0, 0, 512)).toMatchObject({ px: 256, py: 256 });
    // Longitudes beyond ±180 wrap.
    expect(tilePixel(47.3769, 8.5417 + 360, 13)).toEqual(p);
  });

  it('shows whole metres', () => {
    expect(formatElevation(1234.5)).toBe('1,235 m');
    expect(formatElevation(-3.2)).toBe('-3 m');
  });
});
