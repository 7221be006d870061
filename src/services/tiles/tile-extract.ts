import { open, rename, rm } from 'node:fs/promises';
import { Compression, type Entry, type Header, PMTiles, type Source, tileIdToZxy } from 'pmtiles';
import { badRequest, HowlError } from '../../contract/errors.ts';
import {
  type Bbox,
  centerZoom,
  intersectBbox,
  splitAntimeridian,
  tileIdsIn,
} from '../../domain/tile-area.ts';
import {
  type ArchiveHeader,
  buildDirectories,
  encodeHeader,
  entriesOf,
  gzip,
  HEADER_BYTES,
} from '../../formats/pmtiles-write.ts';

export interface ExtractRequest {
  bbox: Bbox;
  /** The deepest zoom to keep (default: the source's). */
  maxZoom?: number;
  /** Written into the metadata when the source does not say how its elevation is encoded. */
  terrainEncoding?: 'terrarium' | 'mapbox';
}

interface Content {
  /** Offset in the source file. */
  src: number;
  length: number;
  /** Offset in the new archive's tile data section. */
  dst: number;
}

/** What an extract will write, known before any tile is fetched. */
export interface ExtractPlan {
  header: ArchiveHeader;
  /** The tiles addressed and the distinct contents among them (the rest are duplicates). */
  tiles: number;
  contents: Content[];
  /** The whole file: header, directories, metadata and tile data. */
  bytes: number;
  layout: { root: Uint8Array; metadata: Uint8Array; leaves: Uint8Array };
}

export interface ExtractProgress {
  contentsDone: number;
  bytesDone: number;
}

const DIRECTORY_CONCURRENCY = 4;
const FETCH_CONCURRENCY = 4;
/** Neighbouring contents closer than this in the source are fetched in one request (gap included). */
const MERGE_GAP_BYTES = 32 * 1024;
const BATCH_MAX_BYTES = 4 * 1024 * 1024;

