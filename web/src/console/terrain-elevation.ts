import { useEffect, useState } from 'react';
import { decodeElevation, type TerrainEncoding, tilePixel } from '../../../src/domain/elevation.ts';
import type { TileJson } from './topo-style.ts';

/** Decoded terrain tiles kept in memory: a few hundred kB each. */
const KEPT_TILES = 48;

/** Elevations read from the terrain areas the server keeps, one decoded tile at a time, in the browser. */
export class TerrainSampler {
  private readonly tiles = new Map<string, Promise<ImageData | null>>();
  private readonly encoding: TerrainEncoding;

  constructor(private readonly dem: TileJson) {
    this.encoding = dem.encoding ?? 'terrarium';
  }

  /** The elevation in metres at a point, at the deepest zoom kept; null outside the areas or on no tile. */
  async at(lat: number, lon: number): Promise<number | null> {
    const [west, south, east, north] = this.dem.bounds;
    if (lon < west || lon > east || lat < south || lat > north) return null;
    const z = this.dem.maxzoom;
    const { x, y } = tilePixel(lat, lon, z);
    const img = await this.tile(z, x, y);
    if (!img) return null;
    const { px, py } = tilePixel(lat, lon, z, img.width);
    const i = (py * img.width + px) * 4;
    const d = img.data;
    return decodeElevation(this.encoding, d[i] as number, d[i + 1] as number, d[i + 2] as number);
  }

  private tile(z: number, x: number, y: number): Promise<ImageData | null> {
    const key = `${z}/${x}/${y}`;
    const kept = this.tiles.get(key);
    if (kept) return kept;
    const template = new URL(this.dem.tiles[0] as string, location.href).pathname;
    const url = decodeURIComponent(template)
      .replace('{z}', String(z))
      .replace('{x}', String(x))
      .replace('{y}', String(y));
    const loading = fetch(url)
      .then(async (res) => (res.status === 200 ? pixels(await res.blob()) : null))
      .catch(() => null);
    this.tiles.set(key, loading);
    for (const old of this.tiles.keys()) {
      if (this.tiles.size <= KEPT_TILES) break;
      this.tiles.delete(old);
    }
    return loading;
  }
}

/** A tile image's pixels, exactly as stored (no colour management or smoothing, which would change metres). */
async function pixels(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

let sampler: Promise<TerrainSampler | null> | null = null;

/** The sampler of the joined terrain areas, or null when the server keeps none (asked once per page). */
export function terrainSampler(): Promise<TerrainSampler | null> {
  sampler ??= fetch(`/tiles/${encodeURIComponent('@terrain')}/tile.json`)
    .then(async (res) => (res.ok ? new TerrainSampler((await res.json()) as TileJson) : null))
    .catch(() => null);
  return sampler;
}

/** The elevation at a position from the terrain areas, or null (none kept, outside them, or still loading). */
export function useElevation(lat: number | null, lon: number | null): number | null {
  const [metres, setMetres] = useState<number | null>(null);
  useEffect(() => {
    if (lat === null || lon === null) return setMetres(null);
    let cancelled = false;
    terrainSampler()
      .then((s) => s?.at(lat, lon) ?? null)
      .then((m) => !cancelled && setMetres(m));
    return () => {
      cancelled = true;
    };
  }, [lat, lon]);
  return metres;
}
