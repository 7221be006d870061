import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseCoordinates } from './coordinates.ts';
import { distanceM } from './geo.ts';
import { toMgrs } from './mgrs.ts';

/** The proj4js project's MGRS converter, as a reference to check ours against. */
const reference = createRequire(import.meta.url)('mgrs') as {
  forward: (ll: [number, number], accuracy?: number) => string;
};

describe('MGRS of a point', () => {
  it('matches the reference converter over the world, Norway and Svalbard included', () => {
    const points: [number, number][] = [
      [47.4, 8.55],
      [51.05, -1.31],
      [-33.8568, 151.2153],
      [38.897676, -77.036547],
      [60.39, 5.32], // Bergen: zone 32 by the Norway exception
      [78.22, 15.65], // Longyearbyen: zone 33 on Svalbard
      [0.0001, 0.0001],
      [-79.9, -179.9],
      [83.9, 179.9],
    ];
    for (let lat = -79; lat < 84; lat += 13.7)
      for (let lon = -179; lon < 180; lon += 23.3) points.push([lat, lon]);
    for (const [lat, lon] of points) {
      expect(toMgrs(lat, lon)?.replace(/ /g, ''), `${lat},${lon}`).toBe(reference.forward([lon, lat], 5));
    }
  });

  it('reads back within a metre with the typed-coordinates parser, and shortens to fewer digits', () => {
    const text = toMgrs(47.4, 8.55) as string;
    expect(text).toMatch(/^32T MT \d{5} \d{5}$/);
    const back = parseCoordinates(text);
    expect(back.ok && distanceM({ lat: 47.4, lon: 8.55 }, back)).toBeLessThan(1.5);
    expect(toMgrs(47.4, 8.55, 3)).toBe(text.replace(/(\d{3})\d\d (\d{3})\d\d$/, '$1 $2'));
  });

  it('has none near the poles (UPS) or off the globe', () => {
    expect(toMgrs(84.5, 10)).toBeNull();
    expect(toMgrs(-80.5, 10)).toBeNull();
    expect(toMgrs(Number.NaN, 10)).toBeNull();
  });
});
