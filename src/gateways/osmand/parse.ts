import { PositionReport } from '../../contract/positions.ts';

/**
 * Decoder for the OsmAnd protocol as Traccar speaks it (Traccar Client, OsmAnd, GPSLogger, scripts), after
 * github.com/traccar/traccar `OsmAndProtocolDecoder`. Two request shapes:
 *
 * - parameters in the query string and/or a form body: `id`|`deviceid`, `lat`+`lon` or `location=lat,lon`,
 *   `timestamp`, `speed` (knots), `bearing`|`heading`, `altitude`, `accuracy`, `batt`, `charge`, `alarm`.
 *   Both are merged per parameter and **the query wins** (Traccar reads the body only when the query is empty).
 *   An empty value counts as absent; a repeated parameter keeps its last value, as in Traccar.
 * - the JSON body of Traccar Client's background-geolocation versions: `device_id` and `location` with
 *   `timestamp`, `coords` (speed in m/s) and `battery` (level 0..1); a negative speed, heading, accuracy or
 *   battery level means unknown. The query string is ignored then, as in Traccar.
 *
 * `alarm` is passed on as sent (up to 64 characters), as Traccar's decoder does: its words are Traccar's
 * `Position.ALARM_*` names (`sos`, `fallDown`, `lowBattery`, `geofenceExit`, …), which the alerts service maps
 * (domain/alerts.ts `deviceAlarmAction`); an unknown word is not an error.
 *
 * As liberal as Traccar where a real device would otherwise lose a position: a request without a timestamp
 * is taken at `receivedAt` (Traccar uses the time of receipt too), and an auxiliary field (speed, bearing,
 * altitude, accuracy, battery, charging) that is not a number or out of range is dropped and reported in
 * `dropped`, the position kept. Refused are only: no device id, missing or bad coordinates, a timestamp that
 * is there but no time, an alarm over 64 characters, and a body that is neither shape. Unlike Traccar,
 * there is no fallback to the last known coordinates, and a time without a zone is UTC, not server time.
 */
export type OsmAndResult =
  | { ok: true; report: PositionReport; dropped: Dropped[] }
  /** A report with only cell towers and Wi-Fi networks: acknowledged, but there is no position to store. */
  | { ok: true; report: null; deviceId: string }
  | { ok: false; field: string; message: string };

type NoFix = Extract<OsmAndResult, { report: null }>;
/** An auxiliary field left out of the position, and why. */
export interface Dropped {
  field: string;
  message: string;
}

type Failure = Extract<OsmAndResult, { ok: false }>;
type Key = keyof PositionReport;
/** A report before validation, the protocol field each value came from (to name it in errors), and the
 * auxiliary fields already dropped. */
type Draft = {
  ok: true;
  values: Partial<Record<Key, unknown>>;
  names: Partial<Record<Key, string>>;
  dropped: Dropped[];
};
/** What may be dropped from a report without losing the position. */
const AUXILIARY: ReadonlySet<Key> = new Set([
  'speedMps',
  'bearingDeg',
  'altitudeM',
  'accuracyM',
  'batteryPct',
  'charging',
]);

/** Knots to m/s: 1852 m per 3600 s. */
const MPS_PER_KNOT = 1852 / 3600;
/** Traccar's rule: a numeric timestamp below 2^31 is in seconds, anything larger in milliseconds. */
const MAX_EPOCH_SECONDS = 2_147_483_647;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** ISO 8601 and Traccar's `yyyy-MM-dd HH:mm:ss`; `+` may stand for the date-time space, and a space for the
 * offset's `+`, because form decoding turns an unescaped `+` into a space. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ]|\+)(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+\- ])(\d{2})(?::?(\d{2}))?)?$/;
const PARAMS = [
  'id',
  'deviceid',
  'lat',
  'lon',
  'location',
  'timestamp',
  'speed',
  'bearing',
  'heading',
  'altitude',
  'accuracy',
  'batt',
  'charge',
  'alarm',
  'cell',
  'wifi',
] as const;
type Param = (typeof PARAMS)[number];
type Params = Partial<Record<Param, string>>;
const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };
const NOT_A_BODY = 'body must be a form (key=value&…) or a JSON object';
const UNITS: Partial<Record<Key, string>> = { speedMps: ' (m/s)', altitudeM: ' (m)', accuracyM: ' (m)' };

