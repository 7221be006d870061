import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gpx, kml } from '@tmcw/togeojson';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { HowlError } from '../contract/errors.ts';
import type { TrackPoint } from '../domain/drill-score.ts';

/**
 * GPX (1.0 and 1.1) and KML track files in, as tracks of `{ lat, lon, timeMs }`: XML parsed by xmldom with every
 * reported problem fatal, converted by @tmcw/togeojson. GPX tracks (`trk`) are checked point by point first, so
 * that an error can name the track, the point and its line: togeojson silently drops points without coordinates
 * and tracks of one point. KML tracks must be `gx:Track`s (a `LineString` has no times).
 *
 * A file never reaches the parser above `MAX_TRACK_FILE_BYTES`, and one with a DOCTYPE is refused: xmldom never
 * expands entities (nor fetches external ones), and no GPS app writes a DOCTYPE.
 */
export const MAX_TRACK_FILE_BYTES = 50 * 1024 * 1024;

export type TrackFileErrorCode =
  | 'too_large'
  | 'malformed_xml'
  | 'doctype_forbidden'
  | 'not_a_track_file'
  | 'no_track'
  | 'too_few_points'
  | 'invalid_point'
  | 'missing_time'
  | 'invalid_time'
  | 'time_out_of_order';

/** A track file that cannot be read; 413 when too large, 400 otherwise. */
export class TrackFileError extends HowlError {
  constructor(
    readonly code: TrackFileErrorCode,
    message: string,
  ) {
    super(code === 'too_large' ? 413 : 400, code, message);
    this.name = 'TrackFileError';
  }
}

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

/** Reads a track file, checking its size before reading it. */
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
  return parseTrackFile(await readFile(path), { source, maxBytes: max });
}

/** The tracks of a GPX or KML document (text, or bytes in the encoding its XML declaration names). */
export function parseTrackFile(data: string | Uint8Array, options: ParseOptions = {}): ParsedTrack[] {
  const prefix = options.source ? `${options.source}: ` : '';
  const max = options.maxBytes ?? MAX_TRACK_FILE_BYTES;
  const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  if (size > max) throw tooLarge(options.source, size, max);
  const fail = (code: TrackFileErrorCode, message: string) => new TrackFileError(code, `${prefix}${message}`);

  const doc = parseXml(typeof data === 'string' ? data : decode(data), fail);
  const root = doc.documentElement?.localName;
  if (root === 'gpx') return gpxTracks(doc, fail);
  if (root === 'kml') return kmlTracks(doc, fail);
  throw fail(
    'not_a_track_file',
    `not a GPX or KML file (its root element is <${doc.documentElement?.nodeName}>)`,
  );
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

type Feature = ReturnType<typeof kml>['features'][number];
type Fail = (code: TrackFileErrorCode, message: string) => TrackFileError;

function tooLarge(source: string | undefined, size: number, max: number): TrackFileError {
  const amount = (n: number) => (n < 1024 * 1024 ? `${n} bytes` : `${(n / 1024 / 1024).toFixed(1)} MB`);
  return new TrackFileError(
    'too_large',
    `${source ?? 'the file'} is too large (${amount(size)}): the limit is ${amount(max)}`,
  );
}

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const prolog = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function parseXml(text: string, fail: Fail): Document {
  // Before parsing, so that an entity trick is named for what it is rather than as an unknown entity.
  if (/<!DOCTYPE/i.test(text)) throw doctype(fail);
  let problem: string | undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (_level, message, context: { locator?: { lineNumber?: number } } | undefined) => {
        const line = context?.locator?.lineNumber;
        problem ??= `${message}${line ? ` (line ${line})` : ''}`;
        throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    throw fail('malformed_xml', `not well-formed XML: ${problem ?? (e as Error).message}`);
  }
  if (doc.doctype) throw doctype(fail);
  return doc;
}

const doctype = (fail: Fail) =>
  fail('doctype_forbidden', 'has a DOCTYPE declaration, which track files never need: refused');

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of an xsd:dateTime (UTC when it has no zone), or undefined. */
function parseTime(text: string): number | undefined {
  const s = text.trim();
  if (!DATE_TIME.test(s)) return undefined;
  const ms = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

const iso = (ms: number) => new Date(ms).toISOString();

function childText(el: Element, name: string): string | undefined {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === name) return c.textContent ?? '';
  }
  return undefined;
}

function gpxTracks(doc: Document, fail: Fail): ParsedTrack[] {
  const trks = Array.from(doc.getElementsByTagName('trk'));
  if (trks.length === 0) {
    const routes = doc.getElementsByTagName('rte').length;
    throw fail(
      'no_track',
      routes > 0
        ? 'has a route but no track (<trk>): a route is a plan without times, not a recorded trail'
        : 'has no track (<trk>)',
    );
  }
  trks.forEach((trk, k) => {
    checkGpxTrack(trk, k, fail);
  });
  const features = gpx(doc).features.filter((f) => f.properties?._gpxType === 'trk');
  return features.map((f, k) => toTrack(f, k, fail));
}

