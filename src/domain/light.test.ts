import { getTimes } from 'suncalc';
import { describe, expect, it } from 'vitest';
import { lightAt, lightOf } from './light.ts';

// Bern, 47° N 7.4° E: local noon is about 11:30 UTC, local midnight about 23:30 UTC.
const LAT = 46.95;
const LON = 7.45;

describe('light', () => {
  it('is day at noon at 47° N in June, with the sun high', () => {
    const r = lightAt(LAT, LON, Date.UTC(2026, 5, 21, 11, 30));
    expect(r.light).toBe('day');
    expect(r.sunElevationDeg).toBeGreaterThan(60);
    expect(r.sunElevationDeg).toBeLessThan(70);
  });

  it('is night at local midnight', () => {
    const r = lightAt(LAT, LON, Date.UTC(2026, 5, 21, 23, 30));
    expect(r.light).toBe('night');
    expect(r.sunElevationDeg).toBeLessThan(-6);
  });

  it('is dusk twenty minutes after sunset', () => {
    const sunset = getTimes(new Date(Date.UTC(2026, 9, 10, 12)), LAT, LON).sunset as Date;
    const r = lightAt(LAT, LON, sunset.getTime() + 20 * 60_000);
    expect(r.light).toBe('dusk');
    expect(r.sunElevationDeg).toBeLessThan(-0.833);
    expect(r.sunElevationDeg).toBeGreaterThan(-6);
  });

  it('draws the lines at sunrise and at the end of civil twilight', () => {
    expect(lightOf(-0.833)).toBe('day');
    expect(lightOf(-0.84)).toBe('dusk');
    expect(lightOf(-6)).toBe('dusk');
    expect(lightOf(-6.01)).toBe('night');
  });
});
