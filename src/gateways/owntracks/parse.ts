import { z } from 'zod';
import { Latitude, Longitude } from '../../contract/common.ts';

/**
 * Decoder for the JSON payloads OwnTracks apps publish over MQTT and POST in HTTP mode, after the booklet
 * (owntracks.org/booklet/tech/json) and what the apps really send (test/fixtures/owntracks). Howl uses:
 *
 * - `location`: `lat`, `lon`, `tst` required; `acc` (m), `alt` (m), `batt` (%), `bs` (battery status:
 *   0 unknown, 1 unplugged, 2 charging, 3 full), `vel` (km/h), `cog` (°), `tid`, `conn`, `t` (trigger);
 * - `transition`: a region (the app's own geofence) entered or left: `event` and `tst` required; `lat`, `lon`,
 *   `acc` where it happened, `desc` the region's name, `wtst` its creation time, `t` `c` circle, `b` beacon,
 *   `l` location update, `rid` its id;
 * - `waypoint`: one region the app defines (`desc` and `tst` required; `lat`, `lon`, `rad` for a circle, none
 *   for a beacon), and `waypoints`: the app's whole list of them;
 * - `lwt`: the broker's notice that it lost the app's connection.
 *
 * The other `_type`s of the booklet (card, cmd, configuration, status, steps, beacon, encrypted, …) are
 * recognised and reported as not supported, never as an error; a `_type` no app sends is an error. Old iOS versions send -1 for a `vel`, `cog`, `acc` or `batt` they cannot
 * tell: it means unknown. Numbers written as strings (`"tst":"1440363922"` in old lwt messages) are read.
 */

/** Largest payload accepted, in bytes (one MQTT message or one HTTP body). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface OwnTracksLocation {
  time: Date;
  lat: number;
  lon: number;
  accuracyM?: number;
  altitudeM?: number;
  speedMps?: number;
  bearingDeg?: number;
  batteryPct?: number;
  charging?: boolean;
  tid?: string;
  /** Connectivity when sent: `w` Wi-Fi, `m` mobile data, `o` offline. */
  conn?: string;
  /** What made the app report: `p` ping, `u` manual, `t` timer, `c` region, `r` on request, … */
  trigger?: string;
  /** The app's own topic, sent in HTTP mode (`owntracks/jane/phone`). */
  topic?: string;
}

export interface OwnTracksTransition {
  event: 'enter' | 'leave';
  time: Date;
  /** The region's name. */
  desc?: string;
  lat?: number;
  lon?: number;
  accuracyM?: number;
  trigger?: string;
  tid?: string;
  /** When the region was created (`wtst`). */
  regionTime?: Date;
  /** The region's id (`rid`). */
  rid?: string;
}

/** A region an app defines: a circle (`lat`, `lon`, `rad`), or a beacon without them. */
export interface OwnTracksWaypoint {
  desc: string;
  /** When the region was created (`tst`; the `wtst` of its transitions). */
  time: Date;
  lat?: number;
  lon?: number;
  radiusM?: number;
  rid?: string;
}

export type OwnTracksMessage =
  | { type: 'location'; location: OwnTracksLocation }
  | { type: 'transition'; transition: OwnTracksTransition }
  /** `waypoint`: one region (`replace` false); `waypoints`: the app's whole list (`replace` true). */
  | { type: 'waypoints'; waypoints: OwnTracksWaypoint[]; replace: boolean }
  | { type: 'lwt'; time?: Date }
  /** A `_type` Howl does not use; `messageType` says which. */
  | { type: 'unsupported'; messageType: string }
  /** A zero-length payload: a retained message being cleared, or a friend deleted in HTTP mode. */
  | { type: 'empty' };

export type OwnTracksParse =
  | { ok: true; message: OwnTracksMessage }
  | { ok: false; field: string; reason: string };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const Num = z
  .union([z.number(), z.string().trim().regex(NUMBER, 'expected a number').transform(Number)])
  .pipe(z.number().finite());
/** Epoch seconds; a value too large to be seconds is taken as milliseconds. */
const Epoch = Num.pipe(z.number().positive()).transform((n) => new Date(n >= 1e11 ? n : n * 1000));
/** A measurement where a negative value means unknown. */
const unknownBelowZero = (max: number) =>
  Num.transform((n) => (n < 0 ? undefined : n)).pipe(z.number().max(max).optional());
const Text = (max: number) => z.string().max(max);

const LocationBody = z.object({
  lat: Num.pipe(Latitude),
  lon: Num.pipe(Longitude),
  tst: Epoch,
  acc: unknownBelowZero(100_000).optional(),
  alt: Num.pipe(z.number().min(-1000).max(100_000)).optional(),
  batt: unknownBelowZero(100).optional(),
  bs: Num.pipe(z.number().int().min(0).max(3)).optional(),
  vel: unknownBelowZero(3600).optional(),
  cog: unknownBelowZero(360).optional(),
  tid: Text(32).optional(),
  conn: Text(32).optional(),
  t: Text(8).optional(),
  topic: Text(512).optional(),
});

const TransitionBody = z.object({
  event: z.enum(['enter', 'leave']),
  tst: Epoch,
  lat: Num.pipe(Latitude).optional(),
  lon: Num.pipe(Longitude).optional(),
  acc: unknownBelowZero(100_000).optional(),
  desc: Text(1000).optional(),
  t: Text(8).optional(),
  tid: Text(32).optional(),
  wtst: Epoch.optional(),
  rid: Text(64).optional(),
});

