import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseCoordinates, utmToLatLon } from './coordinates.ts';
import { distanceM } from './geo.ts';

/** The proj4js project's MGRS converter, as a reference to check ours against. */
const reference = createRequire(import.meta.url)('mgrs') as {
  forward: (ll: [number, number], accuracy?: number) => string;
  toPoint: (mgrs: string) => [number, number];
};

const at = (text: string) => {
  const r = parseCoordinates(text);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r;
};

describe('typed coordinates', () => {
  it('reads decimal degrees with a comma, a space or hemisphere letters', () => {
    for (const text of [
      '51.05, -1.31',
      '51.05 -1.31',
      '51.05N 1.31W',
      'N51.05 W1.31',
      '51.05n, 1.31w',
      ' 51.05 ;-1.31 ',
    ]) {
      expect(at(text), text).toMatchObject({ lat: 51.05, lon: -1.31, kind: 'decimal' });
    }
    expect(at('-33.8568, 151.2153')).toMatchObject({ lat: -33.8568, lon: 151.2153 });
  });

  it('reads degrees, minutes and seconds', () => {
    const p = at(`51°03'00"N 1°18'36"W`);
    expect(p.kind).toBe('dms');
    expect(p.lat).toBeCloseTo(51.05, 9);
    expect(p.lon).toBeCloseTo(-1.31, 9);
    expect(at('51 03 00 N 1 18 36 W').lat).toBeCloseTo(51.05, 9);
    expect(at(`33°51'24.5"S, 151°12'55.1"E`).lat).toBeCloseTo(-33.856806, 5);
    expect(at(`51°3.5'N 1°18.6'W`).lon).toBeCloseTo(-1.31, 9);
  });

  it('reads MGRS at every precision, within the square of the reference converter', () => {
    const places: [number, number][] = [
      [-1.31, 51.05], // Hampshire, zone 30U
      [-122.67, 45.52], // Portland, 10T
      [151.2153, -33.8568], // Sydney, southern hemisphere 56H
      [16.3738, 48.2082], // Vienna, 33U
      [-70.6693, -33.4489], // Santiago, 19H
      [10.75, 59.91], // Oslo, 32V
      [-149.9, 61.2], // Anchorage, 6V
      [0.5, 0.5], // just north of the equator, 31N
      [30.5, -0.5], // just south of it, 36M
    ];
    for (const [lon, lat] of places) {
      for (const digits of [5, 4, 3, 2, 1]) {
        const grid = reference.forward([lon, lat], digits);
        const [refLon, refLat] = reference.toPoint(grid);
        const ours = at(grid);
        expect(ours.kind).toBe('mgrs');
        // The reference puts a square's centre between its corners' degrees; ours is its centre in metres.
        const square = 10 ** (5 - digits);
        expect(distanceM({ lat: refLat, lon: refLon }, ours), `${grid}`).toBeLessThan(
          Math.max(2, square / 1000),
        );
      }
    }
  });

  it('reads MGRS with spaces and lower case', () => {
    const grid = reference.forward([-1.31, 51.05], 5); // 30UXC...
    const spaced = `${grid.slice(0, 3)} ${grid.slice(3, 5)} ${grid.slice(5, 10)} ${grid.slice(10)}`;
    expect(distanceM(at(spaced), at(grid))).toBeLessThan(0.01);
    expect(distanceM(at(grid.toLowerCase()), at(grid))).toBeLessThan(0.01);
    expect(distanceM(at(grid), { lat: 51.05, lon: -1.31 })).toBeLessThan(2);
  });

  it('reads UTM with its zone and latitude band, north and south', () => {
    // The MGRS square XC of zone 30 is UTM easting 600 km, northing 5600 km.
    const grid = reference.forward([-1.31, 51.05], 5);
    const e = 600_000 + Number(grid.slice(5, 10)) + 0.5;
    const n = 5_600_000 + Number(grid.slice(10)) + 0.5;
    expect(distanceM(at(`30U ${e} ${n}`), at(grid))).toBeLessThan(0.5);
    expect(at(`30U ${e} ${n}`).kind).toBe('utm');
    // Southern hemisphere: square LH of zone 56 (an even zone: rows start at F) is 300 km east, 6200 km north.
    const sydney = reference.forward([151.2153, -33.8568], 5);
    expect(sydney.slice(0, 5)).toBe('56HLH');
    const se = 300_000 + Number(sydney.slice(5, 10)) + 0.5;
    const sn = 6_200_000 + Number(sydney.slice(10)) + 0.5;
    expect(distanceM(at(`56H ${se} ${sn}`), { lat: -33.8568, lon: 151.2153 })).toBeLessThan(2);
    const central = utmToLatLon(31, false, 500_000, 0);
    expect(central.lat).toBeCloseTo(0, 9);
    expect(central.lon).toBeCloseTo(3, 9);
  });

  it('says what is wrong, naming the part', () => {
    const cases: [string, RegExp][] = [
      ['', /type a position/],
      ['hello', /latitude and longitude/],
      ['95, 10', /latitude must be between/],
      ['45, 190', /longitude must be between/],
      ['45 E, 10 N', /hemisphere/],
      [`51°75'N 1°W`, /below 60/],
      ['61U 500000 5000000', /zone must be 1 to 60/],
      ['30I 500000 5000000', /not a latitude band/],
      ['30U 950000 5000000', /easting/],
      ['30UXC123', /as many easting digits/],
      ['30UIC1234', /column letter/],
      ['30UXZ1234', /row letter/],
    ];
    for (const [text, reason] of cases) {
      const r = parseCoordinates(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.reason, text).toMatch(reason);
    }
  });
});
