import { describe, expect, it } from 'vitest';
import { MALFORMED, NOT_POSITIONS, NOW, POSITIONS } from '../../../test/fixtures/aprs/captures.ts';
import { type AprsPacket, parseAprsLine } from './parse.ts';

const KMH_PER_MPS = 3.6;

function position(line: string, now = NOW): Extract<AprsPacket, { type: 'position' }> {
  const r = parseAprsLine(line, { now });
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  if (r.packet.type !== 'position') throw new Error(`not a position: ${r.packet.type}`);
  return r.packet;
}

describe('parseAprsLine: positions from other parsers’ test suites', () => {
  it.each(POSITIONS.map((f) => [`${f.name} (${f.source})`, f] as const))('decodes %s', (_, f) => {
    const p = position(f.line);
    expect(p.format).toBe(f.format);
    expect(p.source).toBe(f.line.slice(0, f.line.indexOf('>')).toUpperCase());
    // FAP's tests compare 4 decimals (5 with DAO): half a unit of the last one.
    expect(Math.abs(p.lat - f.lat)).toBeLessThan(0.00005);
    expect(Math.abs(p.lon - f.lon)).toBeLessThan(0.00005);
    if (f.speedKmh !== undefined) expect((p.speedMps ?? Number.NaN) * KMH_PER_MPS).toBeCloseTo(f.speedKmh, 1);
    if (f.courseDeg !== undefined) expect(p.courseDeg).toBe(f.courseDeg);
    if (f.altitudeM !== undefined) expect(p.altitudeM).toBeCloseTo(f.altitudeM, 0);
    if (f.time !== undefined) expect(p.time?.toISOString()).toBe(f.time);
    if (f.comment !== undefined) expect(p.comment).toBe(f.comment);
  });

  it('leaves time unset when the packet has none, and course unset for 000 and for Mic-E 0', () => {
    const still = position(POSITIONS[0]?.line ?? '');
    expect(still.time).toBeUndefined();
    expect(still.courseDeg).toBeUndefined();
    const mice = position("OH7LZB-13>SX15S6,TCPIP*,qAC,FOURTH:'I',l \x1C>/]");
    expect(mice.courseDeg).toBeUndefined();
    expect(mice.speedMps).toBe(0);
  });

  it('leaves a weather station’s wind out of its course and speed', () => {
    const wx = POSITIONS.find((f) => f.name.startsWith('weather station'));
    const p = position(wx?.line ?? '');
    expect(p.courseDeg).toBeUndefined();
    expect(p.speedMps).toBeUndefined();
  });

  it('reads CSE/SPD with an unknown part (aprslib test_position_packet_optional_speed)', () => {
    const p = position('A>B:@092345z4903.50N/07201.75W>090/...comment');
    expect(p.courseDeg).toBe(90);
    expect(p.speedMps).toBeUndefined();
    expect(p.comment).toBe('comment');
  });

  it('resolves an HMS time from late yesterday, and a DHM from last month', () => {
    const lateYesterday = position('G4EUM-9>APOTC1:/235900h5134.38N/00019.47W>', NOW);
    expect(lateYesterday.time?.toISOString()).toBe('2026-12-03T23:59:00.000Z');
    const lastMonth = position('G4EUM-9>APOTC1:@302359z5134.38N/00019.47W>', NOW);
    expect(lastMonth.time?.toISOString()).toBe('2026-11-30T23:59:00.000Z');
  });

  it('reads a local DHM timestamp in the zone it is given', () => {
    const r = parseAprsLine('G4EUM-9>APOTC1:/041130/5134.38N/00019.47W>', { now: NOW, localOffsetMin: 60 });
    expect(r.ok && r.packet.type === 'position' && r.packet.time?.toISOString()).toBe(
      '2026-12-04T10:30:00.000Z',
    );
  });

  it('upper-cases the source callsign', () => {
    expect(position('n0call-9>APRS:!6028.51N/02505.68E>').source).toBe('N0CALL-9');
  });
});

describe('parseAprsLine: status, messages and other types are recognised, not decoded', () => {
  it.each(NOT_POSITIONS.map((f) => [`${f.type}: ${f.source}`, f] as const))('%s', (_, f) => {
    const r = parseAprsLine(f.line, { now: NOW });
    expect(r.ok && r.packet.type).toBe(f.type);
  });

  it('reads a message’s addressee and text', () => {
    const r = parseAprsLine('OH7AA-1>APRS,WIDE1-1,WIDE2-2,qAo,OH7AA::OH7LZB   :Testing, 1 2 3{1', {
      now: NOW,
    });
    expect(r).toEqual({
      ok: true,
      packet: { type: 'message', source: 'OH7AA-1', addressee: 'OH7LZB', text: 'Testing, 1 2 3{1' },
    });
  });
});

describe('parseAprsLine: malformed lines are refused with a reason', () => {
  it.each(MALFORMED.map((f) => [f.source, f.line] as const))('%s', (_, line) => {
    const r = parseAprsLine(line, { now: NOW });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).not.toBe('');
  });

  it.each([
    ['latitude 91', 'N0CALL>APRS:!9100.00N/02505.68E>'],
    ['minutes 60', 'N0CALL>APRS:!6060.00N/02505.68E>'],
    ['longitude 181', 'N0CALL>APRS:!6028.51N/18100.00E>'],
    ['a space between digits', 'N0CALL>APRS:!60 8.51N/02505.68E>'],
    ['day 32', 'N0CALL>APRS:@321200z6028.51N/02505.68E>'],
    ['hour 24 in HMS', 'N0CALL>APRS:/240000h6028.51N/02505.68E>'],
    ['an unknown timestamp kind', 'N0CALL>APRS:@041030x6028.51N/02505.68E>'],
    ['a truncated position', 'N0CALL>APRS:!6028.51N/0250'],
    ['compressed with a character outside base 91', 'N0CALL>APRS:!/5L!~<*e7>7P['],
    ['a Mic-E destination that is not one', 'N0CALL>APRS:`c51!f?>/]'],
    ['a Mic-E body too short', 'N0CALL>TQ4W2V:`c51!'],
    ['a message without its addressee field', 'N0CALL>APRS::SHORT'],
  ])('refuses %s', (_, line) => {
    expect(parseAprsLine(line, { now: NOW }).ok).toBe(false);
  });

  it('never throws on arbitrary bytes', () => {
    for (let i = 0; i < 500; i++) {
      const junk = Array.from({ length: (i % 40) + 1 }, (_, j) =>
        String.fromCharCode((i * 31 + j * 17) % 256),
      );
      expect(() => parseAprsLine(`N0CALL>APRS:${junk.join('')}`, { now: NOW })).not.toThrow();
    }
  });
});
