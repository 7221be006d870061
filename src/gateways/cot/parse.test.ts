import { describe, expect, it } from 'vitest';
import {
  ATAK_GEOCHAT,
  ATAK_SA_4_2,
  ATAK_SA_GEMINI,
  ATAK_SA_JAKAL,
  ATAK_SA_NO_FIX,
  atakCancel,
  atakEmergency,
  atakHostile,
  atakPing,
  ITAK_SA,
  takProtocolRequest,
  WINDOWS_SA_UTF16_DECLARED,
} from '../../../test/fixtures/cot/captures.ts';
import { decodeXml, hostileCount, opexMode, parseCotEvent } from './parse.ts';

const at = new Date('2026-05-01T10:00:00.000Z');

describe('parseCotEvent: SA positions', () => {
  it('reads an ATAK SA event relayed by a TAK server', () => {
    expect(parseCotEvent(ATAK_SA_GEMINI)).toEqual({
      kind: 'position',
      uid: 'ANDROID-48:5A:3F:49:93:24',
      type: 'a-f-G-U-C',
      how: 'h-e',
      time: new Date('2016-01-14T19:18:08.133Z'),
      stale: new Date('2016-01-14T19:24:23.133Z'),
      opex: undefined,
      callsign: 'GEMINI',
      point: { lat: 36.72459169511786, lon: -86.70106407887, haeM: 173.88848408788164 },
      group: { name: 'Cyan', role: 'Team Member' },
      speedMps: 0,
      courseDeg: 228.70356179340502,
      batteryPct: 100,
    });
  });

  it('keeps a measured circular error as accuracy', () => {
    expect(parseCotEvent(ATAK_SA_JAKAL)).toMatchObject({ kind: 'position', point: { ceM: 3 } });
    expect(parseCotEvent(ATAK_SA_4_2)).toMatchObject({
      kind: 'position',
      callsign: 'SPAC3SLOTH',
      point: { lat: 39.664392, lon: -76.675505, ceM: 11 },
      group: { name: 'Teal' },
      batteryPct: 76,
    });
  });

  it('reads an iTAK SA event (a-f-G-E-V-C, two-digit fractions)', () => {
    expect(parseCotEvent(ITAK_SA)).toMatchObject({
      kind: 'position',
      uid: 'C94B9215-9BD4-4DBE-BDE1-83625F09153F',
      time: new Date('2023-07-18T15:23:09.000Z'),
      callsign: 'DFPC-iSchmidt',
      point: { lat: 41.52309645, lon: -107.72376567, haeM: 1681.23725821 },
      courseDeg: 137.23542786,
      batteryPct: 100,
    });
  });

  it('ignores the encoding a client declares and reads what it sends', () => {
    expect(parseCotEvent(WINDOWS_SA_UTF16_DECLARED)).toMatchObject({
      kind: 'position',
      type: 'a-f-G-U-C-I',
      callsign: 'SkrienJ-LT',
      point: { haeM: 0 },
    });
  });

  it.each([
    ['0,0 before the first fix', ATAK_SA_NO_FIX, /no fix/],
    ['a latitude past the pole', ITAK_SA.replace('lat="41.52309645"', 'lat="91"'), /lat 91/],
    ['a longitude out of range', ITAK_SA.replace('lon="-107.72376567"', 'lon="-181"'), /lon -181/],
    ['NaN', ITAK_SA.replace('lat="41.52309645"', 'lat="NaN"'), /must be numbers/],
    ['no point', ITAK_SA.replace(/<point[^>]*>/, ''), /missing/],
  ])('refuses %s', (_name, xml, reason) => {
    const parsed = parseCotEvent(xml);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.reason).toMatch(reason);
  });

  it('leaves out what iTAK marks unknown (speed -1) and the CoT "no value"', () => {
    const xml = ITAK_SA.replace('speed="0.00000000"', 'speed="-1.0"').replace(
      'hae="1681.23725821"',
      'hae="9999999.0"',
    );
    const parsed = parseCotEvent(xml);
    expect(parsed).not.toHaveProperty('speedMps');
    expect(parsed.kind === 'position' && parsed.point).toEqual({ lat: 41.52309645, lon: -107.72376567 });
  });
});

describe('parseCotEvent: emergencies', () => {
  const base = { uid: 'ANDROID-abc', callsign: 'VIPER', lat: 46.5, lon: 7.9, at };

  it.each([
    ['b-a-o-tbl', '911 Alert', 'sos'],
    ['b-a-o-pan', 'Ring The Bell', 'sos'],
    ['b-a-g', 'Geo-fence Breached', 'sos'],
    ['b-a-o-c', 'Custom', 'sos'],
    ['b-a-o-opn', 'In Contact', 'contact'],
    ['b-a-o-opn', 'Troops In Contact', 'contact'],
  ] as const)('reads ATAK %s "%s" as %s, from the linked device', (type, label, kind) => {
    expect(parseCotEvent(atakEmergency({ ...base, type, label }))).toMatchObject({
      kind: 'emergency',
      emergency: kind,
      label,
      uid: 'ANDROID-abc-9-1-1',
      senderUid: 'ANDROID-abc',
      callsign: 'VIPER-Alert',
      point: { lat: 46.5, lon: 7.9, ceM: 6.5 },
    });
  });

  it('reads a cancel, finding the device from the -9-1-1 uid', () => {
    expect(parseCotEvent(atakCancel(base))).toMatchObject({
      kind: 'emergency',
      emergency: 'cancel',
      senderUid: 'ANDROID-abc',
    });
  });

  it('reads <emergency cancel="true"> as a cancel whatever the type', () => {
    const xml = atakEmergency({ ...base, type: 'b-a-o-tbl', label: '911 Alert' }).replace(
      "<emergency type='911 Alert'>",
      "<emergency cancel='true'>",
    );
    expect(parseCotEvent(xml)).toMatchObject({ kind: 'emergency', emergency: 'cancel' });
  });

  it('keeps an alarm without a fix, without a point', () => {
    const xml = atakEmergency({ ...base, type: 'b-a-o-tbl', label: '911 Alert', lat: 0, lon: 0 });
    const parsed = parseCotEvent(xml);
    expect(parsed).toMatchObject({ kind: 'emergency', emergency: 'sos' });
    expect(parsed).not.toHaveProperty('point');
  });

  it('reads opex', () => {
    const xml = atakEmergency({ ...base, type: 'b-a-o-tbl', label: '911 Alert', opex: 'e-SAREX' });
    expect(parseCotEvent(xml)).toMatchObject({ opex: 'exercise' });
  });
});

