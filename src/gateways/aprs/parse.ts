import {
  ambiguityOf,
  ambiguousDegrees,
  applyDao,
  base91,
  M_PER_FOOT,
  MPS_PER_KNOT,
  SYMBOL_TABLE,
} from './coords.ts';
import { decodeMicE } from './mic-e.ts';

/**
 * A decoder for the APRS packets Howl uses, in the TNC2 text form APRS-IS carries (`SRC>DST,PATH:body`),
 * after the APRS Protocol Reference 1.0.1: positions without (`!`, `=`) and with (`/`, `@`) a timestamp, in
 * the uncompressed and the compressed format, and Mic-E positions (`` ` ``, `'`). Status reports, messages
 * and every other type are recognised and handed back without being decoded further. A line that breaks the
 * format is refused with a reason; nothing here throws. Pure: the caller passes the time of receipt.
 */
export type AprsPacket =
  | ({ type: 'position'; source: string; format: 'uncompressed' | 'compressed' | 'mic-e' } & AprsFix)
  | { type: 'status'; source: string; text: string }
  | { type: 'message'; source: string; addressee: string; text: string }
  /** Objects, items, weather, telemetry, queries…: not a station's own position. */
  | { type: 'other'; source: string; dataType: string };

/** What a position packet says about the station. */
export interface AprsFix {
  lat: number;
  lon: number;
  /** The packet's own timestamp, when it carries one (resolved against the time of receipt). */
  time?: Date;
  courseDeg?: number;
  speedMps?: number;
  altitudeM?: number;
  /** Symbol table (or overlay) and symbol code, e.g. `/>` for a car. */
  symbol: string;
  comment: string;
}

export type AprsResult = { ok: true; packet: AprsPacket } | { ok: false; reason: string };

export interface ParseOptions {
  /** When the line arrived: day-hour-minute and hour-minute-second timestamps are resolved near it. */
  now: Date;
  /** Minutes east of UTC of "local time" in `DDHHMM/` timestamps (the spec leaves the zone to the stations). */
  localOffsetMin?: number;
}

/** A station's callsign on APRS-IS: up to 6 letters and digits and an SSID of up to 2 (`N0CALL-15`). */
const CALLSIGN = /^[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,2})?$/i;
/** Digipeaters, q constructs and igates in the path; `*` marks a digipeated hop. */
const PATH_ELEMENT = /^[A-Z0-9-]{1,9}\*?$/i;
const LAT = /^(\d{2})([0-5 ][\d ])\.([\d ]{2})([NS])$/;
const LON = /^(\d{3})([0-5 ][\d ])\.([\d ]{2})([EW])$/;

/** Decode one line as APRS-IS sends it (without its line end). */
export function parseAprsLine(line: string, opts: ParseOptions): AprsResult {
  const colon = line.indexOf(':');
  const gt = line.indexOf('>');
  if (gt < 1 || colon < gt) return fail('not a packet: expected SOURCE>DEST[,PATH]:body');
  const source = line.slice(0, gt);
  if (!CALLSIGN.test(source)) return fail(`bad source callsign ${quote(source)}`);
  const [dest = '', ...path] = line.slice(gt + 1, colon).split(',');
  if (!CALLSIGN.test(dest)) return fail(`bad destination ${quote(dest)}`);
  const badHop = path.find((p) => !PATH_ELEMENT.test(p));
  if (badHop !== undefined) return fail(`bad path element ${quote(badHop)}`);
  const body = line.slice(colon + 1);
  if (body === '') return fail('empty body');
  return decodeBody(source.toUpperCase(), dest.toUpperCase(), body, opts);
}

