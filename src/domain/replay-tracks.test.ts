import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destination, distanceM } from './geo.ts';
import {
  distanceSeries,
  fixIndexAt,
  type MemberTrack,
  packFixes,
  pointAt,
  sampleStepMs,
  type TrackFix,
  tailLine,
  tailStart,
  toUnits,
  unpackTracks,
} from './replay-tracks.ts';

const T0 = Date.parse('2026-11-25T16:00:00Z');
const BASE = { lat: 45.5231, lon: -122.6765 };

const track = (memberId: string, fixes: ReadonlyArray<[number, number, number]>): MemberTrack => ({
  memberId,
  t: fixes.map((f) => f[0]),
  lat: fixes.map((f) => f[1]),
  lon: fixes.map((f) => f[2]),
});

describe('packing tracks for the wire', () => {
  it('sends deltas: the first time from t0 and the first coordinates whole, then differences', () => {
    const packed = packFixes(T0, [
      { memberId: 'a', timeMs: T0 + 500, lat: 45.5231, lon: -122.6765 },
      { memberId: 'a', timeMs: T0 + 1500, lat: 45.523112, lon: -122.676493 },
      { memberId: 'b', timeMs: T0 + 200, lat: -33.9, lon: 18.4 },
    ]);
    expect(packed).toEqual({
      t0: T0,
      tracks: [
        { memberId: 'a', t: [500, 1000], lat: [45_523_100, 12], lon: [-122_676_500, 7] },
        { memberId: 'b', t: [200], lat: [-33_900_000], lon: [18_400_000] },
      ],
    });
  });

  it('gives back exactly what it packed, to the millisecond and the millionth of a degree', () => {
    const fix = fc.record({
      dt: fc.integer({ min: 0, max: 3_600_000 }),
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(fix, { minLength: 1, maxLength: 40 }), { maxLength: 6 }), (members) => {
        const fixes: TrackFix[] = [];
        members.forEach((list, m) => {
          let t = T0;
          for (const f of list) {
            t += f.dt;
            fixes.push({ memberId: `m${m}`, timeMs: t, lat: f.lat, lon: f.lon });
          }
        });
        const wire = JSON.parse(JSON.stringify(packFixes(T0, fixes)));
        const back = unpackTracks(wire).flatMap((tr) =>
          Array.from(tr.t, (t, i) => ({ memberId: tr.memberId, timeMs: t, lat: tr.lat[i], lon: tr.lon[i] })),
        );
        expect(back).toEqual(
          fixes.map((f) => ({ ...f, lat: toUnits(f.lat) / 1e6, lon: toUnits(f.lon) / 1e6 })),
        );
        // A coordinate already at six decimals comes back as the same number.
        for (const f of back) expect(toUnits(f.lat ?? 0) / 1e6).toBe(f.lat);
      }),
      { numRuns: 200 },
    );
  });

  it('puts each member’s fixes in time order, whatever order the store read them in', () => {
    const packed = packFixes(T0, [
      { memberId: 'a', timeMs: T0 + 3000, lat: 1.000003, lon: 2 },
      { memberId: 'b', timeMs: T0 + 1000, lat: 5, lon: 6 },
      { memberId: 'a', timeMs: T0 + 1000, lat: 1.000001, lon: 2 },
      { memberId: 'a', timeMs: T0 + 2000, lat: 1.000002, lon: 2 },
    ]);
    expect(packed.tracks[0]).toEqual({
      memberId: 'a',
      t: [1000, 1000, 1000],
      lat: [1_000_001, 1, 1],
      lon: [2e6, 0, 0],
    });
    expect(Array.from(unpackTracks(packed)[0]?.t ?? [])).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
  });

  it('packs nothing into no tracks', () => {
    expect(packFixes(T0, [])).toEqual({ t0: T0, tracks: [] });
    expect(unpackTracks({ t0: T0, tracks: [] })).toEqual([]);
  });
});

