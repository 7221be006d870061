import { mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PMTiles, TileType, tileTypeExt } from 'pmtiles';
import { HowlError, notFound } from '../../contract/errors.ts';
import { AreaName, type TileAreaView, TileKind } from '../../contract/tiles.ts';
import { tileInBbox } from '../../domain/tile-area.ts';
import { LocalFileSource } from './tile-source.ts';

export interface TileBody {
  data: Uint8Array;
  /** The HTTP content type; the bytes are uncompressed (the reader inflates what the archive stored). */
  type: string;
}

const TYPES: Partial<Record<TileType, string>> = {
  [TileType.Mvt]: 'application/vnd.mapbox-vector-tile',
  [TileType.Png]: 'image/png',
  [TileType.Jpeg]: 'image/jpeg',
  [TileType.Webp]: 'image/webp',
  [TileType.Avif]: 'image/avif',
};

const LIST_TTL_MS = 5_000;

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
  private listed: { atMs: number; areas: Promise<TileAreaView[]> } | null = null;

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
    const areaNames = names.flatMap((file) => /^(.+)\.pmtiles$/.exec(file)?.slice(1, 2) ?? []);
    for (const name of areaNames.sort()) {
      if (!AreaName.safeParse(name).success) continue;
      const area = await this.describe(name).catch(() => null);
      if (area) areas.push(area);
    }
    return areas;
  }

  async delete(name: string): Promise<void> {
    const file = this.fileOf(name);
    if (!(await stat(file).catch(() => null))) throw notFound(`tile area "${name}"`);
    this.opened.delete(name);
    await rm(file);
    this.changed();
  }

  /** An area was added or removed (here, or by the CLI beside the server, seen within LIST_TTL_MS). */
  changed(): void {
    this.listed = null;
  }

  /** The list, read again at most every LIST_TTL_MS: every tile request of the joined map asks for it. */
  private current(): Promise<TileAreaView[]> {
    const now = Date.now();
    if (!this.listed || now - this.listed.atMs > LIST_TTL_MS) this.listed = { atMs: now, areas: this.list() };
    return this.listed.areas;
  }

  /** A tile of the first area of that kind that has one: several areas drawn as one map. */
  async joinedTile(kind: 'vector' | 'terrain', z: number, x: number, y: number): Promise<TileBody | null> {
    for (const a of await this.current()) {
      if (a.kind !== kind || z < a.minZoom || z > a.maxZoom) continue;
      const [west, south, east, north] = a.bounds;
      if (!tileInBbox({ west, south, east, north }, z, x, y)) continue;
      const tile = await this.tile(a.name, z, x, y).catch(() => null);
      if (tile) return tile;
    }
    return null;
  }

  /** The zooms and bounds of the joined map of one kind, or null when there is no such area. */
  async joined(kind: 'vector' | 'terrain'): Promise<Omit<TileAreaView, 'name' | 'url'> | null> {
    const areas = (await this.current()).filter((a) => a.kind === kind);
    const first = areas[0];
    if (!first) return null;
    const largest = areas.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    return {
      kind,
      bytes: areas.reduce((n, a) => n + a.bytes, 0),
      tiles: areas.reduce((n, a) => n + a.tiles, 0),
      minZoom: Math.min(...areas.map((a) => a.minZoom)),
      maxZoom: Math.max(...areas.map((a) => a.maxZoom)),
      bounds: [
        Math.min(...areas.map((a) => a.bounds[0])),
        Math.min(...areas.map((a) => a.bounds[1])),
        Math.max(...areas.map((a) => a.bounds[2])),
        Math.max(...areas.map((a) => a.bounds[3])),
      ],
      center: largest.center,
      ...(first.encoding ? { encoding: first.encoding } : {}),
    };
  }

  /** One tile's stored bytes, or null when the archive has none there. */
  async tile(name: string, z: number, x: number, y: number): Promise<TileBody | null> {
    const archive = await this.open(name);
    const h = await archive.getHeader();
    if (z < h.minZoom || z > h.maxZoom) return null;
    const res = await archive.getZxy(z, x, y);
    if (!res) return null;
    return { data: new Uint8Array(res.data), type: TYPES[h.tileType] ?? 'application/octet-stream' };
  }
}
