import { describe, expect, it } from 'vitest';
import { distanceToRingM, hasMoved, levelOf, MAN_DOWN_RESOLVE_M, RESOLVE_SHARE } from './condition-limits.ts';
import { destination } from './geo.ts';

const BASE = { lat: 47.37, lon: 8.54 };

describe('levelOf', () => {
  it('is beyond past the limit, clear inside five sixths of it, in the band between', () => {
    expect(RESOLVE_SHARE * 300).toBeCloseTo(250, 9);
    expect(levelOf(301, 300)).toBe('beyond');
    expect(levelOf(308, 300)).toBe('beyond');
    expect(levelOf(300, 300)).toBe('band');
    expect(levelOf(250, 300)).toBe('band');
    expect(levelOf(249, 300)).toBe('clear');
    expect(levelOf(121, 120)).toBe('beyond');
    expect(levelOf(99, 120)).toBe('clear');
  });
});

describe('distanceToRingM', () => {
  const square = [
    { lat: 47.36, lon: 8.525 },
    { lat: 47.36, lon: 8.555 },
    { lat: 47.38, lon: 8.555 },
    { lat: 47.38, lon: 8.525 },
  ];

  it('measures to the nearest edge, inside or outside', () => {
    expect(distanceToRingM({ lat: 47.36 + 100 / 110_574, lon: 8.54 }, square)).toBeCloseTo(100, 0);
    expect(distanceToRingM({ lat: 47.36 - 50 / 110_574, lon: 8.54 }, square)).toBeCloseTo(50, 0);
    // Past a corner: the distance to the corner itself.
    const corner = destination({ lat: 47.38, lon: 8.555 }, 45, 100);
    expect(distanceToRingM(corner, square)).toBeGreaterThan(95);
    expect(distanceToRingM(corner, square)).toBeLessThan(105);
  });
});

describe('hasMoved', () => {
  const NOW = 1_000_000_000;
  it('is true once a fix since the window start lies farther than 30 m from the latest', () => {
    const still = [0, 1, 2].map((i) => ({ ...destination(BASE, 90, i * 5), timeMs: NOW - i * 60_000 }));
    expect(hasMoved(still, NOW - 300_000)).toBe(false);
    const walked = [...still, { ...destination(BASE, 90, MAN_DOWN_RESOLVE_M + 5), timeMs: NOW - 120_000 }];
    expect(hasMoved(walked, NOW - 300_000)).toBe(true);
    expect(hasMoved(walked, NOW - 60_000)).toBe(false); // the walk was before the window
    expect(hasMoved([], NOW)).toBe(false);
  });
});
