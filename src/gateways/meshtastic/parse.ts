import { z } from 'zod';

/**
 * Where a gateway node published a packet: `<root>/<region…>/2/json/<channel>/<!gateway id>` (the region may
 * be several levels, `US/CA/Motherlode`, or none in firmware before 2.3). The encrypted protobuf topics
 * (`…/2/e/…`) are not read: Howl decodes JSON only.
 */
export interface MeshTopic {
  /** The region path between the root and `2`, '' when there is none. */
  region: string;
  channel: string;
  /** The gateway's node id, `!a1b2c3d4`. */
  gateway: string;
}

/** The firmware's JSON downlink channel: what is published there is Howl's (or another client's) to send. */
export const DOWNLINK_CHANNEL = 'mqtt';

const NODE_ID = /^![0-9a-f]{8}$/;

export function parseMeshTopic(root: string, topic: string): MeshTopic | undefined {
  if (!topic.startsWith(`${root}/`)) return undefined;
  const levels = topic.slice(root.length + 1).split('/');
  const n = levels.length;
  if (n < 4 || levels[n - 4] !== '2' || levels[n - 3] !== 'json') return undefined;
  const channel = levels[n - 2] ?? '';
  const gateway = (levels[n - 1] ?? '').toLowerCase();
  if (channel === '' || !NODE_ID.test(gateway)) return undefined;
  return { region: levels.slice(0, n - 4).join('/'), channel, gateway };
}

/** The node id the apps show for a node number: `!` and eight hex digits. */
export function nodeIdOf(num: number): string {
  return `!${(num >>> 0).toString(16).padStart(8, '0')}`;
}

/** The node number of a node id (`!a1b2c3d4`), if it is one. */
export function nodeNumOf(id: string): number | undefined {
  const lower = id.toLowerCase();
  return NODE_ID.test(lower) ? Number.parseInt(lower.slice(1), 16) : undefined;
}

// Firmware before 2.2.0 wrote node numbers signed ("to": -1 for broadcast); later ones unsigned.
const NodeNum = z
  .number()
  .int()
  .min(-2_147_483_648)
  .max(4_294_967_295)
  .transform((n) => n >>> 0);
const Count = z.number().finite().min(0);

const Envelope = z.object({
  id: z.number().int().optional(),
  from: NodeNum,
  to: NodeNum.optional(),
  channel: z.number().int().min(0).max(7).optional(),
  type: z.string(),
  sender: z.string().optional(),
  timestamp: z.number().int().min(0).optional(),
  payload: z.unknown().optional(),
});

const PositionPayload = z.object({
  latitude_i: z.number().int().min(-900_000_000).max(900_000_000),
  longitude_i: z.number().int().min(-1_800_000_000).max(1_800_000_000),
  altitude: z.number().int().optional(),
  time: z.number().int().min(0).optional(),
  timestamp: z.number().int().min(0).optional(),
  ground_speed: Count.optional(),
  ground_track: Count.optional(),
  sats_in_view: Count.optional(),
  PDOP: Count.optional(),
  HDOP: Count.optional(),
  precision_bits: z.number().int().min(0).max(32).optional(),
});

const TextPayload = z.object({ text: z.string() });

const NodeInfoPayload = z.object({
  id: z.string().optional(),
  longname: z.string().optional(),
  shortname: z.string().optional(),
  hardware: z.number().int().optional(),
});

const TelemetryPayload = z.object({
  battery_level: z.number().finite().optional(),
  voltage: z.number().finite().optional(),
});

export interface MeshPosition {
  lat: number;
  lon: number;
  altitudeM?: number;
  /** When the node took the fix; absent when it has no clock (stored at the time of receipt). */
  time?: Date;
  speedMps?: number;
  bearingDeg?: number;
  /** Metres, from `precision_bits` (a position deliberately blurred) or from the DOP. */
  accuracyM?: number;
  sats?: number;
}

export type MeshPayload =
  | { type: 'position'; position: MeshPosition }
  | { type: 'text'; text: string }
  | { type: 'nodeinfo'; longName?: string; shortName?: string }
  | { type: 'telemetry'; batteryPct?: number; voltage?: number }
  | { type: 'other'; messageType: string };

