import { channel } from 'node:diagnostics_channel';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TrackPoint } from '../domain/drill-score.ts';
import { iso, type PackedTracks, type TrackColumns } from './track-columns.ts';
import { failFor, TrackFileError } from './track-file-error.ts';
import { TrackParseThread } from './track-parse-thread.ts';
import { readTrackColumns } from './track-reader.ts';

export { TrackFileError, type TrackFileErrorCode } from './track-file-error.ts';

/**
 * GPX (1.0 and 1.1) and KML track files in, as tracks of `{ lat, lon, timeMs }`, read by a streaming XML parser
 * (track-reader.ts: no DOM, no DOCTYPE, no entities). Errors name the file, the track, the point and its line.
 *
 * A file never reaches the parser above `MAX_TRACK_FILE_BYTES`. `parseTrackFile` parses on the calling thread;
 * `parseTrackFileAsync` and `readTrackFile` parse a file over `INLINE_BYTES` in a worker thread
 * (track-parse-thread.ts), so that a large upload never stalls the event loop.
 */
export const MAX_TRACK_FILE_BYTES = 50 * 1024 * 1024;

/** Files up to this size are parsed on the calling thread: a few milliseconds, less than a worker's round trip. */
export const INLINE_BYTES = 512 * 1024;

export interface ParsedTrack {
  readonly name: string | null;
  /** In time order; a track's segments (GPX `trkseg`, KML `gx:MultiTrack`) joined. */
  readonly points: TrackPoint[];
}

export interface ParseOptions {
  /** Named in error messages (e.g. the file name). */
  readonly source?: string;
  readonly maxBytes?: number;
}

export interface AsyncParseOptions extends ParseOptions {
  /** The caller gives up the bytes: their buffer moves to the worker without a copy, and is empty afterwards. */
  readonly transfer?: boolean;
}

/**
 * A diagnostics channel on which `parseTrackFileAsync` publishes `{ phase: 'start' | 'end', source, bytes }` around
 * each parse in the worker thread (and the points made of what it returns).
 */
export const TRACK_PARSE_CHANNEL = 'howl:track-parse';

export interface TrackParseEvent {
  readonly phase: 'start' | 'end';
  readonly source: string | undefined;
  readonly bytes: number;
}

const parseChannel = channel(TRACK_PARSE_CHANNEL);
const thread = new TrackParseThread();

/** Reads a track file, checking its size before reading it; a large one is parsed in a worker thread. */
export async function readTrackFile(
  path: string,
  options: Omit<ParseOptions, 'source'> = {},
): Promise<ParsedTrack[]> {
  const source = basename(path);
  const max = options.maxBytes ?? MAX_TRACK_FILE_BYTES;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size > max) throw tooLarge(source, size, max);
  return parseTrackFileAsync(await readFile(path), { source, maxBytes: max, transfer: true });
}

/** The tracks of a GPX or KML document (text, or bytes in the encoding its XML declaration names). */
export function parseTrackFile(data: string | Uint8Array, options: ParseOptions = {}): ParsedTrack[] {
  checkSize(data, options);
  return readTrackColumns(data, failFor(options.source)).map((t) => ({ name: t.name, points: pointsOf(t) }));
}

/** As `parseTrackFile`, in a worker thread when the file is larger than `INLINE_BYTES`. */
export async function parseTrackFileAsync(
  data: string | Uint8Array,
  options: AsyncParseOptions = {},
): Promise<ParsedTrack[]> {
  const size = checkSize(data, options);
  if (size <= INLINE_BYTES) return parseTrackFile(data, options);
  const announce = (phase: TrackParseEvent['phase']) => {
    if (parseChannel.hasSubscribers) parseChannel.publish({ phase, source: options.source, bytes: size });
  };
  announce('start');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return await tracksInSlices(
      await thread.parse(bytes, options.source, options.transfer || typeof data === 'string'),
    );
  } finally {
    announce('end');
  }
}

/** All the tracks' points as one track (for a file holding one person's trail), which must be in time order. */
export function joinTracks(tracks: readonly ParsedTrack[], source = 'the file'): TrackPoint[] {
  const points = tracks.flatMap((t) => t.points);
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1] as TrackPoint;
    const p = points[i] as TrackPoint;
    if (p.timeMs < prev.timeMs) {
      throw new TrackFileError(
        'time_out_of_order',
        `${source}: its ${tracks.length} tracks overlap in time (${iso(p.timeMs)} after ${iso(prev.timeMs)}): ` +
          'keep one person’s trail per file',
      );
    }
  }
  return points;
}

/** The size of the data in bytes, refused over the limit. */
function checkSize(data: string | Uint8Array, options: ParseOptions): number {
  const max = options.maxBytes ?? MAX_TRACK_FILE_BYTES;
  const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  if (size > max) throw tooLarge(options.source, size, max);
  return size;
}

function tooLarge(source: string | undefined, size: number, max: number): TrackFileError {
  const amount = (n: number) => (n < 1024 * 1024 ? `${n} bytes` : `${(n / 1024 / 1024).toFixed(1)} MB`);
  return new TrackFileError(
    'too_large',
    `${source ?? 'the file'} is too large (${amount(size)}): the limit is ${amount(max)}`,
  );
}

function pointsOf(
  t: Pick<TrackColumns, 'lat' | 'lon' | 'timeMs'>,
  from = 0,
  to = t.lat.length,
  points: TrackPoint[] = [],
): TrackPoint[] {
  for (let i = from; i < to; i++) {
    points.push({ lat: t.lat[i] as number, lon: t.lon[i] as number, timeMs: t.timeMs[i] as number });
  }
  return points;
}

/** Points made this many at a time between turns of the event loop (a few milliseconds each). */
const SLICE_POINTS = 20_000;

async function tracksInSlices(packed: PackedTracks): Promise<ParsedTrack[]> {
  const tracks: ParsedTrack[] = [];
  let at = 0;
  let made = 0;
  for (const [k, count] of packed.counts.entries()) {
    const points: TrackPoint[] = [];
    for (const end = at + count; at < end; ) {
      const to = Math.min(end, at + SLICE_POINTS - made);
      pointsOf(packed, at, to, points);
      made += to - at;
      at = to;
      if (made >= SLICE_POINTS) {
        await new Promise((resolve) => setImmediate(resolve));
        made = 0;
      }
    }
    tracks.push({ name: packed.names[k] ?? null, points });
  }
  return tracks;
}