/** Every point of the track has coordinates and a time, and there are at least two. */
function checkGpxTrack(trk: Element, k: number, fail: Fail): void {
  const label = trackLabel(childText(trk, 'name'), k);
  const points = Array.from(trk.getElementsByTagName('trkpt'));
  if (points.length < 2) {
    throw fail(
      'too_few_points',
      `${label} has ${points.length} point${points.length === 1 ? '' : 's'}: a trail needs at least 2`,
    );
  }
  points.forEach((pt, i) => {
    const where = `${label}, point ${i + 1} (line ${(pt as unknown as { lineNumber?: number }).lineNumber ?? '?'})`;
    const lat = coordinate(pt.getAttribute('lat'));
    const lon = coordinate(pt.getAttribute('lon'));
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
      throw fail(
        'invalid_point',
        `${where}: lat="${pt.getAttribute('lat') ?? ''}" lon="${pt.getAttribute('lon') ?? ''}" is not a position`,
      );
    }
    const time = childText(pt, 'time');
    if (time === undefined)
      throw fail('missing_time', `${where} has no <time>: scoring needs the time of every point`);
    if (parseTime(time) === undefined)
      throw fail('invalid_time', `${where}: <time>${time}</time> is not a date and time`);
  });
}

/** A number from an attribute; NaN when absent or blank (`Number('')` is 0). */
const coordinate = (attr: string | null) => (attr?.trim() ? Number(attr) : Number.NaN);

function kmlTracks(doc: Document, fail: Fail): ParsedTrack[] {
  const tracks = kml(doc).features.filter(
    (f) => isLine(f.geometry) || f.properties?.coordinateProperties?.times,
  );
  if (tracks.length === 0) throw fail('no_track', 'has no track (a <gx:Track> or a <LineString> placemark)');
  return tracks.map((f, k) => toTrack(f, k, fail));
}

/** The coordinate lines of a geometry: a gx:MultiTrack becomes a collection of lines, a one-point gx:Track a point. */
function linesOf(g: Feature['geometry']): number[][][] {
  switch (g?.type) {
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    case 'Point':
      return [[g.coordinates]];
    case 'GeometryCollection':
      return g.geometries.flatMap(linesOf);
    default:
      return [];
  }
}

const isLine = (g: Feature['geometry']) => g?.type !== 'Point' && linesOf(g).length > 0;

/** A togeojson feature as a track: its lines joined, each coordinate with its time. */
function toTrack(feature: Feature, k: number, fail: Fail): ParsedTrack {
  const name = typeof feature.properties?.name === 'string' ? feature.properties.name : null;
  const label = trackLabel(name, k);
  const g = feature.geometry;
  const lines = linesOf(g);
  const rawTimes: unknown = feature.properties?.coordinateProperties?.times;
  const timeLines = (
    Array.isArray(rawTimes) && rawTimes.every(Array.isArray) ? rawTimes : [rawTimes ?? []]
  ) as unknown[][];
  const coordinates = lines.flat();
  const times = (lines.length === timeLines.length ? timeLines : []).flat();
  if (coordinates.length < 2) {
    throw fail(
      'too_few_points',
      `${label} has ${coordinates.length} point${coordinates.length === 1 ? '' : 's'}: a trail needs at least 2`,
    );
  }
  if (times.length !== coordinates.length) {
    throw fail(
      'missing_time',
      times.length === 0
        ? `${label} has no times: export the recorded track (a KML <gx:Track>, a GPX <trk>), not a drawn line`
        : `${label} has ${coordinates.length} points but ${times.length} times`,
    );
  }
  const points = coordinates.map(([lon, lat], i): TrackPoint => {
    const timeMs = parseTime(String(times[i]));
    if (timeMs === undefined)
      throw fail('invalid_time', `${label}, point ${i + 1}: "${times[i]}" is not a date and time`);
    if (!(Math.abs(lat ?? Number.NaN) <= 90 && Math.abs(lon ?? Number.NaN) <= 180)) {
      throw fail('invalid_point', `${label}, point ${i + 1}: ${lat}, ${lon} is not a position`);
    }
    return { lat: lat as number, lon: lon as number, timeMs };
  });
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1] as TrackPoint;
    const p = points[i] as TrackPoint;
    if (p.timeMs < prev.timeMs) {
      throw fail(
        'time_out_of_order',
        `${label}: point ${i + 1} (${iso(p.timeMs)}) is earlier than point ${i} (${iso(prev.timeMs)}): timestamps out of order`,
      );
    }
  }
  return { name, points };
}

const trackLabel = (name: string | null | undefined, k: number) =>
  name?.trim() ? `track ${k + 1} ("${name.trim()}")` : `track ${k + 1}`;
