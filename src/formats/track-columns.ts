import type { Fail, TrackFileError } from './track-file-error.ts';

/** A track read from a file, as columns of numbers rather than one object per point: what the readers make. */
export interface TrackColumns {
  readonly name: string | null;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly timeMs: Float64Array;
}

/**
 * Tracks in three columns for all of them, as the worker thread hands them back: a transfer of three buffers,
 * however many tracks (a buffer per track made a file of 200,000 short tracks take a minute to hand over).
 */
export interface PackedTracks {
  readonly names: readonly (string | null)[];
  /** How many points each track has, in order. */
  readonly counts: Uint32Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly timeMs: Float64Array;
}

export function packTracks(tracks: readonly TrackColumns[]): PackedTracks {
  const total = tracks.reduce((n, t) => n + t.lat.length, 0);
  const packed = {
    names: tracks.map((t) => t.name),
    counts: Uint32Array.from(tracks, (t) => t.lat.length),
    lat: new Float64Array(total),
    lon: new Float64Array(total),
    timeMs: new Float64Array(total),
  };
  let at = 0;
  for (const t of tracks) {
    packed.lat.set(t.lat, at);
    packed.lon.set(t.lon, at);
    packed.timeMs.set(t.timeMs, at);
    at += t.lat.length;
  }
  return packed;
}

/** A growable column of numbers. */
export class Column {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** Forgets the values from `length` on. */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  at(i: number): number {
    return this.data[i] as number;
  }

  /** The values, in an array of their own (so that its buffer can be transferred). */
  take(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * The first value noted at a point of a track (an invalid time's text, an invalid position), by the point's
 * index. Notes come in the order of their points and are forgotten from the end, so the first is all there is
 * to keep: a file of a million bad times holds one.
 */
export class Notes {
  private note: { index: number; text: string } | undefined;

  add(index: number, text: string): void {
    this.note ??= { index, text };
  }

  /** Forgets the notes from point `index` on (a dropped segment, coordinates read again). */
  truncate(index: number): void {
    if (this.note && this.note.index >= index) this.note = undefined;
  }

  get first(): { index: number; text: string } | undefined {
    return this.note;
  }
}

/**
 * One track as the reader collected it, before the checks that name its points. It follows the model of the
 * GeoJSON converter Howl used before (togeojson): a track has `lines` (GPX segments, KML geometries), some of
 * which carry times (`timeLines`); the times are paired with the coordinates in order only when every line has
 * its own times, which is when the time column and the coordinate columns line up.
 */
export interface TrackDraft {
  readonly name: string | null;
  /** Its index among the file's tracks (for "track 2" in messages). */
  readonly index: number;
  readonly lines: number;
  readonly timeLines: number;
  /** Coordinates in all its lines (the columns hold them only when they can be paired with times). */
  readonly points: number;
  readonly lat: Column;
  readonly lon: Column;
  /** The times, in order; NaN for one that is not a date and time (its text is in `badTimes`). */
  readonly timeMs: Column;
  readonly badTimes: Notes;
  /** Coordinates that are not a position, described as `lat, lon`. */
  readonly badPositions: Notes;
}

/** The draft as a track, or the error that names its first problem. */
export function finishTrack(draft: TrackDraft, fail: Fail): TrackColumns | TrackFileError {
  const label = trackLabel(draft.name, draft.index);
  const n = draft.points;
  if (n < 2)
    return fail('too_few_points', `${label} has ${n} point${n === 1 ? '' : 's'}: a trail needs at least 2`);
  const times = draft.lines === Math.max(1, draft.timeLines) ? draft.timeMs.length : 0;
  if (times !== n) {
    return fail(
      'missing_time',
      times === 0
        ? `${label} has no times: export the recorded track (a KML <gx:Track>, a GPX <trk>), not a drawn line`
        : `${label} has ${n} points but ${times} times`,
    );
  }
  const badTime = draft.badTimes.first;
  const badPosition = draft.badPositions.first;
  if (badTime && (!badPosition || badTime.index <= badPosition.index)) {
    return fail(
      'invalid_time',
      `${label}, point ${badTime.index + 1}: "${badTime.text}" is not a date and time`,
    );
  }
  if (badPosition) {
    return fail(
      'invalid_point',
      `${label}, point ${badPosition.index + 1}: ${badPosition.text} is not a position`,
    );
  }
  const t = draft.timeMs;
  for (let i = 1; i < n; i++) {
    if (t.at(i) < t.at(i - 1)) {
      return fail(
        'time_out_of_order',
        `${label}: point ${i + 1} (${iso(t.at(i))}) is earlier than point ${i} (${iso(t.at(i - 1))}): timestamps out of order`,
      );
    }
  }
  return { name: draft.name, lat: draft.lat.take(), lon: draft.lon.take(), timeMs: t.take() };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of an xsd:dateTime (UTC when it has no zone), or NaN. */
export function parseTime(text: string): number {
  const utc = parseUtc(text);
  if (utc !== undefined) return utc;
  const s = text.trim();
  if (!DATE_TIME.test(s)) return Number.NaN;
  return Date.parse(ZONE.test(s) ? s : `${s}Z`);
}

/**
 * The shape nearly every GPS app writes, `YYYY-MM-DDTHH:MM:SSZ` or `…SS.fffZ`, read without a regular expression
 * (a third of the parse of a large file otherwise); anything else (other days than 1–28 included) is undefined,
 * for `parseTime` to read as `Date.parse` does.
 */
function parseUtc(s: string): number | undefined {
  const n = s.length;
  if (n !== 20 && n !== 24) return undefined;
  if (s.charCodeAt(n - 1) !== Z || (n === 24 && s.charCodeAt(19) !== DOT)) return undefined;
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== T) return undefined;
  if (s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = n === 24 ? digits(s, 20, 3) : 0;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 28) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0)
    return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

// Character codes of 'Z', '.', '-', 'T', ':' and '0'.
const Z = 90;
const DOT = 46;
const DASH = 45;
const T = 84;
const COLON = 58;
const ZERO = 48;

/** The number written by `count` decimal digits from `from`, or -1. */
function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Whether a latitude and a longitude are a position. */
export const isPosition = (lat: number, lon: number) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

export const iso = (ms: number) => new Date(ms).toISOString();

/** "track 2", with its name when it has one (cut short past 100 characters: it is quoted in error messages). */
export function trackLabel(name: string | null | undefined, k: number): string {
  const trimmed = name?.trim();
  if (!trimmed) return `track ${k + 1}`;
  return `track ${k + 1} ("${trimmed.length > 100 ? `${trimmed.slice(0, 100)}…` : trimmed}")`;
}
