/**
 * Small PMTiles v3 archives made in the tests: a vector basemap (geojson-vt cut into tiles, encoded as Mapbox
 * Vector Tiles by vt-pbf, in the layers and kinds of the Protomaps basemap schema) and a terrain archive of
 * terrarium-encoded PNG tiles of a hill. Written with Howl's PMTiles writer and read back with the `pmtiles`
 * package in the tests, which checks the writer against the reference reader.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import { Compression, TileType, zxyToTileId } from 'pmtiles';
import { fromGeojsonVt } from 'vt-pbf';
import { type Bbox, tileRange } from '../../src/domain/tile-area.ts';
import {
  buildDirectories,
  encodeHeader,
  entriesOf,
  gzip,
  HEADER_BYTES,
} from '../../src/formats/pmtiles-write.ts';

export interface SourceTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveSpec {
  bounds: Bbox;
  tileType: TileType;
  tileCompression: Compression;
  metadata: Record<string, unknown>;
}

/** A PMTiles v3 archive of `tiles`: deduplicated by content, clustered, leaf directories when needed. */
export function writeArchive(tiles: readonly SourceTile[], spec: ArchiveSpec): Uint8Array {
  const sorted = tiles
    .map((t) => ({ ...t, tileId: zxyToTileId(t.z, t.x, t.y) }))
    .sort((a, b) => a.tileId - b.tileId);
  const byHash = new Map<string, { offset: number; length: number }>();
  const chunks: Uint8Array[] = [];
  let dataLength = 0;
  const placed = sorted.map((t) => {
    const hash = createHash('sha1').update(t.data).digest('hex');
    let c = byHash.get(hash);
    if (!c) {
      c = { offset: dataLength, length: t.data.length };
      byHash.set(hash, c);
      chunks.push(t.data);
      dataLength += t.data.length;
    }
    return { tileId: t.tileId, ...c };
  });
  const entries = entriesOf(placed);
  const dirs = buildDirectories(entries);
  const metadata = gzip(new TextEncoder().encode(JSON.stringify(spec.metadata)));
  const zooms = sorted.map((t) => t.z);
  const minZoom = Math.min(...zooms);
  const maxZoom = Math.max(...zooms);
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + dirs.root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset + dirs.leaves.length;
  const b = spec.bounds;
  const header = encodeHeader({
    rootDirectoryOffset: rootOffset,
    rootDirectoryLength: dirs.root.length,
    jsonMetadataOffset: metadataOffset,
    jsonMetadataLength: metadata.length,
    leafDirectoryOffset: leafOffset,
    leafDirectoryLength: dirs.leaves.length,
    tileDataOffset: dataOffset,
    tileDataLength: dataLength,
    numAddressedTiles: sorted.length,
    numTileEntries: entries.length,
    numTileContents: chunks.length,
    clustered: true,
    internalCompression: Compression.Gzip,
    tileCompression: spec.tileCompression,
    tileType: spec.tileType,
    minZoom,
    maxZoom,
    minLon: b.west,
    minLat: b.south,
    maxLon: b.east,
    maxLat: b.north,
    centerZoom: minZoom,
    centerLon: (b.west + b.east) / 2,
    centerLat: (b.south + b.north) / 2,
  });
  const out = new Uint8Array(dataOffset + dataLength);
  out.set(header, 0);
  out.set(dirs.root, rootOffset);
  out.set(metadata, metadataOffset);
  out.set(dirs.leaves, leafOffset);
  let at = dataOffset;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Every tile z/x/y covering `bounds` from `minZoom` to `maxZoom`. */
export function* tilesOver(bounds: Bbox, minZoom: number, maxZoom: number) {
  for (let z = minZoom; z <= maxZoom; z++) {
    const r = tileRange(bounds, z);
    for (let x = r.minX; x <= r.maxX; x++) for (let y = r.minY; y <= r.maxY; y++) yield { z, x, y };
  }
}

type Feature = GeoJSON.Feature<GeoJSON.Geometry, Record<string, unknown>>;
const feature = (geometry: GeoJSON.Geometry, properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  geometry,
  properties,
});
const box = (w: number, s: number, e: number, n: number): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

/** Where the test map's named places and trails are: a valley town, a lake, trails on a grid. */
export const VECTOR_BOUNDS: Bbox = { west: 8.0, south: 47.0, east: 9.5, north: 48.0 };
export const TOWN = { name: 'Wolfsgrund', lon: 8.55, lat: 47.4 };
export const TRAIL_NAME = 'Ridge Trail';

/** The vector basemap's layers, in the Protomaps schema (`earth`, `water`, `roads`, `places`). */
export function vectorLayers(bounds: Bbox): Record<string, Feature[]> {
  const trails: Feature[] = [];
  for (let lon = bounds.west + 0.05; lon < bounds.east; lon += 0.1) {
    trails.push(
      feature(
        {
          type: 'LineString',
          coordinates: [
            [lon, bounds.south],
            [lon + 0.03, (bounds.south + bounds.north) / 2],
            [lon, bounds.north],
          ],
        },
        { kind: 'path', kind_detail: 'path', name: TRAIL_NAME, min_zoom: 12 },
      ),
    );
  }
  return {
    earth: [feature(box(bounds.west, bounds.south, bounds.east, bounds.north), { kind: 'earth' })],
    water: [feature(box(8.6, 47.32, 8.68, 47.37), { kind: 'lake', name: 'Greywater' })],
    roads: [
      ...trails,
      feature(
        {
          type: 'LineString',
          coordinates: [
            [bounds.west, 47.4],
            [bounds.east, 47.42],
          ],
        },
        { kind: 'major_road', kind_detail: 'secondary', name: 'Valley Road', min_zoom: 8, ref: 'V4' },
      ),
    ],
    places: [
      feature(
        { type: 'Point', coordinates: [TOWN.lon, TOWN.lat] },
        { kind: 'locality', kind_detail: 'town', name: TOWN.name, min_zoom: 8, population_rank: 9 },
      ),
    ],
  };
}

