import { mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Compression, PMTiles, TileType, tileTypeExt } from 'pmtiles';
import { HowlError, notFound } from '../../contract/errors.ts';
import { AreaName, type TileAreaView, TileKind } from '../../contract/tiles.ts';
import { LocalFileSource } from './tile-source.ts';

export interface TileBody {
  data: Uint8Array;
  /** The HTTP content type and encoding the bytes are stored with. */
  type: string;
  encoding?: 'gzip' | 'br' | 'zstd';
}

const TYPES: Partial<Record<TileType, string>> = {
  [TileType.Mvt]: 'application/vnd.mapbox-vector-tile',
  [TileType.Png]: 'image/png',
  [TileType.Jpeg]: 'image/jpeg',
  [TileType.Webp]: 'image/webp',
  [TileType.Avif]: 'image/avif',
};
const ENCODINGS: Partial<Record<Compression, TileBody['encoding']>> = {
  [Compression.Gzip]: 'gzip',
  [Compression.Brotli]: 'br',
  [Compression.Zstd]: 'zstd',
};

interface Opened {
  archive: PMTiles;
  mtimeMs: number;
}

/**
 * The prepared map areas: PMTiles archives in `<data dir>/tiles/`, written by `howl tiles extract`. Listed,
 * deleted, and read tile by tile for the web app (which then needs no range requests and caches by URL).
 */
export class TileAreas {
  private readonly opened = new Map<string, Opened>();

  constructor(readonly dir: string) {}

  /** The folder, created when missing. */
  ensureDir(): string {
    mkdirSync(this.dir, { recursive: true });
    return this.dir;
  }

  fileOf(name: string): string {
    const parsed = AreaName.safeParse(name);
    if (!parsed.success)
      throw new HowlError(400, 'invalid_input', `name: ${parsed.error.issues[0]?.message}`, {
        field: 'name',
      });
    return join(this.dir, `${parsed.data}.pmtiles`);
  }

  private async open(name: string): Promise<PMTiles> {
    const file = this.fileOf(name);
    const info = await stat(file).catch(() => null);
    if (!info) throw notFound(`tile area "${name}"`);
    const known = this.opened.get(name);
    if (known && known.mtimeMs === info.mtimeMs) return known.archive;
    const archive = new PMTiles(new LocalFileSource(file));
    this.opened.set(name, { archive, mtimeMs: info.mtimeMs });
    return archive;
  }

  async describe(name: string): Promise<TileAreaView> {
    const archive = await this.open(name);
    const h = await archive.getHeader();
    const meta = ((await archive.getMetadata()) ?? {}) as { encoding?: unknown };
    const encoding = meta.encoding === 'terrarium' || meta.encoding === 'mapbox' ? meta.encoding : undefined;
    const kind = TileKind.parse(h.tileType === TileType.Mvt ? 'vector' : encoding ? 'terrain' : 'raster');
    const { size } = await stat(this.fileOf(name));
    const ext = tileTypeExt(h.tileType) || '.bin';
    return {
      name,
      kind,
      bytes: size,
      minZoom: h.minZoom,
      maxZoom: h.maxZoom,
      bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
      center: [h.centerLon, h.centerLat, h.centerZoom],
      tiles: h.numAddressedTiles,
      url: `/tiles/${name}/{z}/{x}/{y}${ext}`,
      ...(encoding ? { encoding } : {}),
    };
  }

  /** Every readable area, by name; a file that is not a PMTiles archive is skipped. */
  async list(): Promise<TileAreaView[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const areas: TileAreaView[] = [];
    for (const file of names.sort()) {
      const m = /^(.+)\.pmtiles$/.exec(file);
      if (!m || !AreaName.safeParse(m[1]).success) continue;
      const area = await this.describe(m[1] as string).catch(() => null);
      if (area) areas.push(area);
    }
    return areas;
  }

  async delete(name: string): Promise<void> {
    const file = this.fileOf(name);
    if (!(await stat(file).catch(() => null))) throw notFound(`tile area "${name}"`);
    this.opened.delete(name);
    await rm(file);
  }

  /** One tile's stored bytes, or null when the archive has none there. */
  async tile(name: string, z: number, x: number, y: number): Promise<TileBody | null> {
    const archive = await this.open(name);
    const h = await archive.getHeader();
    if (z < h.minZoom || z > h.maxZoom) return null;
    const res = await archive.getZxy(z, x, y);
    if (!res) return null;
    const encoding = ENCODINGS[h.tileCompression];
    return {
      data: new Uint8Array(res.data),
      type: TYPES[h.tileType] ?? 'application/octet-stream',
      ...(encoding ? { encoding } : {}),
    };
  }
}