/** Decode one OsmAnd request. `query`: the parsed query string; `body`: the parsed body (form or JSON object),
 * or the raw text; `receivedAt`: the time of receipt, the position's time when the request has none (without
 * it, a timestamp is required). Never throws. */
export function parseOsmAnd(input: {
  query: Record<string, unknown>;
  body: unknown;
  receivedAt?: Date;
}): OsmAndResult {
  const body = readBody(input.body);
  if (!body.ok) return body;
  if (body.kind === 'json') return finish(decodeJson(body.value, input.receivedAt));
  const fromQuery = knownParams(input.query ?? {});
  if (!fromQuery.ok) return fromQuery;
  const fromBody = knownParams(body.value);
  if (!fromBody.ok) return fromBody;
  return finish(decodeParams({ ...fromBody.params, ...fromQuery.params }, input.receivedAt));
}

type Body = { ok: true; kind: 'json' | 'form'; value: Record<string, unknown> } | Failure;

function readBody(body: unknown): Body {
  if (body === undefined || body === null) return { ok: true, kind: 'form', value: {} };
  if (body instanceof Uint8Array) return readBody(new TextDecoder().decode(body));
  if (typeof body === 'string') return readText(body.trim());
  if (Array.isArray(body)) return fail('body', 'body is a JSON array: send one position per request');
  if (!isObject(body)) return fail('body', NOT_A_BODY);
  const json = 'device_id' in body || isObject(body.location);
  return { ok: true, kind: json ? 'json' : 'form', value: body };
}

function readText(text: string): Body {
  if (text === '') return { ok: true, kind: 'form', value: {} };
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return readBody(JSON.parse(text));
    } catch {
      return fail('body', 'body is not valid JSON');
    }
  }
  if (!text.includes('=')) return fail('body', NOT_A_BODY);
  // No prototype: a parameter named `constructor` or `__proto__` is just a parameter.
  const form: Record<string, string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) form[key] = [...(form[key] ?? []), value];
  return { ok: true, kind: 'form', value: form };
}

/** The last non-empty value of each parameter we read; other parameters are ignored whatever they hold. */
function knownParams(source: Record<string, unknown>): { ok: true; params: Params } | Failure {
  const params: Params = {};
  for (const key of PARAMS) {
    const values = (Array.isArray(source[key]) ? source[key] : [source[key]]) as unknown[];
    for (const value of values) {
      if (value === undefined || value === null) continue;
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        return fail(key, `${key} must be a single value`);
      }
      const text = String(value).trim();
      if (text !== '') params[key] = text;
    }
  }
  return { ok: true, params };
}