/** The header of `source`, after checking it is a PMTiles v3 archive at all. */
async function readHeader(source: Source, from: string): Promise<{ archive: PMTiles; header: Header }> {
  const first = new Uint8Array((await source.getBytes(0, HEADER_BYTES)).data);
  const magic = new TextDecoder().decode(first.subarray(0, 7));
  if (first.length < HEADER_BYTES || magic !== 'PMTiles') {
    throw badRequest('from', `${from} is not a PMTiles archive`);
  }
  if (first[7] !== 3)
    throw badRequest('from', `${from} is PMTiles version ${first[7]}; only version 3 is read`);
  const archive = new PMTiles(source);
  return { archive, header: await archive.getHeader() };
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Found {
  tileId: number;
  src: number;
  length: number;
}

/** Every wanted tile that the archive holds, walking only the leaf directories that can hold one. */
async function findTiles(archive: PMTiles, header: Header, wanted: readonly number[]): Promise<Found[]> {
  const found: Found[] = [];
  const pending: { offset: number; length: number }[] = [
    { offset: header.rootDirectoryOffset, length: header.rootDirectoryLength },
  ];
  while (pending.length > 0) {
    const batch = pending.splice(0, DIRECTORY_CONCURRENCY);
    const dirs = await Promise.all(
      batch.map((d) => archive.cache.getDirectory(archive.source, d.offset, d.length, header)),
    );
    for (const entries of dirs) {
      entries.forEach((e: Entry, i) => {
        if (e.runLength > 0) {
          for (let k = lowerBound(wanted, e.tileId); k < wanted.length; k++) {
            const id = wanted[k] as number;
            if (id >= e.tileId + e.runLength) break;
            found.push({ tileId: id, src: header.tileDataOffset + e.offset, length: e.length });
          }
          return;
        }
        const end = entries[i + 1]?.tileId ?? Number.POSITIVE_INFINITY;
        const k = lowerBound(wanted, e.tileId);
        if (k < wanted.length && (wanted[k] as number) < end) {
          pending.push({ offset: header.leafDirectoryOffset + e.offset, length: e.length });
        }
      });
    }
  }
  return found.sort((a, b) => a.tileId - b.tileId);
}

/** Reads the source's header and directories and lays out the new archive; fetches no tile data. */
export async function planExtract(source: Source, from: string, req: ExtractRequest): Promise<ExtractPlan> {
  const { archive, header } = await readHeader(source, from);
  const bounds = { west: header.minLon, south: header.minLat, east: header.maxLon, north: header.maxLat };
  // A box across the antimeridian is cut as its two parts, each within the archive.
  const parts = splitAntimeridian(req.bbox)
    .map((part) => intersectBbox(part, bounds))
    .filter((part): part is Bbox => part !== null);
  if (parts.length === 0) {
    const b = [bounds.west, bounds.south, bounds.east, bounds.north].map((v) => v.toFixed(4)).join(',');
    throw badRequest('bbox', `the box lies outside the archive's bounds (${b})`);
  }
  const maxZoom = Math.min(req.maxZoom ?? header.maxZoom, header.maxZoom);
  if (maxZoom < header.minZoom) {
    throw badRequest('maxzoom', `the archive starts at zoom ${header.minZoom}, above ${maxZoom}`);
  }
  const ids = new Set(parts.flatMap((part) => tileIdsIn(part, header.minZoom, maxZoom)));
  const found = await findTiles(
    archive,
    header,
    [...ids].sort((a, b) => a - b),
  );
  if (found.length === 0) throw badRequest('bbox', 'the archive holds no tile in this box');

  // Same bytes in the source, same content: written once, in the order of the first tile that uses it.
  const bySrc = new Map<number, Content>();
  const contents: Content[] = [];
  let dataBytes = 0;
  const placed = found.map((f) => {
    let c = bySrc.get(f.src);
    if (!c) {
      c = { src: f.src, length: f.length, dst: dataBytes };
      dataBytes += f.length;
      bySrc.set(f.src, c);
      contents.push(c);
    }
    return { tileId: f.tileId, offset: c.dst, length: c.length };
  });
  const entries = entriesOf(placed);
  const dirs = buildDirectories(entries);
  const metadata = gzip(new TextEncoder().encode(JSON.stringify(await metadataFor(archive, req))));
  // Tile ids grow with the zoom: the first and last tiles found give the zoom range.
  const minZoom = tileIdToZxy((found[0] as Found).tileId)[0];
  const topZoom = tileIdToZxy((found[found.length - 1] as Found).tileId)[0];
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + dirs.root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset + dirs.leaves.length;
  const out: ArchiveHeader = {
    rootDirectoryOffset: rootOffset,
    rootDirectoryLength: dirs.root.length,
    jsonMetadataOffset: metadataOffset,
    jsonMetadataLength: metadata.length,
    leafDirectoryOffset: leafOffset,
    leafDirectoryLength: dirs.leaves.length,
    tileDataOffset: dataOffset,
    tileDataLength: dataBytes,
    numAddressedTiles: found.length,
    numTileEntries: entries.length,
    numTileContents: contents.length,
    clustered: true,
    internalCompression: Compression.Gzip,
    tileCompression: header.tileCompression,
    tileType: header.tileType,
    minZoom,
    maxZoom: topZoom,
    ...boundsOf(parts, minZoom, topZoom),
  };
  return {
    header: out,
    tiles: found.length,
    contents,
    bytes: dataOffset + dataBytes,
    layout: { root: dirs.root, metadata, leaves: dirs.leaves },
  };
}

/**
 * The header's bounds and centre. Two parts (across the antimeridian) are bounded by the whole width, which every
 * reader understands, and centred on the antimeridian side, at the zoom of their joint width.
 */
function boundsOf(parts: Bbox[], minZoom: number, maxZoom: number) {
  const [first, second] = parts as [Bbox, Bbox | undefined];
  const south = Math.min(...parts.map((p) => p.south));
  const north = Math.max(...parts.map((p) => p.north));
  const box = second ? { west: first.west, south, east: second.east + 360, north } : first;
  const centerLon = (box.west + box.east) / 2;
  return {
    minLon: second ? -180 : first.west,
    minLat: south,
    maxLon: second ? 180 : first.east,
    maxLat: north,
    centerZoom: centerZoom(box, minZoom, maxZoom),
    centerLon: centerLon > 180 ? centerLon - 360 : centerLon,
    centerLat: (south + north) / 2,
  };
}

async function metadataFor(archive: PMTiles, req: ExtractRequest): Promise<Record<string, unknown>> {
  const meta = ((await archive.getMetadata()) ?? {}) as Record<string, unknown>;
  const b = req.bbox;
  return {
    ...meta,
    ...(req.terrainEncoding && !meta.encoding ? { encoding: req.terrainEncoding } : {}),
    extract: { bbox: [b.west, b.south, b.east, b.north], maxzoom: req.maxZoom ?? null },
  };
}

/** Runs of contents that sit close together in the source: one range request each. */
function batches(contents: readonly Content[]): Content[][] {
  const out: Content[][] = [];
  let current: Content[] = [];
  let start = 0;
  let end = 0;
  for (const c of contents) {
    const near = current.length > 0 && c.src >= end && c.src - end <= MERGE_GAP_BYTES;
    if (near && c.src + c.length - start <= BATCH_MAX_BYTES) {
      current.push(c);
      end = c.src + c.length;
      continue;
    }
    if (current.length > 0) out.push(current);
    current = [c];
    start = c.src;
    end = c.src + c.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Writes the planned archive to `file`: first as `file.part`, renamed once complete. On any failure (the
 * source gone, the disk full, `signal` aborted) the partial file is removed and the error says why.
 */
export async function runExtract(
  source: Source,
  plan: ExtractPlan,
  file: string,
  onProgress: (p: ExtractProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const part = `${file}.part`;
  const handle = await open(part, 'w');
  try {
    const { root, metadata, leaves } = plan.layout;
    await handle.write(encodeHeader(plan.header), 0, HEADER_BYTES, 0);
    await handle.write(root, 0, root.length, plan.header.rootDirectoryOffset);
    await handle.write(metadata, 0, metadata.length, plan.header.jsonMetadataOffset);
    if (leaves.length > 0) await handle.write(leaves, 0, leaves.length, plan.header.leafDirectoryOffset);
    const dataOffset = plan.header.tileDataOffset;
    const progress: ExtractProgress = { contentsDone: 0, bytesDone: 0 };
    const queue = batches(plan.contents);
    const worker = async () => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        if (signal?.aborted) throw new HowlError(499, 'cancelled', 'the extract was cancelled');
        const first = run[0] as Content;
        const last = run[run.length - 1] as Content;
        const length = last.src + last.length - first.src;
        const bytes = new Uint8Array((await source.getBytes(first.src, length)).data);
        if (bytes.length < length) {
          throw new HowlError(502, 'source_unavailable', 'from: the source ended before the tiles it lists');
        }
        // Contents next to each other in the source and in the new archive (most of them): one write.
        for (let i = 0; i < run.length; ) {
          const start = run[i] as Content;
          let length = start.length;
          let j = i + 1;
          for (; j < run.length; j++) {
            const c = run[j] as Content;
            if (c.src !== start.src + length || c.dst !== start.dst + length) break;
            length += c.length;
          }
          await handle.write(bytes, start.src - first.src, length, dataOffset + start.dst);
          progress.contentsDone += j - i;
          progress.bytesDone += length;
          i = j;
        }
        onProgress(progress);
      }
    };
    // The first failure stops the other workers from taking more work.
    const guarded = () =>
      worker().catch((e: unknown) => {
        queue.length = 0;
        throw e;
      });
    await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, guarded));
    await handle.close();
    await rename(part, file);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(part, { force: true });
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof HowlError) {
      throw new HowlError(e.status, e.code, `${message}; the partial file was removed`, e.details);
    }
    throw new Error(`the extract failed (${message}); the partial file was removed`);
  }
}
