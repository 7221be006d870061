import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../contract/alerts.ts';
import type { Contact } from '../../contract/incidents.ts';
import type { Position } from '../../contract/positions.ts';
import {
  buildEmergency,
  buildEmergencyCancel,
  buildHostile,
  buildMemberSa,
  buildPong,
  buildProtocolDecline,
} from './build.ts';
import { parseCotEvent } from './parse.ts';

const now = new Date('2026-05-01T10:00:00.000Z');
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const raw = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: false });
/** Parsed XML as tests walk it: leaves are strings at run time. */
interface XmlTree {
  [key: string]: XmlTree;
}
const eventOf = (xml: string) => (raw.parse(xml) as { event: XmlTree }).event;

const position = (over: Partial<Position> = {}): Position => ({
  memberId: '11111111-1111-4111-8111-111111111111',
  time: '2026-05-01T09:59:50.000Z',
  lat: 46.55,
  lon: 7.98,
  accuracy: 4,
  altitude: 1500,
  speed: 1.2,
  bearing: 270,
  battery: 81,
  alarm: null,
  source: 'osmand',
  mode: 'real',
  ...over,
});

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: '22222222-2222-4222-8222-222222222222',
  type: 'sos',
  mode: 'real',
  state: 'active',
  operationId: null,
  senderId: '11111111-1111-4111-8111-111111111111',
  sender: 'VIPER',
  subjectId: null,
  subject: null,
  time: '2026-05-01T09:59:00.000Z',
  position: { lat: 46.5, lon: 7.9 },
  count: null,
  direction: null,
  text: 'fell <into> a "crevasse" & hurt',
  acknowledgements: [],
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
  ...over,
});

describe('every built event', () => {
  const all = [
    buildMemberSa({ position: position(), callsign: 'VIPER', now, staleS: 300 }),
    buildEmergency({ alert: alert(), where: { lat: 46.5, lon: 7.9 }, now, staleS: 25 }),
    buildEmergencyCancel({ alert: alert({ state: 'cancelled' }), where: { lat: 46.5, lon: 7.9 }, now }),
    buildPong(now),
    buildProtocolDecline('protouid', now),
  ];

  it.each(all.map((xml) => [xml.slice(60, 120), xml]))(
    'is one valid event after a declaration: %s',
    (_n, xml) => {
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<event ')).toBe(true);
      expect(xml.endsWith('</event>')).toBe(true);
      expect(XMLValidator.validate(xml)).toBe(true);
      const e = eventOf(xml);
      for (const k of ['time', 'start', 'stale']) expect(e[k]).toMatch(ISO_MS);
    },
  );
});

describe('buildMemberSa', () => {
  it('sends a member as a friendly ground unit with callsign, group, track and battery', () => {
    const xml = buildMemberSa({ position: position(), callsign: 'VIPER', now, staleS: 300 });
    const e = eventOf(xml);
    expect(e).toMatchObject({
      uid: 'howl-11111111-1111-4111-8111-111111111111',
      type: 'a-f-G-U-C',
      how: 'm-g',
      opex: 'o',
      time: '2026-05-01T09:59:50.000Z',
      stale: '2026-05-01T10:04:50.000Z',
      point: { lat: '46.55', lon: '7.98', hae: '1500', ce: '4', le: '9999999' },
    });
    expect(e.detail).toMatchObject({
      contact: { callsign: 'VIPER' },
      __group: { name: 'Cyan', role: 'Team Member' },
      track: { speed: '1.2', course: '270' },
      status: { battery: '81' },
    });
    expect(e.detail?.remarks).not.toMatch(/EXERCISE/);
    expect(parseCotEvent(xml)).toMatchObject({ kind: 'position', callsign: 'VIPER', opex: 'real' });
  });

  it('marks exercise traffic with opex="e" and EXERCISE in the remarks', () => {
    const e = eventOf(
      buildMemberSa({ position: position({ mode: 'exercise' }), callsign: 'V', now, staleS: 300 }),
    );
    expect(e.opex).toBe('e');
    expect(e.detail?.remarks).toMatch(/^EXERCISE EXERCISE EXERCISE/);
  });

  it('keeps an old position live a little while rather than sending it already stale', () => {
    const old = position({ time: '2026-05-01T08:00:00.000Z', accuracy: null, altitude: null });
    const e = eventOf(buildMemberSa({ position: old, callsign: 'V', now, staleS: 300 }));
    expect(e.stale).toBe('2026-05-01T10:00:30.000Z');
    expect(e.point).toMatchObject({ hae: '9999999', ce: '9999999' });
  });

  it('escapes what members type', () => {
    const xml = buildMemberSa({ position: position(), callsign: 'A&B <"x">', now, staleS: 60 });
    expect(xml).toContain('callsign="A&amp;B &lt;&quot;x&quot;&gt;"');
    expect(parseCotEvent(xml)).toMatchObject({ callsign: 'A&B <"x">' });
  });
});

