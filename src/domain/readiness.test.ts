import { describe, expect, it } from 'vitest';
import {
  addMonthsMs,
  csvField,
  fieldReadiness,
  hoursByMonth,
  hoursCsv,
  monthRange,
  operationHours,
  qualificationStatus,
  requiredOf,
  type SignOff,
  shiftMonth,
} from './readiness.ts';

const t = (iso: string) => Date.parse(iso);
const NOW = t('2026-11-25T12:00:00Z');
const DAY = 86_400_000;

describe('qualificationStatus', () => {
  it('is current without an expiry or more than 30 days before it', () => {
    expect(qualificationStatus(null, NOW)).toBe('current');
    expect(qualificationStatus(NOW + 31 * DAY, NOW)).toBe('current');
  });
  it('is expiring within 30 days, the 30th day included', () => {
    expect(qualificationStatus(NOW + 30 * DAY, NOW)).toBe('expiring');
    expect(qualificationStatus(NOW + 1, NOW)).toBe('expiring');
  });
  it('is expired from the very instant of its expiry on', () => {
    expect(qualificationStatus(NOW, NOW)).toBe('expired');
    expect(qualificationStatus(NOW - 1, NOW)).toBe('expired');
  });
  it('treats an expiry date of today (midnight) as expired during the day', () => {
    expect(qualificationStatus(t('2026-11-25'), NOW)).toBe('expired');
    expect(qualificationStatus(t('2026-11-26'), NOW)).toBe('expiring');
  });
});

describe('addMonthsMs', () => {
  it('adds whole months keeping the time of day', () => {
    expect(new Date(addMonthsMs(t('2026-03-15T08:30:00Z'), 12)).toISOString()).toBe(
      '2027-03-15T08:30:00.000Z',
    );
  });
  it('clamps to the end of a shorter month, leap years included', () => {
    expect(new Date(addMonthsMs(t('2026-01-31T00:00:00Z'), 1)).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(new Date(addMonthsMs(t('2028-01-31T00:00:00Z'), 1)).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(new Date(addMonthsMs(t('2028-02-29T00:00:00Z'), 12)).toISOString()).toBe(
      '2029-02-28T00:00:00.000Z',
    );
    expect(new Date(addMonthsMs(t('2028-02-29T00:00:00Z'), 48)).toISOString()).toBe(
      '2032-02-29T00:00:00.000Z',
    );
  });
  it('crosses year ends both ways', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });
});

describe('requiredOf', () => {
  const skills = [
    { id: 'fa', required: true, appliesTo: 'person' },
    { id: 'trail', required: true, appliesTo: 'animal' },
    { id: 'nav', required: true, appliesTo: 'all' },
    { id: 'knots', required: false, appliesTo: 'all' },
  ] as const;
  it('keeps the required skills for everyone and for the member’s kind', () => {
    expect(requiredOf(skills, 'person').map((s) => s.id)).toEqual(['fa', 'nav']);
    expect(requiredOf(skills, 'animal').map((s) => s.id)).toEqual(['trail', 'nav']);
  });
});

describe('fieldReadiness', () => {
  const firstAid = { id: 'fa', name: 'First aid' };
  const nav = { id: 'nav', name: 'Navigation' };
  const off = (skillId: string, expires: string | null, extra: Partial<SignOff> = {}): SignOff => ({
    skillId,
    signedAtMs: t('2025-10-01'),
    expiresAtMs: expires === null ? null : t(expires),
    revoked: false,
    ...extra,
  });

  it('is ready with current or expiring sign-offs in every required skill', () => {
    const r = fieldReadiness([firstAid, nav], [off('fa', '2026-12-10'), off('nav', null)], NOW);
    expect(r).toEqual({ fieldReady: true, reasons: [] });
  });
  it('names an expired skill with its date and a missing one', () => {
    const r = fieldReadiness([firstAid, nav], [off('fa', '2026-10-01')], NOW);
    expect(r).toEqual({
      fieldReady: false,
      reasons: ['First aid expired 2026-10-01', 'no Navigation sign-off'],
    });
  });
  it('ignores revoked sign-offs', () => {
    const r = fieldReadiness([nav], [off('nav', null, { revoked: true })], NOW);
    expect(r.reasons).toEqual(['no Navigation sign-off']);
  });
  it('counts the newest sign-off, so a renewal makes the member ready again', () => {
    const renewed = off('fa', '2027-10-01', { signedAtMs: t('2026-11-01') });
    expect(fieldReadiness([firstAid], [off('fa', '2026-10-01'), renewed], NOW).fieldReady).toBe(true);
  });
  it('is not ready on the day the qualification expires', () => {
    expect(fieldReadiness([firstAid], [off('fa', '2026-11-25')], NOW).fieldReady).toBe(false);
  });
  it('is ready with no required skills', () => {
    expect(fieldReadiness([], [], NOW).fieldReady).toBe(true);
  });
});

describe('monthRange', () => {
  it('lists the months inclusive across a year end', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual({
      ok: true,
      months: ['2025-11', '2025-12', '2026-01', '2026-02'],
    });
  });
  it('refuses a reversed range and one over 36 months', () => {
    expect(monthRange('2026-02', '2026-01')).toMatchObject({ ok: false, field: 'to' });
    expect(monthRange('2024-01', '2026-12')).toMatchObject({ ok: true });
    expect(monthRange('2024-01', '2027-01')).toMatchObject({ ok: false, field: 'to' });
  });
});

