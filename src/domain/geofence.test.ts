import { describe, expect, it } from 'vitest';
import type { Point } from './geo.ts';
import { insidePolygon } from './geofence.ts';

const SQUARE: Point[] = [
  { lat: 47.36, lon: 8.52 },
  { lat: 47.36, lon: 8.56 },
  { lat: 47.38, lon: 8.56 },
  { lat: 47.38, lon: 8.52 },
];

describe('insidePolygon', () => {
  it('tells a point inside a square from points outside on every side', () => {
    expect(insidePolygon({ lat: 47.37, lon: 8.54 }, SQUARE)).toBe(true);
    expect(insidePolygon({ lat: 47.39, lon: 8.54 }, SQUARE)).toBe(false);
    expect(insidePolygon({ lat: 47.35, lon: 8.54 }, SQUARE)).toBe(false);
    expect(insidePolygon({ lat: 47.37, lon: 8.57 }, SQUARE)).toBe(false);
    expect(insidePolygon({ lat: 47.37, lon: 8.51 }, SQUARE)).toBe(false);
    expect(insidePolygon({ lat: 47.39, lon: 8.57 }, SQUARE)).toBe(false);
  });

  it('takes a ring that repeats its first point the same as one that does not', () => {
    const closed = [...SQUARE, SQUARE[0] as Point];
    for (const p of [
      { lat: 47.37, lon: 8.54 },
      { lat: 47.3799, lon: 8.5201 },
      { lat: 47.39, lon: 8.54 },
    ]) {
      expect(insidePolygon(p, closed)).toBe(insidePolygon(p, SQUARE));
    }
  });

  it('does not depend on the direction of the ring', () => {
    const reversed = [...SQUARE].reverse();
    expect(insidePolygon({ lat: 47.37, lon: 8.54 }, reversed)).toBe(true);
    expect(insidePolygon({ lat: 47.39, lon: 8.54 }, reversed)).toBe(false);
  });

  it('follows a concave outline: the notch of a U is outside', () => {
    // A U open to the north: the notch between its arms is outside.
    const u: Point[] = [
      { lat: 0, lon: 0 },
      { lat: 0, lon: 3 },
      { lat: 3, lon: 3 },
      { lat: 3, lon: 2 },
      { lat: 1, lon: 2 },
      { lat: 1, lon: 1 },
      { lat: 3, lon: 1 },
      { lat: 3, lon: 0 },
    ];
    expect(insidePolygon({ lat: 2, lon: 1.5 }, u)).toBe(false);
    expect(insidePolygon({ lat: 2, lon: 0.5 }, u)).toBe(true);
    expect(insidePolygon({ lat: 2, lon: 2.5 }, u)).toBe(true);
    expect(insidePolygon({ lat: 0.5, lon: 1.5 }, u)).toBe(true);
  });

  it('works on a triangle and south of the equator, west of Greenwich', () => {
    const tri: Point[] = [
      { lat: -34.0, lon: -58.5 },
      { lat: -34.0, lon: -58.3 },
      { lat: -33.8, lon: -58.4 },
    ];
    expect(insidePolygon({ lat: -33.95, lon: -58.4 }, tri)).toBe(true);
    expect(insidePolygon({ lat: -33.85, lon: -58.48 }, tri)).toBe(false);
  });

  it('finds nothing inside a degenerate ring', () => {
    expect(insidePolygon({ lat: 0, lon: 0 }, [])).toBe(false);
    expect(insidePolygon({ lat: 0, lon: 0 }, [{ lat: 0, lon: 0 }])).toBe(false);
    expect(
      insidePolygon({ lat: 0.5, lon: 0.5 }, [
        { lat: 0, lon: 0 },
        { lat: 1, lon: 1 },
      ]),
    ).toBe(false);
  });
});
