import { XMLBuilder } from 'fast-xml-parser';
import type { Alert, AlertType } from '../../contract/alerts.ts';
import type { LatLon, Mode } from '../../contract/common.ts';
import type { Contact } from '../../contract/incidents.ts';
import type { Position } from '../../contract/positions.ts';
import { alertHeadline } from '../../domain/alerts.ts';
import { EXERCISE_PREFIX, notificationText } from '../../domain/mode.ts';
import { COT_NO_VALUE } from './parse.ts';

/**
 * Outgoing CoT, as ATAK and iTAK read it from a TAK server: an XML declaration, a newline, the event, and
 * nothing after `</event>` (commoncommo `protocol.txt`). Every event about the team carries its mode in
 * `opex` (`e` exercise, `o` operations) and exercise traffic says EXERCISE in its remarks.
 */
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** A member's marker stays live at least this long after it was sent, so a quiet member greys out, not vanishes. */
const MIN_SA_STALE_S = 30;
/** Hostile markers outlive the re-send on connect by far: they stay until the incident is closed. */
const HOSTILE_STALE_S = 3600;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  // Attribute values and text are escaped (&, <, >, ", ').
  processEntities: true,
});

type Xml = Record<string, unknown>;

/** ATAK's emergency type (EmergencyType.java) for each Howl alert. */
export const EMERGENCY_OF: Record<AlertType, { type: string; label: string }> = {
  sos: { type: 'b-a-o-tbl', label: '911 Alert' },
  missing: { type: 'b-a-o-tbl', label: '911 Alert' },
  man_down: { type: 'b-a-o-tbl', label: '911 Alert' },
  escalation: { type: 'b-a-o-pan', label: 'Ring The Bell' },
  contact: { type: 'b-a-o-opn', label: 'In Contact' },
  geofence: { type: 'b-a-g', label: 'Geo-fence Breached' },
  separation: { type: 'b-a-o-c', label: 'Custom' },
  no_report: { type: 'b-a-o-c', label: 'Custom' },
};

export const opexOf = (mode: Mode): string => (mode === 'exercise' ? 'e' : 'o');
export const memberUid = (memberId: string): string => `howl-${memberId}`;
export const alertUid = (alertId: string): string => `howl-alert-${alertId}`;
export const contactUid = (contactId: string): string => `howl-contact-${contactId}`;

export interface Envelope {
  uid: string;
  type: string;
  how: string;
  time: Date;
  stale: Date;
  mode?: Mode;
  point: { lat: number; lon: number; haeM?: number | null; ceM?: number | null };
  detail: Xml;
}

/** One outgoing event: declaration, attributes, point (CoT "no value" where unknown) and detail. */
export function event(e: Envelope): string {
  const iso = (d: Date) => d.toISOString();
  const value = (n: number | null | undefined) => (n === null || n === undefined ? COT_NO_VALUE : n);
  const xml = builder.build({
    event: {
      '@version': '2.0',
      '@uid': e.uid,
      '@type': e.type,
      '@how': e.how,
      '@time': iso(e.time),
      '@start': iso(e.time),
      '@stale': iso(e.stale),
      ...(e.mode && { '@opex': opexOf(e.mode) }),
      point: {
        '@lat': e.point.lat,
        '@lon': e.point.lon,
        '@hae': value(e.point.haeM),
        '@ce': value(e.point.ceM),
        '@le': COT_NO_VALUE,
      },
      detail: e.detail,
    },
  }) as string;
  return DECLARATION + xml;
}

const addS = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

/** A member's position as a friendly ground unit (`a-f-G-U-C`) with callsign, team colour and role. */
export function buildMemberSa(o: {
  position: Position;
  callsign: string;
  now: Date;
  staleS: number;
  group?: { name: string; role: string };
}): string {
  const p = o.position;
  const time = new Date(p.time);
  const stale = new Date(Math.max(addS(time, o.staleS).getTime(), addS(o.now, MIN_SA_STALE_S).getTime()));
  const group = o.group ?? { name: 'Cyan', role: 'Team Member' };
  const remarks = [
    p.mode === 'exercise' ? EXERCISE_PREFIX : '',
    `last report ${time.toISOString()} (${p.source})`,
  ];
  return event({
    uid: memberUid(p.memberId),
    type: 'a-f-G-U-C',
    how: p.source === 'field' || p.source === 'import' ? 'h-e' : 'm-g',
    time,
    stale,
    mode: p.mode,
    point: { lat: p.lat, lon: p.lon, haeM: p.altitude, ceM: p.accuracy },
    detail: {
      contact: { '@callsign': o.callsign },
      uid: { '@Droid': o.callsign },
      __group: { '@name': group.name, '@role': group.role },
      ...(p.battery !== null && { status: { '@battery': Math.round(p.battery) } }),
      ...((p.speed !== null || p.bearing !== null) && {
        track: { '@speed': p.speed ?? 0, '@course': p.bearing ?? 0 },
      }),
      remarks: remarks.filter(Boolean).join(' — '),
    },
  });
}