/** A gzip-compressed Protomaps-schema vector archive over `bounds`, zooms `minZoom`..`maxZoom`. */
export function vectorArchive(bounds = VECTOR_BOUNDS, minZoom = 0, maxZoom = 14): Uint8Array {
  const layers = vectorLayers(bounds);
  const indexes = Object.entries(layers).map(
    ([name, features]) =>
      [name, new GeoJSONVT({ type: 'FeatureCollection', features }, { maxZoom, indexMaxZoom: 5 })] as const,
  );
  const tiles: SourceTile[] = [];
  for (const { z, x, y } of tilesOver(bounds, minZoom, maxZoom)) {
    const parts: Record<string, LegacyTile> = {};
    for (const [name, index] of indexes) {
      const tile = index.getTile(z, x, y);
      if (tile && tile.features.length > 0) parts[name] = tile;
    }
    if (Object.keys(parts).length === 0) continue;
    tiles.push({ z, x, y, data: gzipSync(fromGeojsonVt(parts, { version: 2 })) });
  }
  return writeArchive(tiles, {
    bounds,
    tileType: TileType.Mvt,
    tileCompression: Compression.Gzip,
    metadata: {
      name: 'howl test basemap',
      attribution: 'test data',
      vector_layers: Object.keys(layers).map((id) => ({ id, fields: {} })),
    },
  });
}

export const TERRAIN_BOUNDS: Bbox = { west: 8.3, south: 47.2, east: 8.8, north: 47.6 };
export const HILL = { lon: 8.55, lat: 47.45, topM: 1400, baseM: 400 };

/** The hill's elevation (m) at a point: a smooth bump over a plain. */
export function elevationAt(lon: number, lat: number): number {
  const dx = (lon - HILL.lon) / 0.08;
  const dy = (lat - HILL.lat) / 0.06;
  return HILL.baseM + (HILL.topM - HILL.baseM) * Math.exp(-(dx * dx + dy * dy));
}

/** A terrarium PNG tile: elevation = R·256 + G + B/256 − 32768. */
function terrariumTile(z: number, x: number, y: number, size = 256): Uint8Array {
  const pixels = new Uint8Array(size * size * 3);
  const n = 2 ** z;
  for (let py = 0; py < size; py++) {
    const merc = Math.PI * (1 - (2 * (y + (py + 0.5) / size)) / n);
    const lat = (Math.atan(Math.sinh(merc)) * 180) / Math.PI;
    for (let px = 0; px < size; px++) {
      const lon = ((x + (px + 0.5) / size) / n) * 360 - 180;
      const v = elevationAt(lon, lat) + 32768;
      const i = (py * size + px) * 3;
      pixels[i] = Math.floor(v / 256);
      pixels[i + 1] = Math.floor(v) % 256;
      pixels[i + 2] = Math.floor((v - Math.floor(v)) * 256);
    }
  }
  return encodePng({ width: size, height: size, data: pixels, channels: 3, depth: 8 });
}

/** A terrarium-encoded elevation archive (PNG tiles, no compression) over `bounds`. */
export function terrainArchive(bounds = TERRAIN_BOUNDS, minZoom = 0, maxZoom = 12): Uint8Array {
  const tiles = [...tilesOver(bounds, minZoom, maxZoom)].map((t) => ({
    ...t,
    data: terrariumTile(t.z, t.x, t.y),
  }));
  return writeArchive(tiles, {
    bounds,
    tileType: TileType.Png,
    tileCompression: Compression.None,
    metadata: { name: 'howl test terrain', encoding: 'terrarium', attribution: 'test data' },
  });
}

/**
 * An archive of many distinct small tiles (each its own z/x/y written in `bytesPerTile` bytes), big enough
 * that its directory needs leaves: what a real region at zoom 15 looks like to the extract.
 */
export function manyTilesArchive(
  bounds: Bbox,
  minZoom: number,
  maxZoom: number,
  bytesPerTile = 400,
): Uint8Array {
  const tiles: SourceTile[] = [];
  for (const { z, x, y } of tilesOver(bounds, minZoom, maxZoom)) {
    // Lengths vary as real tiles' do (which is what makes directories large): 1/2 to 3/2 of the mean.
    const data = new Uint8Array(
      Math.round(bytesPerTile * (0.5 + ((x * 7919 + y * 104729 + z) % 1000) / 1000)),
    );
    data.set(new TextEncoder().encode(`${z}/${x}/${y}`));
    tiles.push({ z, x, y, data });
  }
  return writeArchive(tiles, {
    bounds,
    tileType: TileType.Png,
    tileCompression: Compression.None,
    metadata: { name: 'many tiles' },
  });
}
