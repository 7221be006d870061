/**
 * Writing PMTiles v3 archives: the 127-byte header, and the root and leaf directories (varint columns,
 * gzip-compressed), after the specification (github.com/protomaps/PMTiles, spec/v3/spec.md) and the
 * reference writer's directory layout (go-pmtiles `optimizeDirectories`): everything in the root while it
 * fits in the first 16 KiB, else leaves of a few thousand entries each. Reading is the `pmtiles` package's.
 */
import { gzipSync } from 'node:zlib';
import type { Compression, Entry, TileType } from 'pmtiles';

export const HEADER_BYTES = 127;
/** The header and the root directory must fit in the first 16 KiB, which readers fetch at once. */
export const ROOT_LIMIT_BYTES = 16_384 - HEADER_BYTES;

export interface ArchiveHeader {
  rootDirectoryOffset: number;
  rootDirectoryLength: number;
  jsonMetadataOffset: number;
  jsonMetadataLength: number;
  leafDirectoryOffset: number;
  leafDirectoryLength: number;
  tileDataOffset: number;
  tileDataLength: number;
  numAddressedTiles: number;
  numTileEntries: number;
  numTileContents: number;
  clustered: boolean;
  internalCompression: Compression;
  tileCompression: Compression;
  tileType: TileType;
  minZoom: number;
  maxZoom: number;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  centerZoom: number;
  centerLon: number;
  centerLat: number;
}

/** The fixed-size header: magic, version 3, little-endian offsets and counts, E7 coordinates. */
export function encodeHeader(h: ArchiveHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('PMTiles'), 0);
  bytes[7] = 3;
  const u64 = [
    h.rootDirectoryOffset,
    h.rootDirectoryLength,
    h.jsonMetadataOffset,
    h.jsonMetadataLength,
    h.leafDirectoryOffset,
    h.leafDirectoryLength,
    h.tileDataOffset,
    h.tileDataLength,
    h.numAddressedTiles,
    h.numTileEntries,
    h.numTileContents,
  ];
  u64.forEach((v, i) => {
    view.setBigUint64(8 + i * 8, BigInt(v), true);
  });
  view.setUint8(96, h.clustered ? 1 : 0);
  view.setUint8(97, h.internalCompression);
  view.setUint8(98, h.tileCompression);
  view.setUint8(99, h.tileType);
  view.setUint8(100, h.minZoom);
  view.setUint8(101, h.maxZoom);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  view.setInt32(102, e7(h.minLon), true);
  view.setInt32(106, e7(h.minLat), true);
  view.setInt32(110, e7(h.maxLon), true);
  view.setInt32(114, e7(h.maxLat), true);
  view.setUint8(118, h.centerZoom);
  view.setInt32(119, e7(h.centerLon), true);
  view.setInt32(123, e7(h.centerLat), true);
  return bytes;
}

class VarintWriter {
  private buf = new Uint8Array(1024);
  private pos = 0;

  write(value: number): void {
    if (this.pos + 10 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    // Tile ids pass 2^32 from zoom 16: division, not bit operators, keeps them exact up to 2^53.
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * A directory, uncompressed: the number of entries, then columns of tile id deltas, run lengths, lengths
 * and offsets (0 for "right after the previous entry's data", else offset + 1). Entries sorted by tile id.
 */
export function serializeDirectory(entries: readonly Entry[]): Uint8Array {
  const w = new VarintWriter();
  w.write(entries.length);
  let last = 0;
  for (const e of entries) {
    w.write(e.tileId - last);
    last = e.tileId;
  }
  for (const e of entries) w.write(e.runLength);
  for (const e of entries) w.write(e.length);
  entries.forEach((e, i) => {
    const prev = entries[i - 1];
    w.write(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  });
  return w.bytes();
}

export function gzip(data: Uint8Array): Uint8Array {
  return gzipSync(data);
}

export interface Directories {
  root: Uint8Array;
  leaves: Uint8Array;
  leafCount: number;
}

/**
 * The root directory, and the leaf directories laid out one after the other (root entries point at them
 * with run length 0 and offsets into the leaf section), all gzip-compressed.
 */
export function buildDirectories(entries: readonly Entry[]): Directories {
  const root = gzip(serializeDirectory(entries));
  if (root.length <= ROOT_LIMIT_BYTES) return { root, leaves: new Uint8Array(0), leafCount: 0 };
  for (let leafSize = 4096; ; leafSize = Math.ceil(leafSize * 1.2)) {
    const rootEntries: Entry[] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const chunk = entries.slice(i, i + leafSize);
      const leaf = gzip(serializeDirectory(chunk));
      rootEntries.push({ tileId: (chunk[0] as Entry).tileId, offset, length: leaf.length, runLength: 0 });
      parts.push(leaf);
      offset += leaf.length;
    }
    const rootBytes = gzip(serializeDirectory(rootEntries));
    if (rootBytes.length <= ROOT_LIMIT_BYTES) {
      const leaves = new Uint8Array(offset);
      let at = 0;
      for (const p of parts) {
        leaves.set(p, at);
        at += p.length;
      }
      return { root: rootBytes, leaves, leafCount: parts.length };
    }
  }
}

/**
 * Directory entries for tiles in id order, each pointing at its content's offset in the tile data section:
 * consecutive ids with the same content become one entry with a run length (an ocean, a blank terrain).
 */
export function entriesOf(tiles: readonly { tileId: number; offset: number; length: number }[]): Entry[] {
  const out: Entry[] = [];
  for (const t of tiles) {
    const prev = out[out.length - 1];
    if (prev && prev.offset === t.offset && prev.tileId + prev.runLength === t.tileId) {
      prev.runLength++;
      continue;
    }
    out.push({ tileId: t.tileId, offset: t.offset, length: t.length, runLength: 1 });
  }
  return out;
}