function decodeBody(source: string, dest: string, body: string, opts: ParseOptions): AprsResult {
  const type = body[0] ?? '';
  const rest = body.slice(1);
  switch (type) {
    case '!':
    case '=':
      return position(source, rest, undefined);
    case '/':
    case '@': {
      const time = timestamp(rest.slice(0, 7), opts);
      if (typeof time === 'string') return fail(time);
      return position(source, rest.slice(7), time);
    }
    case '`':
    case "'": {
      const fix = decodeMicE(dest, rest);
      if (typeof fix === 'string') return fail(fix);
      return { ok: true, packet: { type: 'position', source, format: 'mic-e', ...fix } };
    }
    case '>':
      return { ok: true, packet: { type: 'status', source, text: rest } };
    case ':': {
      if (rest.length < 10 || rest[9] !== ':') return fail('message without a 9-character addressee');
      const addressee = rest.slice(0, 9).trim();
      return { ok: true, packet: { type: 'message', source, addressee, text: rest.slice(10) } };
    }
    default: {
      // Spec §5: a `!` position may follow up to 40 characters of text that has no type of its own.
      const bang = body.indexOf('!');
      if (!KNOWN_TYPES.includes(type) && bang > 0 && bang < 40) return position(source, body.slice(bang + 1));
      return { ok: true, packet: { type: 'other', source, dataType: type } };
    }
  }
}

/** Data types other than positions, status and messages (spec chapter 5, Table "APRS Data Type Identifiers"). */
const KNOWN_TYPES = [
  ';',
  ')',
  '_',
  'T',
  '$',
  '<',
  '?',
  '{',
  '}',
  '#',
  '*',
  '%',
  '&',
  '+',
  '.',
  '[',
  '\x1c',
  '\x1d',
];

function position(source: string, text: string, time?: Date): AprsResult {
  const first = text[0] ?? '';
  const fix = /\d/.test(first) ? uncompressed(text) : compressed(text);
  if (typeof fix === 'string') return fail(fix);
  const format = /\d/.test(first) ? 'uncompressed' : 'compressed';
  return { ok: true, packet: { type: 'position', source, format, ...fix, ...(time ? { time } : {}) } };
}

/** `DDMM.hhN/DDDMM.hhW>` then an optional course/speed extension and a comment (spec chapter 8). */
function uncompressed(text: string): Omit<AprsFix, 'time'> | string {
  if (text.length < 19) return 'position too short';
  const lat = LAT.exec(text.slice(0, 8));
  const table = text[8] ?? '';
  const lon = LON.exec(text.slice(9, 18));
  if (!lat || !lon) return `bad uncompressed position ${quote(text.slice(0, 19))}`;
  if (!SYMBOL_TABLE.test(table)) return `bad symbol table ${quote(table)}`;
  // The latitude's spaces say how ambiguous both coordinates are (spec chapter 8, "Position Ambiguity").
  const ambiguity = ambiguityOf(text.slice(0, 7).replace('.', ''));
  if (ambiguity === undefined) return 'spaces must replace the rightmost digits';
  const latDeg = ambiguousDegrees(`${lat[1]}${lat[2]}${lat[3]}`, ambiguity);
  const lonDeg = ambiguousDegrees(`${lon[1]}${lon[2]}${lon[3]}`, ambiguity);
  if (latDeg > 90 || lonDeg > 180) return 'coordinates out of range';
  const symbol = `${table}${text[18]}`;
  const fix = {
    lat: lat[4] === 'S' ? -latDeg : latDeg,
    lon: lon[4] === 'W' ? -lonDeg : lonDeg,
    symbol,
  };
  let comment = text.slice(19);
  // `CSE/SPD`, either part `...` or blank when unknown (spec chapter 7).
  const ext = /^(\d{3}|\.{3}| {3})\/(\d{3}|\.{3}| {3})/.exec(comment);
  const motion: Partial<AprsFix> = {};
  if (ext) {
    comment = comment.slice(7);
    const course = Number(ext[1]);
    const knots = Number(ext[2]);
    // A weather station's `ddd/sss` is the wind, not its own course and speed.
    if (symbol[1] !== '_') {
      if (/\d/.test(ext[1] ?? '') && course > 0 && course <= 360) motion.courseDeg = course;
      if (/\d/.test(ext[2] ?? '')) motion.speedMps = knots * MPS_PER_KNOT;
    }
  }
  return finish(fix.lat, fix.lon, symbol, motion, comment);
}

/** The fix with the comment's altitude and DAO taken out of it. */
function finish(
  lat: number,
  lon: number,
  symbol: string,
  motion: Partial<AprsFix>,
  comment: string,
): Omit<AprsFix, 'time'> {
  const alt = altitude(comment);
  const dao = applyDao(lat, lon, alt.comment);
  return { lat: dao.lat, lon: dao.lon, symbol, ...motion, ...alt.fields, comment: dao.comment.trim() };
}

