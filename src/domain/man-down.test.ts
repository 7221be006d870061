import { describe, expect, it } from 'vitest';
import { destination, type Point } from './geo.ts';
import { isManDown, STILL_RADIUS_M, type TimedPoint } from './man-down.ts';

const NOW = Date.UTC(2026, 10, 25, 16, 0, 0);
const BASE: Point = { lat: 47.37, lon: 8.54 };
const MIN = 60_000;

/** One fix a minute from `fromMin` minutes ago to now, `offsetM(minute)` metres east of the base. */
const track = (fromMin: number, offsetM: (minutesAgo: number) => number = () => 0): TimedPoint[] =>
  Array.from({ length: fromMin + 1 }, (_, i) => {
    const ago = fromMin - i;
    return { ...destination(BASE, 90, offsetM(ago)), timeMs: NOW - ago * MIN };
  });

describe('isManDown', () => {
  it('is down when every fix of the window lies within the still radius of the latest', () => {
    expect(isManDown(track(12), NOW, 10)).toBe(true);
  });

  it('takes GPS jitter inside the still radius as no movement', () => {
    const jitter = (ago: number) => (ago % 2 === 0 ? 0 : STILL_RADIUS_M - 3);
    expect(isManDown(track(12, jitter), NOW, 10)).toBe(true);
  });

  it('is not down after moving within the window', () => {
    expect(
      isManDown(
        track(12, (ago) => (ago >= 4 ? 100 : 0)),
        NOW,
        10,
      ),
    ).toBe(false);
  });

  it('is not down while walking', () => {
    expect(
      isManDown(
        track(12, (ago) => ago * 60),
        NOW,
        10,
      ),
    ).toBe(false);
  });

  it('is not down before the fixes cover the whole window', () => {
    expect(isManDown(track(9), NOW, 10)).toBe(false);
    expect(isManDown(track(10), NOW, 10)).toBe(true);
  });

  it('counts the last fix before the window: stopped exactly at the window start is not enough if it moved there', () => {
    // Moved 100 m until 10.5 minutes ago, still since: the fix 11 minutes ago is the one before the window.
    const fixes = track(11, (ago) => (ago >= 11 ? 100 : 0));
    expect(isManDown(fixes, NOW, 10)).toBe(false);
    expect(isManDown(fixes, NOW + MIN, 10)).toBe(true);
  });

  it('follows the number of minutes it is given', () => {
    const fixes = track(6);
    expect(isManDown(fixes, NOW, 5)).toBe(true);
    expect(isManDown(fixes, NOW, 10)).toBe(false);
  });

  it('does not depend on the order of the fixes', () => {
    expect(isManDown([...track(12)].reverse(), NOW, 10)).toBe(true);
    const moving = track(12, (ago) => (ago === 3 ? 200 : 0));
    expect(isManDown([...moving].reverse(), NOW, 10)).toBe(false);
  });

  it('is not down without fixes', () => {
    expect(isManDown([], NOW, 10)).toBe(false);
  });
});