describe('hoursByMonth', () => {
  const months = ['2026-01', '2026-02', '2026-03'];
  it('splits an activity crossing a month boundary by its time in each month', () => {
    const night = { startMs: t('2026-01-31T22:00:00Z'), endMs: t('2026-02-01T02:00:00Z'), hours: 4 };
    expect(hoursByMonth([night], months)).toEqual([2, 2, 0]);
  });
  it('spreads played hours over the wall-clock span in proportion', () => {
    const paused = { startMs: t('2026-02-28T23:00:00Z'), endMs: t('2026-03-01T01:00:00Z'), hours: 1 };
    expect(hoursByMonth([paused], months)).toEqual([0, 0.5, 0.5]);
  });
  it('handles 29 February in a leap year', () => {
    const leap = { startMs: t('2028-02-29T23:00:00Z'), endMs: t('2028-03-01T01:00:00Z'), hours: 2 };
    expect(hoursByMonth([leap], ['2028-02', '2028-03'])).toEqual([1, 1]);
  });
  it('counts an activity without duration in its start month and leaves out time outside the range', () => {
    const instant = { startMs: t('2026-03-31T23:59:59Z'), endMs: t('2026-03-31T23:59:59Z'), hours: 1.5 };
    const before = { startMs: t('2025-12-01T10:00:00Z'), endMs: t('2025-12-01T12:00:00Z'), hours: 2 };
    expect(hoursByMonth([instant, before], months)).toEqual([0, 0, 1.5]);
  });
  it('adds up several activities in one month', () => {
    const a = { startMs: t('2026-01-03T10:00:00Z'), endMs: t('2026-01-03T12:30:00Z'), hours: 2.5 };
    const b = { startMs: t('2026-01-10T10:00:00Z'), endMs: t('2026-01-10T11:00:00Z'), hours: 1 };
    expect(hoursByMonth([a, b], months)).toEqual([3.5, 0, 0]);
  });
});

describe('hoursCsv', () => {
  it('writes the header and one row per member with CRLF line ends', () => {
    const csv = hoursCsv(
      ['2026-01', '2026-02'],
      [{ name: 'Ann Lee', callsign: 'ANN', hours: [2, 1.5], total: 3.5 }],
    );
    expect(csv).toBe('member,callsign,2026-01,2026-02,total\r\nAnn Lee,ANN,2,1.5,3.5\r\n');
  });
  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvField('Lee, Ann')).toBe('"Lee, Ann"');
    expect(csvField('Ann "Dusty" Lee')).toBe('"Ann ""Dusty"" Lee"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
    const csv = hoursCsv(['2026-01'], [{ name: 'Rex, "the dog"', callsign: 'K9.REX', hours: [1], total: 1 }]);
    expect(csv.split('\r\n')[1]).toBe('"Rex, ""the dog""",K9.REX,1,1');
  });
  it('keeps a name that looks like a formula as text', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-1)).toBe('-1');
  });
});

describe('operationHours', () => {
  const h = 3_600_000;
  const base = { incident: false, startMs: 0, endedMs: 3 * h, playedS: 0, runningSinceMs: null };
  it('counts an exercise’s played time, pauses left out', () => {
    expect(operationHours({ ...base, playedS: 2 * 3600 }, 10 * h)).toEqual({ hours: 2, endMs: 3 * h });
  });
  it('counts a drill recorded afterwards from STARTEX to ENDEX', () => {
    expect(operationHours(base, 10 * h)).toEqual({ hours: 3, endMs: 3 * h });
  });
  it('counts an incident whole, up to now while it is open', () => {
    expect(operationHours({ ...base, incident: true, endedMs: null, playedS: 5 }, 4 * h)).toEqual({
      hours: 4,
      endMs: 4 * h,
    });
  });
  it('runs on to now while an exercise runs', () => {
    expect(operationHours({ ...base, endedMs: null, playedS: 1800, runningSinceMs: 0 }, 2 * h)).toEqual({
      hours: 0.5,
      endMs: 2 * h,
    });
  });
});
