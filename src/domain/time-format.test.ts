import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime } from './time-format.ts';

describe('time format', () => {
  // Built from local parts, so the test holds in any time zone.
  const at = (h: number, m: number, s = 0) => new Date(2026, 11, 4, h, m, s);

  it('writes a 24-hour clock by default style, with seconds when asked', () => {
    expect(formatTime(at(14, 5, 32), '24h')).toBe('14:05');
    expect(formatTime(at(14, 5, 32), '24h', true)).toBe('14:05:32');
    expect(formatTime(at(0, 7), '24h')).toBe('00:07');
  });

  it('writes a 12-hour clock with AM and PM, noon and midnight as 12', () => {
    expect(formatTime(at(14, 5, 32), '12h')).toBe('2:05 PM');
    expect(formatTime(at(14, 5, 32), '12h', true)).toBe('2:05:32 PM');
    expect(formatTime(at(0, 7), '12h')).toBe('12:07 AM');
    expect(formatTime(at(12, 0), '12h')).toBe('12:00 PM');
    expect(formatTime(at(9, 30), '12h')).toBe('9:30 AM');
  });

  it('writes dates one way', () => {
    expect(formatDate(at(9, 30))).toBe('4 Dec 2026');
    expect(formatDate('2027-01-15T00:00:00Z', true)).toBe('15 Jan 2027');
    expect(formatDateTime(at(16, 5), '24h')).toBe('4 Dec 2026 16:05');
    expect(formatDateTime(at(16, 5), '12h')).toBe('4 Dec 2026 4:05 PM');
  });
});