const WaypointBody = z.object({
  desc: z.string().trim().min(1, 'must not be empty').max(200),
  tst: Epoch,
  lat: Num.pipe(Latitude).optional(),
  lon: Num.pipe(Longitude).optional(),
  rad: Num.pipe(z.number().min(0).max(1_000_000)).optional(),
  rid: Text(64).optional(),
});

/** At most this many regions in one `waypoints` list. */
export const MAX_WAYPOINTS = 500;
const WaypointsBody = z.object({
  waypoints: z.array(z.record(z.string(), z.unknown())).max(MAX_WAYPOINTS),
});

/** The booklet's `_type`s that Howl does not use (and `status`, `request`: newer apps send them too). */
const KNOWN_UNUSED = new Set([
  'beacon',
  'card',
  'cmd',
  'configuration',
  'encrypted',
  'steps',
  'status',
  'request',
]);

const LwtBody = z.object({ tst: Epoch.optional() });

/** Decode one payload (raw bytes or text). Never throws. */
export function parseOwnTracks(payload: Uint8Array | string): OwnTracksParse {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (bytes > MAX_PAYLOAD_BYTES)
    return fail('payload', `payload is ${bytes} bytes; at most ${MAX_PAYLOAD_BYTES} are accepted`);
  const text = (typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')).trim();
  if (text === '') return { ok: true, message: { type: 'empty' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('payload', 'payload is not JSON');
  }
  return parseOwnTracksObject(json);
}

/** Decode an already parsed JSON value. */
export function parseOwnTracksObject(json: unknown): OwnTracksParse {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('payload', 'payload must be one JSON object with a `_type`');
  const o = withoutNulls(json);
  const type = o._type;
  if (typeof type !== 'string' || type === '')
    return fail('_type', '_type: missing (expected e.g. "location")');
  switch (type) {
    case 'location': {
      const r = LocationBody.safeParse(o);
      return r.success ? ok({ type: 'location', location: toLocation(r.data) }) : invalid(r.error);
    }
    case 'transition': {
      const r = TransitionBody.safeParse(o);
      if (!r.success) return invalid(r.error);
      const t = r.data;
      return ok({
        type: 'transition',
        transition: {
          event: t.event,
          time: t.tst,
          desc: t.desc,
          lat: t.lat,
          lon: t.lon,
          accuracyM: t.acc,
          trigger: t.t,
          tid: t.tid,
          regionTime: t.wtst,
          rid: t.rid,
        },
      });
    }
    case 'waypoint': {
      const r = WaypointBody.safeParse(o);
      return r.success
        ? ok({ type: 'waypoints', waypoints: [toWaypoint(r.data)], replace: false })
        : invalid(r.error);
    }
    case 'waypoints': {
      const list = WaypointsBody.safeParse(o);
      if (!list.success) return invalid(list.error);
      const waypoints: OwnTracksWaypoint[] = [];
      for (const [i, raw] of list.data.waypoints.entries()) {
        const w = WaypointBody.safeParse(withoutNulls(raw));
        if (!w.success) return invalid(w.error, `waypoints.${i}`);
        waypoints.push(toWaypoint(w.data));
      }
      return ok({ type: 'waypoints', waypoints, replace: true });
    }
    case 'lwt': {
      const r = LwtBody.safeParse(o);
      return r.success ? ok({ type: 'lwt', time: r.data.tst }) : invalid(r.error);
    }
    default:
      if (KNOWN_UNUSED.has(type)) return ok({ type: 'unsupported', messageType: type });
      return fail('_type', `_type: ${JSON.stringify(type.slice(0, 32))} is not an OwnTracks message type`);
  }
}

function toWaypoint(w: z.infer<typeof WaypointBody>): OwnTracksWaypoint {
  return { desc: w.desc, time: w.tst, lat: w.lat, lon: w.lon, radiusM: w.rad, rid: w.rid };
}

/** Some clients send null for what they do not know: the same as leaving the field out. */
function withoutNulls(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
}

function toLocation(l: z.infer<typeof LocationBody>): OwnTracksLocation {
  return {
    time: l.tst,
    lat: l.lat,
    lon: l.lon,
    accuracyM: l.acc,
    altitudeM: l.alt,
    speedMps: l.vel === undefined ? undefined : l.vel / 3.6,
    bearingDeg: l.cog,
    batteryPct: l.batt,
    // 2 charging, 3 full (still plugged in); 0 is unknown.
    charging: l.bs === undefined || l.bs === 0 ? undefined : l.bs >= 2,
    tid: l.tid,
    conn: l.conn,
    trigger: l.t,
    topic: l.topic,
  };
}

const ok = (message: OwnTracksMessage): OwnTracksParse => ({ ok: true, message });
const fail = (field: string, reason: string): OwnTracksParse => ({ ok: false, field, reason });

function invalid(error: z.ZodError, prefix?: string): OwnTracksParse {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = [prefix, path].filter(Boolean).join('.') || 'payload';
  const message = issue?.code === 'invalid_type' && issue.input === undefined ? 'required' : issue?.message;
  return fail(field, `${field}: ${message ?? 'invalid'}`);
}
