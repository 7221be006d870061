import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/contract/alerts.ts';
import { Mode } from '../src/contract/common.ts';
import type { Contact } from '../src/contract/incidents.ts';
import type { Position } from '../src/contract/positions.ts';
import {
  alertUid,
  buildEmergency,
  buildEmergencyCancel,
  buildHostile,
  buildMemberSa,
  buildPong,
  contactUid,
  memberUid,
} from '../src/gateways/cot/build.ts';

/**
 * Howl's outgoing CoT read by an independent parser: node-CoT (@tak-ps/node-cot, the CoT library of the
 * TAK tooling at github.com/dfpc-coe/node-CoT), which checks each event against its CoT XML schema when it
 * reads it and throws on a missing or malformed part. Pinned at 12.23.0, its last release that runs on
 * Node 20 (later ones declare `engines: node >= 22`). It ships no type declarations: the part used here is
 * typed below.
 */

type Attrs = Record<string, string>;
interface NodeCot {
  raw: {
    event: {
      _attributes: Attrs;
      point: { _attributes: Attrs };
      detail: Record<string, { _attributes?: Attrs; _text?: string } | undefined>;
    };
  };
  uid(): string;
  callsign(): string;
  position(): [number, number];
}
const specifier = '@tak-ps/node-cot';
const { default: CoT } = (await import(specifier)) as { default: new (xml: string) => NodeCot };

const now = new Date('2026-11-25T16:00:00.000Z');

const position = (over: Partial<Position> = {}): Position => ({
  memberId: 'a5b0e0a2-7f43-4a39-9d43-1f6f2b8f8d11',
  time: '2026-11-25T15:59:30.000Z',
  lat: 45.52,
  lon: -122.67,
  accuracy: 4.5,
  altitude: 51.2,
  speed: 1.5,
  bearing: 271,
  battery: 63,
  alarm: null,
  source: 'osmand',
  mode: 'real',
  ...over,
});

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: '0e0c4f6c-1c6a-4a53-9a5e-9d8c1f00aa01',
  type: 'sos',
  mode: 'real',
  state: 'active',
  operationId: null,
  senderId: 'a5b0e0a2-7f43-4a39-9d43-1f6f2b8f8d11',
  sender: 'VIPER',
  subjectId: null,
  subject: null,
  time: '2026-11-25T15:59:50.000Z',
  position: { lat: 45.5, lon: -122.6 },
  count: null,
  direction: null,
  text: 'fell into the ravine',
  acknowledgements: [],
  cancelledBy: null,
  cancelledAt: null,
  cancelReason: null,
  ...over,
});

const contact: Contact = {
  id: '7d1b8f0e-2a4c-4f3e-8b1a-5c6d7e8f9a0b',
  operationId: null,
  count: 3,
  withdrawn: 1,
  position: { lat: 45.53, lon: -122.68 },
  direction: 'north-east, 200 m',
  text: 'treeline & <ridge>',
  reportedBy: 'a5b0e0a2-7f43-4a39-9d43-1f6f2b8f8d11',
  time: '2026-11-25T15:58:00.000Z',
  updatedAt: '2026-11-25T15:59:00.000Z',
};

/** Parses with node-CoT (which validates) and returns what it read. */
function read(xml: string) {
  const cot = new CoT(xml);
  const e = cot.raw.event;
  return {
    cot,
    attrs: e._attributes,
    point: {
      lat: Number(e.point._attributes.lat),
      lon: Number(e.point._attributes.lon),
      hae: Number(e.point._attributes.hae),
      ce: Number(e.point._attributes.ce),
    },
    detail: e.detail,
  };
}