describe('parseCotEvent: other types', () => {
  it('reads a hostile marker, with a count from its remarks', () => {
    const xml = atakHostile({
      uid: 'm-1',
      parentUid: 'ANDROID-abc',
      parentCallsign: 'VIPER',
      lat: 46.6,
      lon: 7.8,
      remarks: 'x6 moving north',
      at,
    });
    expect(parseCotEvent(xml)).toMatchObject({
      kind: 'hostile',
      uid: 'm-1',
      count: 6,
      point: { lat: 46.6, lon: 7.8 },
    });
    const one = atakHostile({
      uid: 'm-2',
      parentUid: 'ANDROID-abc',
      parentCallsign: 'VIPER',
      lat: 46.6,
      lon: 7.8,
      at,
    });
    expect(parseCotEvent(one)).toMatchObject({ kind: 'hostile', count: 1 });
  });

  it('reads a ping, TAK Protocol negotiation and GeoChat', () => {
    expect(parseCotEvent(atakPing('ANDROID-abc'))).toEqual({ kind: 'ping', uid: 'ANDROID-abc-ping' });
    expect(parseCotEvent(takProtocolRequest())).toEqual({
      kind: 'protocol',
      uid: 'protouid',
      step: 'request',
      versions: [1],
    });
    expect(parseCotEvent(ATAK_GEOCHAT)).toMatchObject({
      kind: 'chat',
      senderUid: 'ANDROID-88:32:9B:40:EC:D0',
      chatroom: 'All Chat Rooms',
      text: 'Roger',
    });
  });

  it('ignores types Howl does not use', () => {
    const pin = ITAK_SA.replace('type="a-f-G-E-V-C"', 'type="b-m-p-s-p-i"');
    expect(parseCotEvent(pin)).toMatchObject({ kind: 'ignored', type: 'b-m-p-s-p-i' });
    expect(parseCotEvent(ITAK_SA.replace('type="a-f-G-E-V-C"', 'type="t-x-c-t-r"'))).toMatchObject({
      kind: 'ignored',
    });
    for (const type of ['constructor', '__proto__', 'toString']) {
      expect(parseCotEvent(ITAK_SA.replace('type="a-f-G-E-V-C"', `type="${type}"`))).toMatchObject({
        kind: 'ignored',
      });
    }
  });
});

describe('parseCotEvent: bad input', () => {
  it.each([
    ['truncated XML', ITAK_SA.slice(0, 200)],
    ['a mismatched end tag', ITAK_SA.replace('</detail>', '</detial>')],
    ['no uid', ITAK_SA.replace(/uid="C94B[^"]*"/, '')],
    ['not an event', '<foo uid="a" type="a-f-G"/>'],
    ['a bad time', ITAK_SA.replace(/time="[^"]*"/, 'time="yesterday"').replace(/start="[^"]*"/, '')],
  ])('refuses %s', (_name, xml) => {
    expect(parseCotEvent(xml).kind).toBe('invalid');
  });

  it('refuses a DOCTYPE and expands no entity', () => {
    const xxe = `<!DOCTYPE event [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${ITAK_SA.replace('DFPC-iSchmidt"', '&xxe;"')}`;
    expect(parseCotEvent(xxe)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/DOCTYPE/) });
    const undeclared = ITAK_SA.replace('callsign="DFPC-iSchmidt"', 'callsign="&xxe;&amp;&#65;"');
    expect(parseCotEvent(undeclared)).toMatchObject({ kind: 'position', callsign: '&xxe;&A' });
  });
});

describe('helpers', () => {
  it('maps opex: o real, e and s exercise, anything else no statement', () => {
    expect([opexMode('o'), opexMode('e'), opexMode('s-SIM'), opexMode('x'), opexMode(undefined)]).toEqual([
      'real',
      'exercise',
      'exercise',
      undefined,
      undefined,
    ]);
  });

  it.each([
    ['x6', 6],
    ['6 pax in the treeline', 6],
    ['approx 12x', 12],
    ['3 hostiles', 3],
    ['moving north', undefined],
    ['x0', undefined],
  ])('counts hostiles in "%s"', (remarks, n) => {
    expect(hostileCount(remarks)).toBe(n);
  });

  it('decodes the predefined entities and character references only', () => {
    expect(decodeXml('a &lt;b&gt; &amp;amp; &quot;&apos; &#x263A; &#9731; &nbsp; &#0;')).toBe(
      'a <b> &amp; "\' ☺ ☃ &nbsp; &#0;',
    );
  });
});