export interface MeshPacket {
  /** The packet id, with `from` the key of a packet heard by several gateways. */
  id?: number;
  from: number;
  /** The gateway's own node id as it wrote it (`sender`). */
  sender?: string;
  body: MeshPayload;
}

export type MeshParse = { ok: true; packet: MeshPacket } | { ok: false; field: string; reason: string };

/** Reads one JSON message of the firmware's serializer (MeshPacketSerializer.cpp); never throws. */
export function parseMeshPacket(payload: Uint8Array): MeshParse {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return { ok: false, field: '(body)', reason: 'not JSON' };
  }
  const env = Envelope.safeParse(json);
  if (!env.success) return refused(env.error);
  const e = env.data;
  const head = { id: e.id, from: e.from, sender: e.sender };
  switch (e.type) {
    case 'position': {
      const p = PositionPayload.safeParse(e.payload);
      if (!p.success) return refused(p.error, 'payload');
      return { ok: true, packet: { ...head, body: { type: 'position', position: toPosition(p.data) } } };
    }
    case 'text': {
      // A text that is itself JSON is inlined by the firmware as an object: not a message for people.
      const t = TextPayload.safeParse(e.payload);
      if (!t.success) return refused(t.error, 'payload');
      return { ok: true, packet: { ...head, body: { type: 'text', text: t.data.text } } };
    }
    case 'nodeinfo': {
      const n = NodeInfoPayload.safeParse(e.payload);
      if (!n.success) return refused(n.error, 'payload');
      const body = { type: 'nodeinfo' as const, longName: n.data.longname, shortName: n.data.shortname };
      return { ok: true, packet: { ...head, body } };
    }
    case 'telemetry': {
      const t = TelemetryPayload.safeParse(e.payload);
      if (!t.success) return refused(t.error, 'payload');
      // Device metrics report 101 while on external power; environment sensors send no battery.
      const b = t.data.battery_level;
      const batteryPct = b !== undefined && b >= 0 ? Math.min(100, b) : undefined;
      return {
        ok: true,
        packet: { ...head, body: { type: 'telemetry', batteryPct, voltage: t.data.voltage } },
      };
    }
    default:
      return { ok: true, packet: { ...head, body: { type: 'other', messageType: e.type } } };
  }
}

function toPosition(p: z.infer<typeof PositionPayload>): MeshPosition {
  const lat = p.latitude_i * 1e-7;
  const lon = p.longitude_i * 1e-7;
  const t = p.time ?? p.timestamp;
  // PDOP and HDOP come in hundredths; a DOP of 1 is about 5 m for a consumer GPS.
  const dop = p.HDOP ?? p.PDOP;
  const fromDop = dop !== undefined && dop > 0 ? (dop / 100) * 5 : undefined;
  return {
    lat: round7(lat),
    lon: round7(lon),
    altitudeM: p.altitude,
    time: t !== undefined && t > 0 ? new Date(t * 1000) : undefined,
    speedMps: p.ground_speed,
    bearingDeg: p.ground_track !== undefined ? normaliseTrack(p.ground_track) : undefined,
    accuracyM: precisionM(p.precision_bits) ?? fromDop,
    sats: p.sats_in_view,
  };
}

/**
 * The blur of a position sent with `precision_bits` (the firmware keeps that many high bits of each
 * coordinate): half the cell it rounds to, in metres. 32 (or 0, unset) is full precision.
 */
export function precisionM(bits: number | undefined): number | undefined {
  if (bits === undefined || bits <= 0 || bits >= 32) return undefined;
  const cellDeg = 2 ** (32 - bits) * 1e-7;
  return Math.round((cellDeg * 111_320) / 2);
}

/** Firmware writes `ground_track` in 1e-5 degrees on recent versions, degrees on older ones. */
function normaliseTrack(track: number): number | undefined {
  const deg = track > 360 ? track / 1e5 : track;
  return deg >= 0 && deg <= 360 ? deg : undefined;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function refused(err: z.ZodError, prefix?: string): MeshParse {
  const issue = err.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return { ok: false, field: path || '(body)', reason: issue?.message ?? 'invalid' };
}