/** A hostile contact as a ground hostile marker (`a-h-G`); undefined when it has no position. */
export function buildHostile(o: { contact: Contact; mode: Mode; now: Date }): string | undefined {
  const c = o.contact;
  if (!c.position) return undefined;
  const active = c.count - c.withdrawn;
  const count = `${c.count} hostile${c.count === 1 ? '' : 's'} seen${c.withdrawn ? `, ${c.withdrawn} withdrawn` : ''}`;
  return event({
    uid: contactUid(c.id),
    type: 'a-h-G',
    how: 'h-g-i-g-o',
    time: new Date(c.updatedAt),
    stale: addS(o.now, HOSTILE_STALE_S),
    mode: o.mode,
    point: c.position,
    detail: {
      contact: { '@callsign': `HOSTILE x${active}` },
      remarks: notificationText(o.mode, [count, c.text].filter(Boolean).join(' — ')),
    },
  });
}

/** A Howl alert as the matching ATAK emergency, at `where` (the alert's position or the member's last known). */
export function buildEmergency(o: { alert: Alert; where: LatLon; now: Date; staleS: number }): string {
  const a = o.alert;
  const e = EMERGENCY_OF[a.type];
  // ATAK names the member in trouble inside <emergency>; for alerts about a member, that is the subject.
  const who = a.subject ?? a.sender;
  const headline = alertHeadline(a);
  return event({
    uid: alertUid(a.id),
    type: e.type,
    how: 'h-e',
    time: new Date(a.time),
    stale: addS(o.now, o.staleS),
    mode: a.mode,
    point: o.where,
    detail: {
      ...((a.subjectId ?? a.senderId) && {
        link: {
          '@uid': memberUid((a.subjectId ?? a.senderId) as string),
          '@type': 'a-f-G-U-C',
          '@relation': 'p-p',
        },
      }),
      contact: { '@callsign': `${who}-Alert` },
      emergency: { '@type': e.label, '#text': who },
      remarks: notificationText(a.mode, [headline, a.text].filter(Boolean).join(' — ')),
    },
  });
}

/** The end of an emergency (`b-a-o-can` under the same uid), so TAK clients take its marker down. */
export function buildEmergencyCancel(o: { alert: Alert; where: LatLon; now: Date }): string {
  const a = o.alert;
  const why = a.state === 'cancelled' ? `cancelled: ${a.cancelReason ?? ''}` : 'resolved';
  return event({
    uid: alertUid(a.id),
    type: 'b-a-o-can',
    how: 'h-e',
    time: o.now,
    stale: addS(o.now, 10),
    mode: a.mode,
    point: o.where,
    detail: {
      emergency: { '@cancel': 'true', '#text': a.subject ?? a.sender },
      remarks: notificationText(a.mode, `${alertHeadline(a)} — ${why}`),
    },
  });
}

const ZERO = { lat: 0, lon: 0 };

/** The answer to a client's keep-alive `t-x-c-t` (uid as TAK Server sends it). */
export function buildPong(now: Date): string {
  return event({
    uid: 'takPong',
    type: 't-x-c-t-r',
    how: 'm-g',
    time: now,
    stale: addS(now, 20),
    point: ZERO,
    detail: {},
  });
}

/** Declines TAK Protocol (protobuf) negotiation: the stream stays CoT XML, "version 0". */
export function buildProtocolDecline(uid: string, now: Date): string {
  return event({
    uid,
    type: 't-x-takp-r',
    how: 'm-g',
    time: now,
    stale: addS(now, 60),
    point: ZERO,
    detail: { TakControl: { TakResponse: { '@status': 'false' } } },
  });
}