function decodeParams(p: Params, receivedAt: Date | undefined): Draft | NoFix | Failure {
  const draft: Draft = { ok: true, values: {}, names: {}, dropped: [] };
  if (p.id === undefined && p.deviceid === undefined) return fail('id', 'id (or deviceid) is required');
  put(draft, 'deviceId', p.id ?? p.deviceid, p.id !== undefined ? 'id' : 'deviceid');
  const noCoordinates = p.lat === undefined && p.lon === undefined && p.location === undefined;
  if (noCoordinates && (p.cell !== undefined || p.wifi !== undefined)) {
    // Cell towers and Wi-Fi only: Howl does not geolocate them, but the device did nothing wrong.
    const id = PositionReport.shape.deviceId.safeParse(p.id ?? p.deviceid);
    if (!id.success)
      return fail(p.id !== undefined ? 'id' : 'deviceid', `id is invalid: ${id.error.issues[0]?.message}`);
    return { ok: true, report: null, deviceId: id.data };
  }

  if (p.lat !== undefined || p.lon !== undefined || p.location === undefined) {
    for (const field of ['lat', 'lon'] as const) {
      const text = p[field];
      if (text === undefined) return fail(field, `${field} is required`);
      const value = number(text, field);
      if (typeof value !== 'number') return value;
      put(draft, field, value, field);
    }
  } else {
    const parts = p.location.split(',');
    const [lat, lon] = parts.map((part) => number(part.trim(), 'location'));
    if (parts.length !== 2 || typeof lat !== 'number' || typeof lon !== 'number') {
      return fail('location', 'location must be "lat,lon" in decimal degrees');
    }
    put(draft, 'lat', lat, 'location');
    put(draft, 'lon', lon, 'location');
  }

  if (p.timestamp === undefined) {
    if (!receivedAt)
      return fail('timestamp', 'timestamp is required (epoch seconds, epoch milliseconds or ISO 8601)');
    put(draft, 'time', receivedAt, 'timestamp');
  } else {
    const time = parseTime(p.timestamp);
    if (time === undefined) return fail('timestamp', `timestamp is not a valid time: ${quote(p.timestamp)}`);
    put(draft, 'time', time, 'timestamp');
  }

  const bearing = p.bearing !== undefined ? 'bearing' : 'heading';
  const numeric = [
    ['speed', 'speedMps', MPS_PER_KNOT],
    [bearing, 'bearingDeg', 1],
    ['altitude', 'altitudeM', 1],
    ['accuracy', 'accuracyM', 1],
    ['batt', 'batteryPct', 1],
  ] as const;
  for (const [field, key, factor] of numeric) {
    const text = p[field];
    if (text === undefined) continue;
    const value = number(text, field);
    if (typeof value !== 'number') drop(draft, value);
    else put(draft, key, value * factor, field);
  }

  if (p.charge !== undefined) {
    const charge = BOOLEANS[p.charge.toLowerCase()];
    if (charge === undefined) drop(draft, fail('charge', 'charge must be true or false'));
    else put(draft, 'charging', charge, 'charge');
  }
  put(draft, 'alarm', p.alarm, 'alarm');
  return draft;
}

function decodeJson(root: Record<string, unknown>, receivedAt: Date | undefined): Draft | Failure {
  const draft: Draft = { ok: true, values: {}, names: {}, dropped: [] };
  const id = root.device_id;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return fail('device_id', 'device_id is required');
  put(draft, 'deviceId', String(id).trim(), 'device_id');

  const location = root.location;
  if (!isObject(location)) return fail('location', 'location must be an object');
  const stamp = location.timestamp;
  if (stamp === undefined || stamp === null) {
    if (!receivedAt) return fail('location.timestamp', 'location.timestamp is required (ISO 8601)');
    put(draft, 'time', receivedAt, 'location.timestamp');
  } else {
    if (typeof stamp !== 'string' && typeof stamp !== 'number')
      return fail('location.timestamp', 'location.timestamp must be an ISO 8601 time');
    const time = parseTime(String(stamp).trim());
    if (time === undefined) {
      return fail('location.timestamp', `location.timestamp is not a valid time: ${quote(String(stamp))}`);
    }
    put(draft, 'time', time, 'location.timestamp');
  }

  const coords = location.coords;
  if (!isObject(coords)) return fail('location.coords', 'location.coords must be an object');
  const fields = [
    ['latitude', 'lat', true],
    ['longitude', 'lon', true],
    ['speed', 'speedMps', false],
    ['heading', 'bearingDeg', false],
    ['accuracy', 'accuracyM', false],
  ] as const;
  for (const [field, key, required] of fields) {
    const name = `location.coords.${field}`;
    const value = jsonNumber(coords[field], name);
    if (typeof value === 'object') {
      if (required) return value;
      drop(draft, value);
      continue;
    }
    if (value === undefined && required) return fail(name, `${name} is required`);
    // For the optional fields, -1 (any negative) is the platform's "unknown".
    if (value !== undefined && (required || value >= 0)) put(draft, key, value, name);
  }
  const altitude = jsonNumber(coords.altitude, 'location.coords.altitude');
  if (typeof altitude === 'object') drop(draft, altitude);
  else put(draft, 'altitudeM', altitude, 'location.coords.altitude');

  const battery = location.battery;
  if (isObject(battery)) {
    const level = jsonNumber(battery.level, 'location.battery.level');
    if (typeof level === 'object') drop(draft, level);
    else if (level !== undefined && level > 1) {
      drop(
        draft,
        fail('location.battery.level', 'location.battery.level must be from 0 to 1 (or -1 when unknown)'),
      );
    } else if (level !== undefined && level >= 0)
      put(draft, 'batteryPct', Math.round(level * 100), 'location.battery.level');
    const charging = battery.is_charging;
    if (charging !== undefined && charging !== null && typeof charging !== 'boolean') {
      drop(draft, fail('location.battery.is_charging', 'location.battery.is_charging must be true or false'));
    } else put(draft, 'charging', charging ?? undefined, 'location.battery.is_charging');
  }

  const extras = isObject(location.extras) ? location.extras : {};
  const alarm = location.alarm ?? extras.alarm;
  const alarmField = location.alarm != null ? 'location.alarm' : 'location.extras.alarm';
  if (alarm != null && typeof alarm !== 'string') return fail(alarmField, `${alarmField} must be text`);
  if (typeof alarm === 'string') put(draft, 'alarm', alarm.trim() || undefined, alarmField);
  return draft;
}

