import { describe, expect, it } from 'vitest';
import { type ConditionInput, evaluateConditions } from './conditions.ts';
import { destination, type Point } from './geo.ts';
import type { TimedPoint } from './man-down.ts';

const NOW = Date.UTC(2026, 10, 25, 16, 30, 0);
const START = NOW - 30 * 60_000;
const BASE: Point = { lat: 47.37, lon: 8.54 };
const AREA: Point[] = [
  { lat: 47.36, lon: 8.525 },
  { lat: 47.36, lon: 8.555 },
  { lat: 47.38, lon: 8.555 },
  { lat: 47.38, lon: 8.525 },
];
const fixAt = (bearing: number, distM: number, agoS = 0): TimedPoint => ({
  ...destination(BASE, bearing, distM),
  timeMs: NOW - agoS * 1000,
});

const input = (over: Partial<ConditionInput> = {}): ConditionInput => ({
  nowMs: NOW,
  watched: ['lead', 'alfa', 'bravo'],
  latest: new Map([
    ['lead', fixAt(0, 0)],
    ['alfa', fixAt(90, 50)],
    ['bravo', fixAt(180, 100)],
  ]),
  recent: null,
  watchSinceMs: START,
  staleS: 120,
  separationM: 300,
  area: null,
  manDownMinutes: null,
  ...over,
});
const ids = (s: { on: readonly { memberId: string }[] }) => s.on.map((f) => f.memberId);

describe('evaluateConditions', () => {
  it('finds nothing when the team is together and reporting', () => {
    const c = evaluateConditions(input({ area: AREA }));
    for (const s of Object.values(c)) expect(s).toEqual({ on: [], unknown: [] });
  });

  describe('separation', () => {
    it('finds a member beyond the limit, saying how far, at their position', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 1000));
      const { separation } = evaluateConditions(input({ latest }));
      expect(separation.on).toEqual([
        {
          memberId: 'bravo',
          text: '1.0 km from the nearest member (limit 300 m)',
          position: expect.any(Object),
        },
      ]);
      expect(separation.on[0]?.position?.lat).toBeCloseTo(latest.get('bravo')?.lat ?? 0, 9);
    });

    it('leaves a silent member unknown and leaves them out of the distances', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 1000, 600)); // far, but 10 min old
      const { separation } = evaluateConditions(input({ latest }));
      expect(separation).toEqual({ on: [], unknown: ['bravo'] });
    });

    it('watches only the watched members', () => {
      const latest = new Map(input().latest);
      latest.set('visitor', fixAt(0, 5000));
      expect(evaluateConditions(input({ latest })).separation.on).toEqual([]);
    });
  });

  describe('no report', () => {
    it('finds a member whose last report is older than the limit', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 100, 121));
      const { no_report } = evaluateConditions(input({ latest }));
      expect(no_report.on).toEqual([
        { memberId: 'bravo', text: 'no report for 2 min', position: expect.any(Object) },
      ]);
    });

    it('gives a member who never reported (or only before watching began) the limit from its start', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', { ...BASE, timeMs: START - 3_600_000 });
      latest.delete('alfa');
      expect(ids(evaluateConditions(input({ latest, watchSinceMs: NOW - 60_000 })).no_report)).toEqual([]);
      const late = evaluateConditions(input({ latest, watchSinceMs: NOW - 121_000 })).no_report;
      expect(late.on).toEqual([
        { memberId: 'alfa', text: 'no report since the operation began 2 min ago', position: null },
        { memberId: 'bravo', text: 'no report since the operation began 2 min ago', position: BASE },
      ]);
    });

    it("follows the team's limit", () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 100, 300));
      expect(ids(evaluateConditions(input({ latest, staleS: 600 })).no_report)).toEqual([]);
      expect(ids(evaluateConditions(input({ latest, staleS: 120 })).no_report)).toEqual(['bravo']);
    });
  });

  describe('geofence', () => {
    it('finds a member whose latest fix is outside the area', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(0, 2000));
      expect(evaluateConditions(input({ latest, area: AREA })).geofence.on).toEqual([
        { memberId: 'bravo', text: 'outside the exercise area', position: expect.any(Object) },
      ]);
    });

    it('keeps to the last known position of a silent member', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(0, 2000, 600));
      expect(ids(evaluateConditions(input({ latest, area: AREA })).geofence)).toEqual(['bravo']);
    });

    it('leaves unknown a member not seen since watching began, and watches nothing without an area', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', { ...destination(BASE, 0, 2000), timeMs: START - 1 });
      expect(evaluateConditions(input({ latest, area: AREA })).geofence).toEqual({
        on: [],
        unknown: ['bravo'],
      });
      expect(evaluateConditions(input({ latest, area: null })).geofence).toEqual({ on: [], unknown: [] });
    });
  });

  describe('man down', () => {
    const still = (bearing: number, distM: number) =>
      Array.from({ length: 12 }, (_, i) => ({
        ...destination(BASE, bearing, distM),
        timeMs: NOW - i * 60_000,
      }));
    const moving = Array.from({ length: 12 }, (_, i) => ({
      ...destination(BASE, 90, 50 + i * 30),
      timeMs: NOW - i * 60_000,
    }));
    const recent = new Map<string, TimedPoint[]>([
      ['lead', still(0, 0)],
      ['alfa', moving],
      ['bravo', still(180, 100)],
    ]);

    it('is off when the team has not opted in', () => {
      expect(evaluateConditions(input({ recent })).man_down).toEqual({ on: [], unknown: [] });
    });

    it('finds members who have not moved for the minutes set', () => {
      const { man_down } = evaluateConditions(input({ recent, manDownMinutes: 10 }));
      expect(man_down.on.map((f) => [f.memberId, f.text])).toEqual([
        ['lead', 'no movement for 10 min'],
        ['bravo', 'no movement for 10 min'],
      ]);
    });

    it('ignores stillness before watching began', () => {
      const { man_down } = evaluateConditions(
        input({ recent, manDownMinutes: 10, watchSinceMs: NOW - 5 * 60_000 }),
      );
      expect(man_down.on).toEqual([]);
    });

    it('leaves everyone unknown when not checked this time, and silent members always', () => {
      expect(evaluateConditions(input({ recent: null, manDownMinutes: 10 })).man_down).toEqual({
        on: [],
        unknown: ['lead', 'alfa', 'bravo'],
      });
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 100, 600));
      expect(evaluateConditions(input({ latest, recent, manDownMinutes: 10 })).man_down).toEqual({
        on: [expect.objectContaining({ memberId: 'lead' })],
        unknown: ['bravo'],
      });
    });
  });
});