describe('Howl’s outgoing CoT, read by node-CoT', () => {
  it.each(Mode.options)('keeps a %s member position: type, uid, point, opex, how, callsign', (mode) => {
    const p = position({ mode });
    const { cot, attrs, point, detail } = read(
      buildMemberSa({ position: p, callsign: 'VIPER', now, staleS: 120 }),
    );
    expect(cot.uid()).toBe(memberUid(p.memberId));
    expect(attrs).toMatchObject({ type: 'a-f-G-U-C', how: 'm-g', opex: mode === 'real' ? 'o' : 'e' });
    expect(attrs.time).toBe(p.time);
    expect(point).toEqual({ lat: 45.52, lon: -122.67, hae: 51.2, ce: 4.5 });
    expect(cot.position()).toEqual([-122.67, 45.52]);
    expect(cot.callsign()).toBe('VIPER');
    expect(detail.__group?._attributes).toEqual({ name: 'Cyan', role: 'Team Member' });
    expect(detail.status?._attributes?.battery).toBe('63');
    expect(detail.track?._attributes).toEqual({ speed: '1.5', course: '271' });
    if (mode === 'exercise') expect(detail.remarks?._text).toMatch(/^EXERCISE EXERCISE EXERCISE/);
    else expect(detail.remarks?._text).not.toMatch(/EXERCISE/);
  });

  it('keeps a field-page position as human-entered (h-e) and unknown altitude/accuracy as CoT’s no-value', () => {
    const p = position({ source: 'field', altitude: null, accuracy: null });
    const { attrs, point } = read(buildMemberSa({ position: p, callsign: 'VIPER', now, staleS: 120 }));
    expect(attrs.how).toBe('h-e');
    expect(point.hae).toBe(9999999);
    expect(point.ce).toBe(9999999);
  });

  it.each(Mode.options)('keeps a %s hostile marker, its escaped remarks intact', (mode) => {
    const xml = buildHostile({ contact, mode, now });
    expect(xml).toBeDefined();
    const { cot, attrs, point, detail } = read(xml ?? '');
    expect(cot.uid()).toBe(contactUid(contact.id));
    expect(attrs).toMatchObject({ type: 'a-h-G', how: 'h-g-i-g-o', opex: mode === 'real' ? 'o' : 'e' });
    expect(point).toMatchObject({ lat: 45.53, lon: -122.68 });
    expect(cot.callsign()).toBe('HOSTILE x2');
    expect(detail.remarks?._text).toContain('treeline & <ridge>');
    expect(detail.remarks?._text?.startsWith('EXERCISE')).toBe(mode === 'exercise');
  });

  it.each([
    ['a real SOS', alert(), 'b-a-o-tbl', '911 Alert', 'o', 'VIPER'],
    [
      'an exercise contact',
      alert({ type: 'contact', mode: 'exercise', count: 3, text: '' }),
      'b-a-o-opn',
      'In Contact',
      'e',
      'VIPER',
    ],
    [
      'a real man-down about another member',
      alert({
        type: 'man_down',
        senderId: null,
        sender: 'HOWL',
        subjectId: 'm2',
        subject: 'BRAVO',
        text: '',
      }),
      'b-a-o-tbl',
      '911 Alert',
      'o',
      'BRAVO',
    ],
    [
      'an exercise geofence alert',
      alert({
        type: 'geofence',
        mode: 'exercise',
        senderId: null,
        sender: 'HOWL',
        subjectId: 'm2',
        subject: 'BRAVO',
      }),
      'b-a-g',
      'Geo-fence Breached',
      'e',
      'BRAVO',
    ],
  ] as const)(
    'keeps %s as an emergency: type, uid, point, opex, callsign and <emergency>',
    (_name, a, type, label, opex, who) => {
      const where = a.position ?? { lat: 0, lon: 0 };
      const { cot, attrs, point, detail } = read(buildEmergency({ alert: a, where, now, staleS: 60 }));
      expect(cot.uid()).toBe(alertUid(a.id));
      expect(attrs).toMatchObject({ type, how: 'h-e', opex });
      expect(point).toMatchObject(where);
      expect(cot.callsign()).toBe(`${who}-Alert`);
      expect(detail.emergency).toEqual({ _attributes: { type: label }, _text: who });
      expect(detail.link?._attributes).toMatchObject({ relation: 'p-p', type: 'a-f-G-U-C' });
      const remarks = detail.remarks?._text ?? '';
      expect(remarks.startsWith(opex === 'e' ? 'EXERCISE EXERCISE EXERCISE' : 'REAL — NOT A DRILL')).toBe(
        true,
      );
    },
  );

  it.each(Mode.options)('keeps the cancel of a %s emergency under the same uid', (mode) => {
    const a = alert({
      mode,
      state: 'cancelled',
      cancelledAt: now.toISOString(),
      cancelReason: 'false alarm',
    });
    const { cot, attrs, detail } = read(
      buildEmergencyCancel({ alert: a, where: { lat: 45.5, lon: -122.6 }, now }),
    );
    expect(cot.uid()).toBe(alertUid(a.id));
    expect(attrs).toMatchObject({ type: 'b-a-o-can', opex: mode === 'real' ? 'o' : 'e' });
    expect(detail.emergency).toEqual({ _attributes: { cancel: 'true' }, _text: 'VIPER' });
    expect(detail.remarks?._text).toContain('cancelled: false alarm');
  });

  it('keeps the pong: uid, type and the 0,0 point', () => {
    const { cot, attrs, point } = read(buildPong(now));
    expect(cot.uid()).toBe('takPong');
    expect(attrs).toMatchObject({ type: 't-x-c-t-r', how: 'm-g', time: now.toISOString() });
    expect(point).toMatchObject({ lat: 0, lon: 0 });
  });

  it('is a parser that refuses what is not CoT (so the checks above mean something)', () => {
    expect(
      () => new CoT('<event version="2.0" uid="x" type="a-f-G" how="m-g" time="t" start="t" stale="t"/>'),
    ).toThrow(/point/);
  });
});