/** The `/A=aaaaaa` altitude in feet anywhere in a comment (spec chapter 6). */
function altitude(comment: string): { fields: { altitudeM?: number }; comment: string } {
  const m = /\/A=(-\d{5}|\d{6})/.exec(comment);
  if (!m) return { fields: {}, comment };
  const stripped = comment.slice(0, m.index) + comment.slice(m.index + m[0].length);
  return { fields: { altitudeM: Number(m[1]) * M_PER_FOOT }, comment: stripped };
}

/** `/YYYYXXXX$csT` (spec chapter 9): base-91 latitude and longitude, then course/speed, range or altitude. */
function compressed(text: string): Omit<AprsFix, 'time'> | string {
  if (text.length < 13) return 'compressed position shorter than 13 characters';
  const table = text[0] ?? '';
  if (!/^[/\\A-Za-j]$/.test(table)) return `bad symbol table ${quote(table)}`;
  const y = base91(text.slice(1, 5));
  const x = base91(text.slice(5, 9));
  if (y === undefined || x === undefined) return 'bad base-91 coordinates';
  const lat = 90 - y / 380926;
  const lon = -180 + x / 190463;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'coordinates out of range';
  // An overlay is sent as a–j for the digits 0–9.
  const overlay = /[a-j]/.test(table) ? String(table.charCodeAt(0) - 97) : table;
  const symbol = `${overlay}${text[9]}`;
  const [c = 0, s = 0, t = 0] = [10, 11, 12].map((i) => text.charCodeAt(i) - 33);
  const motion: Partial<AprsFix> = {};
  if (text[10] !== ' ') {
    if (c < 0 || c > 90 || s < 0 || s > 90 || t < 0 || t > 90) return 'bad compressed extension';
    if (((t >> 3) & 3) === 2) {
      // The fix came from a GGA sentence: cs is the altitude, 1.002^cs feet.
      motion.altitudeM = 1.002 ** (c * 91 + s) * M_PER_FOOT;
    } else if (c <= 89 && symbol[1] !== '_') {
      // A course of 0 is sent for north, which other parsers report as 360.
      motion.courseDeg = c * 4 || 360;
      motion.speedMps = (1.08 ** s - 1) * MPS_PER_KNOT;
    }
  }
  return finish(lat, lon, symbol, motion, text.slice(13));
}

/** `DDHHMMz` (UTC), `DDHHMM/` (local), `HHMMSSh` (UTC), resolved against the time of receipt. */
function timestamp(text: string, opts: ParseOptions): Date | string {
  const m = /^(\d{2})(\d{2})(\d{2})([zh/])$/.exec(text);
  if (!m) return `bad timestamp ${quote(text)}`;
  const [a, b, c] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  const now = opts.now.getTime();
  const candidates: number[] = [];
  if (m[4] === 'h') {
    if (a > 23 || b > 59 || c > 59) return `bad timestamp ${quote(text)}`;
    const day = new Date(now);
    for (const shift of [-1, 0, 1])
      candidates.push(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + shift, a, b, c));
  } else {
    if (a < 1 || a > 31 || b > 23 || c > 59) return `bad timestamp ${quote(text)}`;
    const offsetMs = m[4] === '/' ? (opts.localOffsetMin ?? 0) * 60_000 : 0;
    // Day-of-month in the station's zone: this month, the next, and the two before (a 31st on 1 March).
    const here = new Date(now + offsetMs);
    for (const shift of [-2, -1, 0, 1]) {
      const t = Date.UTC(here.getUTCFullYear(), here.getUTCMonth() + shift, a, b, c);
      if (new Date(t).getUTCDate() === a) candidates.push(t - offsetMs);
    }
  }
  // As Ham::APRS::FAP: the latest candidate not more than 12 hours (HMS: 65 minutes) ahead of the receipt.
  const aheadMs = m[4] === 'h' ? 3900_000 : 12 * 3600_000;
  const best = Math.max(...candidates.filter((t) => t <= now + aheadMs));
  if (!Number.isFinite(best)) return `bad timestamp ${quote(text)}`;
  return new Date(best);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function fail(reason: string): AprsResult {
  return { ok: false, reason };
}