/** Validate against the contract; an auxiliary value out of range is dropped, any other refused, naming the
 * protocol field the bad value came from. */
function finish(draft: Draft | NoFix | Failure): OsmAndResult {
  if (!draft.ok || !('values' in draft)) return draft;
  for (;;) {
    const parsed = PositionReport.safeParse({ ...draft.values, source: 'osmand' });
    if (parsed.success) return { ok: true, report: parsed.data, dropped: draft.dropped };
    const issue = parsed.error.issues[0];
    const path = (issue?.path.join('.') ?? '') as Key;
    const field = draft.names[path] ?? (path || 'body');
    const failure = fail(field, `${field} is invalid: ${issue?.message ?? 'rejected'}${UNITS[path] ?? ''}`);
    if (!AUXILIARY.has(path) || !(path in draft.values)) return failure;
    delete draft.values[path];
    drop(draft, failure);
  }
}

function drop(draft: Draft, failure: Failure): void {
  draft.dropped.push({ field: failure.field, message: failure.message });
}

/** Epoch seconds, epoch milliseconds, or an ISO 8601 / `yyyy-MM-dd HH:mm:ss` time; no zone means UTC. */
function parseTime(text: string): Date | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) return undefined;
    return new Date(n < MAX_EPOCH_SECONDS ? n * 1000 : n);
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, , , , offsetH, offsetM] = m
    .slice(1)
    .map((s) => Number(s ?? 0));
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year ?? Number.NaN, (month ?? 0) - 1, day, hour, minute, second, ms);
  const check = new Date(utc);
  const exact =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === (month ?? 0) - 1 &&
    check.getUTCDate() === day &&
    (hour ?? 24) < 24 &&
    (minute ?? 60) < 60 &&
    (second ?? 60) < 60 &&
    (offsetH ?? 24) <= 18 &&
    (offsetM ?? 60) < 60;
  if (!exact) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  return new Date(utc - sign * ((offsetH ?? 0) * 60 + (offsetM ?? 0)) * 60_000);
}

function number(text: string, field: string): number | Failure {
  const value = NUMBER.test(text) ? Number(text) : Number.NaN;
  return Number.isFinite(value) ? value : fail(field, `${field} must be a number, got ${quote(text)}`);
}

function jsonNumber(value: unknown, field: string): number | undefined | Failure {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return number(value.trim(), field);
  return fail(field, `${field} must be a number`);
}

function put(draft: Draft, key: Key, value: unknown, field: string): void {
  if (value === undefined) return;
  draft.values[key] = value;
  draft.names[key] = field;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function fail(field: string, message: string): Failure {
  return { ok: false, field, message };
}