describe('a member at a moment', () => {
  const a = track('a', [
    [T0, 45.0, 8.0],
    [T0 + 10_000, 45.001, 8.002],
    [T0 + 20_000, 45.002, 8.002],
    // a 10-minute gap: held, not drawn across
    [T0 + 620_000, 45.1, 8.1],
  ]);
  const STALE = 120_000;

  it('finds the last fix at or before a time', () => {
    expect(fixIndexAt(a, T0 - 1)).toBe(-1);
    expect(fixIndexAt(a, T0)).toBe(0);
    expect(fixIndexAt(a, T0 + 9_999)).toBe(0);
    expect(fixIndexAt(a, T0 + 10_000)).toBe(1);
    expect(fixIndexAt(a, T0 + 10_000_000)).toBe(3);
  });

  it('is nowhere before the first fix, on each fix at its time, and between fixes on the line', () => {
    expect(pointAt(a, T0 - 1, STALE)).toBeNull();
    expect(pointAt(a, T0 + 10_000, STALE)).toEqual({
      lat: 45.001,
      lon: 8.002,
      fixIndex: 1,
      fixMs: T0 + 10_000,
      stale: false,
    });
    const mid = pointAt(a, T0 + 2_500, STALE);
    expect(mid?.lat).toBeCloseTo(45.00025, 9);
    expect(mid?.lon).toBeCloseTo(8.0005, 9);
    expect(mid).toMatchObject({ fixIndex: 0, fixMs: T0, stale: false });
  });

  it('holds the last fix across a gap longer than the stale limit, and is stale once the limit passed', () => {
    expect(pointAt(a, T0 + 100_000, STALE)).toMatchObject({ lat: 45.002, lon: 8.002, stale: false });
    expect(pointAt(a, T0 + 20_000 + STALE + 1, STALE)).toMatchObject({ lat: 45.002, stale: true });
    expect(pointAt(a, T0 + 700_000, STALE)).toMatchObject({ lat: 45.1, fixIndex: 3, stale: false });
    expect(pointAt(a, T0 + 620_000 + STALE + 1, STALE)).toMatchObject({ lat: 45.1, stale: true });
  });

  it('keeps a tail of the fixes of the last moments, ending where the member is', () => {
    const t = T0 + 15_000;
    expect(tailStart(a, t, 6_000)).toBe(1);
    expect(tailStart(a, t, 15_000)).toBe(0);
    const at = pointAt(a, t, STALE);
    if (!at) throw new Error('no point');
    expect(tailLine(a, at, t, 6_000)).toEqual([
      [8.002, 45.001],
      [at.lon, at.lat],
    ]);
  });
});

describe('distance between two members over time', () => {
  it('samples the distance where both are known and fresh', () => {
    const p = (m: number) => destination(BASE, 90, m);
    const a = track('a', [
      [T0, BASE.lat, BASE.lon],
      [T0 + 60_000, BASE.lat, BASE.lon],
    ]);
    const b = track('b', [
      [T0 + 10_000, p(100).lat, p(100).lon],
      [T0 + 60_000, p(600).lat, p(600).lon],
    ]);
    const s = distanceSeries(a, b, { fromMs: T0, toMs: T0 + 60_000, stepMs: 10_000, staleMs: 120_000 });
    expect(s.timesMs).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => T0 + i * 10_000));
    expect(s.metres[0]).toBeNull();
    expect(s.metres[1]).toBeCloseTo(distanceM(BASE, p(100)), 3);
    expect(s.metres[6]).toBeCloseTo(distanceM(BASE, p(600)), 3);
    expect(s.metres[3]).toBeCloseTo(300, -1);
  });

  it('chooses a whole-second step that keeps the series short', () => {
    expect(sampleStepMs(T0, T0 + 3_600_000, 1200)).toBe(3000);
    expect(sampleStepMs(T0, T0 + 60_000, 1200)).toBe(1000);
  });
});
