import type { Mode } from '../../contract/common.ts';
import { readXmlTree } from './xml-tree.ts';

/**
 * One CoT `<event>` as Howl reads it. Types after ATAK-CIV (github.com/deptofdefense/AndroidTacticalAssaultKit-CIV):
 * `EmergencyType.java` for alarms, `commoncommo/core/impl/cotmessage.cpp` for ping and protocol negotiation,
 * the MITRE CoT base schema (`takcot/mitre`) for `opex` and the "no value" 9999999.
 */
export interface CotPoint {
  lat: number;
  lon: number;
  /** Height above the ellipsoid; absent when the client has none. */
  haeM?: number;
  /** Circular error (horizontal accuracy). */
  ceM?: number;
}

export interface CotEnvelope {
  uid: string;
  type: string;
  how?: string;
  time: Date;
  stale?: Date;
  /** The event's own statement of its mode (`opex`): absent means none was made. */
  opex?: Mode;
  callsign?: string;
  remarks?: string;
}

/** What an emergency asks of Howl: an SOS, a contact report, or the end of the sender's emergency. */
export type EmergencyKind = 'sos' | 'contact' | 'cancel';

export type CotMessage =
  | (CotEnvelope & {
      kind: 'position';
      point: CotPoint;
      group?: { name?: string; role?: string };
      speedMps?: number;
      courseDeg?: number;
      batteryPct?: number;
    })
  | (CotEnvelope & {
      kind: 'emergency';
      emergency: EmergencyKind;
      /** ATAK's name of the emergency: "911 Alert", "In Contact", … */
      label: string;
      /** The device that raised it: ATAK sends the alarm under `<uid>-9-1-1` with a `p-p` link to itself. */
      senderUid: string;
      point?: CotPoint;
      count?: number;
    })
  | (CotEnvelope & { kind: 'hostile'; point: CotPoint; count: number })
  | (CotEnvelope & {
      kind: 'chat';
      /** GeoChat: the sending device (the `p-p` link, else `chatgrp uid0`). */
      senderUid?: string;
      senderCallsign?: string;
      /** `__chat id`: "All Chat Rooms", a group, or the recipient's uid for a direct message. */
      roomId?: string;
      chatroom?: string;
      /** `__chat parent`: RootContactGroup, TeamGroups, UserGroups, … */
      parent?: string;
      messageId?: string;
      /** `remarks to`: the room, or the recipient's uid. */
      to?: string;
      point?: CotPoint;
      text: string;
    })
  | { kind: 'ping'; uid: string }
  | { kind: 'protocol'; uid: string; step: 'offer' | 'request'; versions: number[] }
  | { kind: 'ignored'; uid: string; type: string; reason: string }
  | { kind: 'invalid'; reason: string; uid?: string; type?: string };

/** CoT's "no value" for hae, ce and le. */
export const COT_NO_VALUE = 9_999_999;

const EMERGENCIES = new Map<string, { kind: EmergencyKind; label: string }>([
  ['b-a-o-tbl', { kind: 'sos', label: '911 Alert' }],
  ['b-a-o-pan', { kind: 'sos', label: 'Ring The Bell' }],
  ['b-a-o-opn', { kind: 'contact', label: 'In Contact' }],
  ['b-a-g', { kind: 'sos', label: 'Geo-fence Breached' }],
  ['b-a-o-c', { kind: 'sos', label: 'Custom' }],
  ['b-a-o-can', { kind: 'cancel', label: 'Cancel Alert' }],
]);

const MAX_TEXT = 2000;
const MAX_CALLSIGN = 64;

type Node = Record<string, unknown>;

