import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_S, formatAge, isStale, memberStatus, presenceStatus } from './presence.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('isStale', () => {
  it('is not stale up to and including the limit, stale one millisecond after', () => {
    expect(isStale(NOW, NOW, 120)).toBe(false);
    expect(isStale(NOW - 120_000, NOW, 120)).toBe(false);
    expect(isStale(NOW - 120_001, NOW, 120)).toBe(true);
  });

  it('follows the limit it is given', () => {
    expect(isStale(NOW - 30_000, NOW, 10)).toBe(true);
    expect(isStale(NOW - 30_000, NOW, 60)).toBe(false);
  });

  it('never counts a report from the (near) future as stale', () => {
    expect(isStale(NOW + 60_000, NOW, 10)).toBe(false);
  });

  it('defaults to two minutes', () => {
    expect(DEFAULT_STALE_S).toBe(120);
  });
});

describe('presenceStatus', () => {
  it('is ok for a fresh report without an alarm', () => {
    expect(presenceStatus(NOW - 5_000, NOW, 120, null)).toBe('ok');
  });

  it('is stale after the limit', () => {
    expect(presenceStatus(NOW - 121_000, NOW, 120, null)).toBe('stale');
  });

  it('is sos for an SOS alarm, whatever its case', () => {
    expect(presenceStatus(NOW, NOW, 120, 'sos')).toBe('sos');
    expect(presenceStatus(NOW, NOW, 120, 'SOS')).toBe('sos');
    expect(presenceStatus(NOW, NOW, 120, 'panic')).toBe('sos');
  });

  it('lets an SOS outrank staleness', () => {
    expect(presenceStatus(NOW - 3_600_000, NOW, 120, 'sos')).toBe('sos');
  });

  it('ignores alarms that are not a call for help', () => {
    expect(presenceStatus(NOW, NOW, 120, 'lowBattery')).toBe('ok');
    expect(presenceStatus(NOW - 200_000, NOW, 120, 'lowBattery')).toBe('stale');
    expect(presenceStatus(NOW, NOW, 120, '')).toBe('ok');
  });
});

describe('formatAge', () => {
  it('shows seconds under a minute', () => {
    expect(formatAge(NOW, NOW)).toBe('0 s');
    expect(formatAge(NOW - 12_000, NOW)).toBe('12 s');
    expect(formatAge(NOW - 59_400, NOW)).toBe('59 s');
  });

  it('shows whole minutes under an hour', () => {
    expect(formatAge(NOW - 59_600, NOW)).toBe('1 min');
    expect(formatAge(NOW - 4 * 60_000 - 59_000, NOW)).toBe('4 min');
    expect(formatAge(NOW - 59 * 60_000, NOW)).toBe('59 min');
  });

  it('shows hours and minutes under two days', () => {
    expect(formatAge(NOW - 3_600_000, NOW)).toBe('1 h 0 min');
    expect(formatAge(NOW - (2 * 60 + 5) * 60_000, NOW)).toBe('2 h 5 min');
    expect(formatAge(NOW - 47 * 3_600_000 - 59 * 60_000, NOW)).toBe('47 h 59 min');
  });

  it('shows days from two days on', () => {
    expect(formatAge(NOW - 48 * 3_600_000, NOW)).toBe('2 d');
    expect(formatAge(NOW - 10 * 24 * 3_600_000, NOW)).toBe('10 d');
  });

  it('shows a report from the future as 0 s', () => {
    expect(formatAge(NOW + 30_000, NOW)).toBe('0 s');
  });
});

describe('memberStatus', () => {
  it('is SOS while an SOS of theirs is active, whatever client sent it, even with no position', () => {
    expect(memberStatus(NOW, NOW, 120, true)).toBe('sos');
    expect(memberStatus(NOW - 600_000, NOW, 120, true)).toBe('sos');
    expect(memberStatus(null, NOW, 120, true)).toBe('sos');
  });

  it('is ok or stale from the last report otherwise, and null with no report', () => {
    expect(memberStatus(NOW - 60_000, NOW, 120, false)).toBe('ok');
    expect(memberStatus(NOW - 121_000, NOW, 120, false)).toBe('stale');
    expect(memberStatus(null, NOW, 120, false)).toBeNull();
  });
});