describe('buildEmergency', () => {
  it("sends an SOS as ATAK's 911 Alert, naming the sender, with the headline in the remarks", () => {
    const xml = buildEmergency({ alert: alert(), where: { lat: 46.5, lon: 7.9 }, now, staleS: 25 });
    const e = eventOf(xml);
    expect(e).toMatchObject({
      uid: 'howl-alert-22222222-2222-4222-8222-222222222222',
      type: 'b-a-o-tbl',
      opex: 'o',
    });
    expect(e.stale).toBe('2026-05-01T10:00:25.000Z');
    expect(e.detail?.emergency).toEqual({ type: '911 Alert', '#text': 'VIPER' });
    expect(e.detail?.link).toMatchObject({
      uid: 'howl-11111111-1111-4111-8111-111111111111',
      relation: 'p-p',
    });
    expect(e.detail?.remarks).toContain('REAL — NOT A DRILL — SOS from VIPER — fell &lt;into&gt;');
    expect(parseCotEvent(xml)).toMatchObject({
      kind: 'emergency',
      emergency: 'sos',
      label: '911 Alert',
      opex: 'real',
    });
  });

  it.each([
    ['contact', 'b-a-o-opn', 'In Contact'],
    ['escalation', 'b-a-o-pan', 'Ring The Bell'],
    ['geofence', 'b-a-g', 'Geo-fence Breached'],
    ['man_down', 'b-a-o-tbl', '911 Alert'],
    ['separation', 'b-a-o-c', 'Custom'],
  ] as const)('sends a %s alert as %s', (type, cot, label) => {
    const e = eventOf(
      buildEmergency({
        alert: alert({ type, mode: 'exercise' }),
        where: { lat: 1, lon: 2 },
        now,
        staleS: 25,
      }),
    );
    expect(e).toMatchObject({ type: cot, opex: 'e' });
    expect(e.detail?.emergency?.type).toBe(label);
    expect(e.detail?.remarks).toMatch(/^EXERCISE EXERCISE EXERCISE/);
  });

  it('cancels under the same uid', () => {
    const xml = buildEmergencyCancel({
      alert: alert({ state: 'cancelled', cancelReason: 'false alarm' }),
      where: { lat: 1, lon: 2 },
      now,
    });
    expect(eventOf(xml)).toMatchObject({
      uid: 'howl-alert-22222222-2222-4222-8222-222222222222',
      type: 'b-a-o-can',
    });
    expect(parseCotEvent(xml)).toMatchObject({ kind: 'emergency', emergency: 'cancel' });
  });
});

describe('buildHostile', () => {
  const contact = (over: Partial<Contact> = {}): Contact => ({
    id: '33333333-3333-4333-8333-333333333333',
    operationId: null,
    count: 6,
    withdrawn: 2,
    position: { lat: 46.6, lon: 7.7 },
    direction: null,
    text: 'in the treeline',
    reportedBy: '11111111-1111-4111-8111-111111111111',
    time: '2026-05-01T09:58:00.000Z',
    updatedAt: '2026-05-01T09:59:00.000Z',
    ...over,
  });

  it('sends a hostile ground marker with the count in callsign and remarks', () => {
    const xml = buildHostile({ contact: contact(), mode: 'real', now }) as string;
    const e = eventOf(xml);
    expect(e).toMatchObject({
      uid: 'howl-contact-33333333-3333-4333-8333-333333333333',
      type: 'a-h-G',
      opex: 'o',
    });
    expect(e.detail?.contact?.callsign).toBe('HOSTILE x4');
    expect(e.detail?.remarks).toBe('REAL — NOT A DRILL — 6 hostiles seen, 2 withdrawn — in the treeline');
    expect(parseCotEvent(xml)).toMatchObject({ kind: 'hostile', count: 6 });
  });

  it('sends nothing for a contact without a position', () => {
    expect(buildHostile({ contact: contact({ position: null }), mode: 'real', now })).toBeUndefined();
  });
});

describe('protocol answers', () => {
  it('answers a ping with t-x-c-t-r and declines protobuf with a false TakResponse', () => {
    expect(eventOf(buildPong(now))).toMatchObject({ type: 't-x-c-t-r', uid: 'takPong' });
    const decline = eventOf(buildProtocolDecline('protouid', now));
    expect(decline).toMatchObject({ type: 't-x-takp-r', uid: 'protouid' });
    expect(decline.detail?.TakControl?.TakResponse?.status).toBe('false');
  });
});