/** Reads one `<event>` document. Never throws: malformed input is `invalid`, unknown types `ignored`. */
export function parseCotEvent(xml: string): CotMessage {
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml))
    return { kind: 'invalid', reason: 'DOCTYPE and entity declarations are refused' };
  // Entities stay as written (no DOCTYPE is honoured, nothing expanded): decodeXml handles the five
  // predefined ones and character references only.
  const doc = readXmlTree(xml);
  if (!doc) return { kind: 'invalid', reason: 'malformed XML' };
  const event = node(doc.event);
  if (!event) return { kind: 'invalid', reason: 'no <event> element' };
  const uid = attr(event, 'uid');
  const type = attr(event, 'type');
  if (!uid || !type) return { kind: 'invalid', reason: 'event: uid and type are required', uid, type };
  const detail = node(event.detail) ?? {};
  if (type === 't-x-c-t') return { kind: 'ping', uid };
  if (type === 't-x-takp-v' || type === 't-x-takp-q') return readProtocol(uid, type, detail);
  const envelope = readEnvelope(event, detail, uid, type);
  if (!envelope.time) return { kind: 'invalid', reason: 'event: time is missing or not a date', uid, type };
  const base = { ...envelope, time: envelope.time };
  const emergency = node(detail.emergency);
  const known = EMERGENCIES.get(type);
  if (known || (type.startsWith('b-a-') && emergency)) return readEmergency(base, event, detail, known);
  if (type.startsWith('a-f-')) return readPosition(base, event, detail);
  if (type.startsWith('a-h-')) {
    const point = readPoint(node(event.point));
    if (!point.ok) return { kind: 'invalid', reason: point.reason, uid, type };
    return { ...base, kind: 'hostile', point: point.point, count: hostileCount(base.remarks) ?? 1 };
  }
  if (type === 'b-t-f') return readChat(base, event, detail);
  return { kind: 'ignored', uid, type, reason: 'type not used by Howl' };
}

function readEnvelope(event: Node, detail: Node, uid: string, type: string) {
  const time = date(attr(event, 'time')) ?? date(attr(event, 'start'));
  const callsign = attr(node(detail.contact), 'callsign')?.slice(0, MAX_CALLSIGN);
  const remarks = text(detail.remarks)?.slice(0, MAX_TEXT);
  return {
    uid,
    type,
    how: attr(event, 'how'),
    time,
    stale: date(attr(event, 'stale')),
    opex: opexMode(attr(event, 'opex')),
    ...(callsign && { callsign }),
    ...(remarks && { remarks }),
  };
}

type Base = CotEnvelope & { time: Date };

function readPosition(base: Base, event: Node, detail: Node): CotMessage {
  const point = readPoint(node(event.point));
  if (!point.ok) return { kind: 'invalid', reason: point.reason, uid: base.uid, type: base.type };
  const track = node(detail.track);
  const group = node(detail.__group);
  const speed = num(attr(track, 'speed'));
  const course = num(attr(track, 'course'));
  const battery = num(attr(node(detail.status), 'battery'));
  return {
    ...base,
    kind: 'position',
    point: point.point,
    ...(group && { group: { name: attr(group, 'name'), role: attr(group, 'role') } }),
    // iTAK sends -1 for "unknown"; the positions contract caps speed at 1000 m/s.
    ...(speed !== undefined && speed >= 0 && speed <= 1000 && { speedMps: speed }),
    ...(course !== undefined && course >= 0 && course <= 360 && { courseDeg: course }),
    ...(battery !== undefined && battery >= 0 && battery <= 100 && { batteryPct: battery }),
  };
}

function readEmergency(
  base: Base,
  event: Node,
  detail: Node,
  known: { kind: EmergencyKind; label: string } | undefined,
): CotMessage {
  const emergency = node(detail.emergency);
  const label = attr(emergency, 'type') ?? known?.label ?? 'Emergency';
  const cancel = known?.kind === 'cancel' || attr(emergency, 'cancel')?.toLowerCase() === 'true';
  // "In Contact" is ATAK's label; "Troops In Contact" the one other TAK tools (node-cot) write.
  const kind: EmergencyKind = cancel
    ? 'cancel'
    : /in contact/i.test(label)
      ? 'contact'
      : (known?.kind ?? 'sos');
  const self = links(detail).find((l) => attr(l, 'relation') === 'p-p');
  // An alarm without a usable fix still counts: the SOS falls back to the member's last known position.
  const point = readPoint(node(event.point));
  const count = hostileCount(base.remarks);
  return {
    ...base,
    kind: 'emergency',
    emergency: kind,
    label: label.slice(0, 64),
    senderUid: attr(self, 'uid') ?? base.uid.replace(/-9-1-1$/, ''),
    ...(point.ok && { point: point.point }),
    ...(count !== undefined && { count }),
  };
}

