import { describe, expect, it } from 'vitest';
import { checkReportTime, MAX_FUTURE_MS, movesLiveMarker } from './report-time.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('checkReportTime', () => {
  it('accepts now and the recent past', () => {
    expect(checkReportTime(NOW, NOW)).toEqual({ ok: true });
    expect(checkReportTime(NOW - 1_000, NOW)).toEqual({ ok: true });
  });

  it('accepts reports taken days ago (a phone that was offline)', () => {
    expect(checkReportTime(NOW - 3 * 24 * 3_600_000, NOW)).toEqual({ ok: true });
    expect(checkReportTime(NOW - 400 * 24 * 3_600_000, NOW)).toEqual({ ok: true });
  });

  it('accepts up to five minutes ahead (clock skew)', () => {
    expect(MAX_FUTURE_MS).toBe(300_000);
    expect(checkReportTime(NOW + MAX_FUTURE_MS, NOW)).toEqual({ ok: true });
  });

  it('refuses more than five minutes in the future, saying by how much', () => {
    const r = checkReportTime(NOW + MAX_FUTURE_MS + 1_000, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/301 s in the future/);
    expect(checkReportTime(NOW + 3_600_000, NOW).ok).toBe(false);
  });

  it('refuses a time that is not a number', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const r = checkReportTime(bad, NOW);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/not a valid date/);
    }
    expect(checkReportTime(new Date('garbage').getTime(), NOW).ok).toBe(false);
  });

  it('refuses times before the year 2000 (unset GPS clocks, seconds read as ms)', () => {
    expect(checkReportTime(0, NOW).ok).toBe(false);
    expect(checkReportTime(Date.UTC(1999, 11, 31, 23, 59, 59), NOW).ok).toBe(false);
    expect(checkReportTime(Date.UTC(2000, 0, 1), NOW)).toEqual({ ok: true });
  });
});

describe('movesLiveMarker', () => {
  it('moves a marker that has no position yet', () => {
    expect(movesLiveMarker(NOW, undefined)).toBe(true);
  });

  it('moves for a newer or equally new report', () => {
    expect(movesLiveMarker(NOW + 1, NOW)).toBe(true);
    expect(movesLiveMarker(NOW, NOW)).toBe(true);
  });

  it('does not move for an older report that arrives late', () => {
    expect(movesLiveMarker(NOW - 1, NOW)).toBe(false);
    expect(movesLiveMarker(NOW - 86_400_000, NOW)).toBe(false);
  });
});
