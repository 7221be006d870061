import { describe, expect, it } from 'vitest';
import { bearingDeg, compassPoint, destination, distanceM, formatDistance, type Point } from './geo.ts';

/** The smaller angle between two bearings, in degrees. */
const angleBetween = (a: number, b: number) => Math.abs(((((a - b) % 360) + 540) % 360) - 180);

const LONDON: Point = { lat: 51.5074, lon: -0.1278 };
const PARIS: Point = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK: Point = { lat: 40.7128, lon: -74.006 };
const LOS_ANGELES: Point = { lat: 34.0522, lon: -118.2437 };

describe('distanceM', () => {
  it('measures one degree of latitude as about 111.2 km at any longitude', () => {
    expect(distanceM({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111_195, -1);
    expect(distanceM({ lat: 45, lon: 100 }, { lat: 46, lon: 100 })).toBeCloseTo(111_195, -1);
    expect(distanceM({ lat: -89, lon: -60 }, { lat: -90, lon: -60 })).toBeCloseTo(111_195, -1);
  });

  it('shrinks a degree of longitude with the cosine of the latitude', () => {
    for (const lat of [0, 30, 45, 60, 80]) {
      const d = distanceM({ lat, lon: 10 }, { lat, lon: 11 });
      expect(d / 111_195).toBeCloseTo(Math.cos((lat * Math.PI) / 180), 3);
    }
  });

  it('matches known city distances within 0.5 %', () => {
    expect(distanceM(LONDON, PARIS) / 343_560).toBeCloseTo(1, 2);
    expect(distanceM(NEW_YORK, LOS_ANGELES) / 3_935_750).toBeCloseTo(1, 2);
  });

  it('is zero for the same point and symmetric', () => {
    expect(distanceM(PARIS, PARIS)).toBe(0);
    expect(distanceM(LONDON, PARIS)).toBeCloseTo(distanceM(PARIS, LONDON), 6);
  });

  it('measures the short way across the antimeridian', () => {
    expect(distanceM({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111_195, -1);
  });

  it('gives half the circumference for antipodes', () => {
    expect(distanceM({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });
});

describe('bearingDeg', () => {
  it('points due north, east, south and west on the equator', () => {
    const o = { lat: 0, lon: 0 };
    expect(bearingDeg(o, { lat: 1, lon: 0 })).toBeCloseTo(0, 9);
    expect(bearingDeg(o, { lat: 0, lon: 1 })).toBeCloseTo(90, 9);
    expect(bearingDeg(o, { lat: -1, lon: 0 })).toBeCloseTo(180, 9);
    expect(bearingDeg(o, { lat: 0, lon: -1 })).toBeCloseTo(270, 9);
  });

  it('starts a little north of east along a parallel in the northern hemisphere (great circle)', () => {
    const b = bearingDeg({ lat: 60, lon: 0 }, { lat: 60, lon: 1 });
    expect(b).toBeGreaterThan(89);
    expect(b).toBeLessThan(90);
    const south = bearingDeg({ lat: -60, lon: 0 }, { lat: -60, lon: 1 });
    expect(south).toBeGreaterThan(90);
    expect(south).toBeLessThan(91);
  });

  it('matches known city bearings', () => {
    expect(bearingDeg(LONDON, PARIS)).toBeCloseTo(148.1, 0);
    expect(bearingDeg(NEW_YORK, LOS_ANGELES)).toBeCloseTo(273.7, 0);
  });

  it('always lies in [0, 360)', () => {
    for (const lon of [-179, -90, -1, -0.0001, 0.0001, 1, 90, 179]) {
      for (const lat of [-80, -1, 0, 1, 80]) {
        const b = bearingDeg({ lat: 0, lon: 0 }, { lat, lon });
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(360);
      }
    }
  });
});

describe('compassPoint', () => {
  it('names the eight points', () => {
    expect([0, 45, 90, 135, 180, 225, 270, 315].map(compassPoint)).toEqual([
      'N',
      'NE',
      'E',
      'SE',
      'S',
      'SW',
      'W',
      'NW',
    ]);
  });

  it('switches half way between two points', () => {
    expect(compassPoint(22.4)).toBe('N');
    expect(compassPoint(22.5)).toBe('NE');
    expect(compassPoint(337.4)).toBe('NW');
    expect(compassPoint(337.5)).toBe('N');
    expect(compassPoint(359.9)).toBe('N');
  });

  it('wraps negative bearings and bearings of a full turn or more', () => {
    expect(compassPoint(360)).toBe('N');
    expect(compassPoint(405)).toBe('NE');
    expect(compassPoint(-90)).toBe('W');
    expect(compassPoint(-45)).toBe('NW');
    expect(compassPoint(-720)).toBe('N');
  });
});

describe('destination', () => {
  it('comes back to the start distance and bearing (round trip)', () => {
    for (const from of [{ lat: 0, lon: 0 }, LONDON, { lat: -33.9, lon: 18.4 }, { lat: 70, lon: -150 }]) {
      for (const bearing of [0, 37, 90, 145, 200, 315]) {
        for (const dist of [10, 1500, 250_000]) {
          const to = destination(from, bearing, dist);
          expect(distanceM(from, to)).toBeCloseTo(dist, 3);
          expect(angleBetween(bearingDeg(from, to), bearing)).toBeCloseTo(0, 6);
        }
      }
    }
  });

  it('moves one degree of latitude north for 111.2 km', () => {
    const to = destination({ lat: 10, lon: 20 }, 0, 111_195.08);
    expect(to.lat).toBeCloseTo(11, 5);
    expect(to.lon).toBeCloseTo(20, 9);
  });

  it('wraps longitude across the antimeridian into [-180, 180)', () => {
    const to = destination({ lat: 10, lon: 179.9 }, 90, 50_000);
    expect(to.lon).toBeLessThan(-179);
    expect(to.lon).toBeGreaterThanOrEqual(-180);
    expect(distanceM({ lat: 10, lon: 179.9 }, to)).toBeCloseTo(50_000, 3);
  });

  it('stays put for zero distance', () => {
    const to = destination(PARIS, 123, 0);
    expect(to.lat).toBeCloseTo(PARIS.lat, 12);
    expect(to.lon).toBeCloseTo(PARIS.lon, 12);
  });
});

describe('formatDistance', () => {
  it('shows metres below a kilometre and kilometres with one decimal above', () => {
    expect(formatDistance(0)).toBe('0 m');
    expect(formatDistance(12.4)).toBe('12 m');
    expect(formatDistance(999.4)).toBe('999 m');
    expect(formatDistance(1000)).toBe('1.0 km');
    expect(formatDistance(12_345)).toBe('12.3 km');
  });
});