/** GeoChat (ATAK `GeoChatService`, captures in test/fixtures/cot/captures.ts): the text is in `<remarks>`. */
function readChat(base: Base, event: Node, detail: Node): CotMessage {
  const chat = node(detail.__chat);
  const invalid = (reason: string): CotMessage => ({
    kind: 'invalid',
    reason,
    uid: base.uid,
    type: base.type,
  });
  if (!chat) return invalid('chat: <__chat> is missing');
  if (!base.remarks) return invalid('chat: <remarks> (the message text) is missing or empty');
  const self = links(detail).find((l) => attr(l, 'relation') === 'p-p');
  const senderCallsign = attr(chat, 'senderCallsign')?.slice(0, MAX_CALLSIGN);
  const messageId = attr(chat, 'messageId')?.slice(0, 128);
  const point = readPoint(node(event.point));
  return {
    ...base,
    kind: 'chat',
    senderUid: attr(self, 'uid') ?? attr(node(chat.chatgrp), 'uid0'),
    ...(senderCallsign && { senderCallsign }),
    roomId: attr(chat, 'id'),
    chatroom: attr(chat, 'chatroom'),
    parent: attr(chat, 'parent'),
    ...(messageId && { messageId }),
    to: attr(node(detail.remarks), 'to'),
    ...(point.ok && { point: point.point }),
    text: base.remarks,
  };
}

function readProtocol(uid: string, type: string, detail: Node): CotMessage {
  const control = node(detail.TakControl);
  const offer = type === 't-x-takp-v';
  const items = list(control?.[offer ? 'TakProtocolSupport' : 'TakRequest']);
  const versions = items
    .map((i) => num(attr(node(i), 'version')))
    .filter((v): v is number => v !== undefined);
  return { kind: 'protocol', uid, step: offer ? 'offer' : 'request', versions };
}

type PointResult = { ok: true; point: CotPoint } | { ok: false; reason: string };

/** A usable fix: finite, in range, not ATAK's "no fix yet" placeholder at 0,0. */
export function readPoint(p: Node | undefined): PointResult {
  if (!p) return { ok: false, reason: 'point: missing' };
  const lat = num(attr(p, 'lat'));
  const lon = num(attr(p, 'lon'));
  if (lat === undefined || lon === undefined)
    return { ok: false, reason: 'point: lat and lon must be numbers' };
  if (lat < -90 || lat > 90) return { ok: false, reason: `point: lat ${lat} is out of range` };
  if (lon < -180 || lon > 180) return { ok: false, reason: `point: lon ${lon} is out of range` };
  if (lat === 0 && lon === 0) return { ok: false, reason: 'point: 0,0 (no fix)' };
  const hae = measured(attr(p, 'hae'), -1000, 100_000);
  const ce = measured(attr(p, 'ce'), 0, 100_000);
  return {
    ok: true,
    point: { lat, lon, ...(hae !== undefined && { haeM: hae }), ...(ce !== undefined && { ceM: ce }) },
  };
}

/** How many hostiles a marker's remarks name: "x6", "6x", "6 pax", "6 hostiles". */
export function hostileCount(remarks: string | undefined): number | undefined {
  if (!remarks) return undefined;
  const m =
    remarks.match(/(?:^|[^\w])x\s?(\d{1,5})\b/i) ??
    remarks.match(/\b(\d{1,5})\s?(?:x|pax|pers(?:ons?)?|people|men|hostiles?|enem(?:y|ies)|tangos?)\b/i);
  const n = m ? Number(m[1]) : Number.NaN;
  return n >= 1 && n <= 10_000 ? n : undefined;
}

/** `o` operations → real; `e` exercise and `s` simulation → exercise; optionally followed by `-name`. */
export function opexMode(opex: string | undefined): Mode | undefined {
  const head = opex?.trim().toLowerCase().split('-')[0];
  if (head === 'o') return 'real';
  if (head === 'e' || head === 's') return 'exercise';
  return undefined;
}

function measured(value: string | undefined, min: number, max: number): number | undefined {
  const n = num(value);
  return n !== undefined && n !== COT_NO_VALUE && n >= min && n <= max ? n : undefined;
}

function links(detail: Node): Node[] {
  return list(detail.link).flatMap((l) => {
    const n = node(l);
    return n ? [n] : [];
  });
}

function node(v: unknown): Node | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return first !== null && typeof first === 'object' ? (first as Node) : undefined;
}

function list(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function attr(n: Node | undefined, name: string): string | undefined {
  const v = n?.[name];
  return typeof v === 'string' && v.trim() !== '' ? decodeXml(v.trim()) : undefined;
}

function text(v: unknown): string | undefined {
  const value = typeof v === 'string' ? v : node(v)?.['#text'];
  return typeof value === 'string' && value.trim() !== '' ? decodeXml(value.trim()) : undefined;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function date(v: string | undefined): Date | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; any other `&name;` stays as written. */
export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  });
}
