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
  drillRoles: new Map(),
  arrived: null,
  ...over,
});
const ids = (s: { on: readonly { memberId: string }[] }) => s.on.map((f) => f.memberId);

describe('evaluateConditions', () => {
  it('finds nothing when the team is together and reporting', () => {
    const c = evaluateConditions(input({ area: AREA }));
    for (const s of Object.values(c)) expect(s).toEqual({ on: [], band: [], unknown: [] });
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
      expect(separation).toEqual({ on: [], band: [], unknown: ['bravo'] });
    });

    it('raises at the limit and resolves only well inside it: 301 m on, 260 m in the band, 240 m clear', () => {
      const at = (m: number) => {
        const latest = new Map(input().latest);
        latest.delete('alfa');
        latest.set('bravo', fixAt(180, m));
        return evaluateConditions(input({ latest, watched: ['lead', 'bravo'] })).separation;
      };
      expect(ids(at(301))).toEqual(['lead', 'bravo']);
      expect(at(299)).toEqual({ on: [], band: ['lead', 'bravo'], unknown: [] });
      expect(at(260)).toEqual({ on: [], band: ['lead', 'bravo'], unknown: [] });
      expect(at(240)).toEqual({ on: [], band: [], unknown: [] });
    });

    it('never finds a runner or the opposing force apart in a drill, nor counts them as the team', () => {
      const latest = new Map(input().latest);
      latest.set('runner', fixAt(0, 1500));
      latest.set('opfor', fixAt(90, 2500));
      latest.set('tracker', fixAt(0, 1400)); // on the runner's heels, far from everyone else
      const watched = ['lead', 'alfa', 'bravo', 'runner', 'opfor', 'tracker'];
      const drillRoles = new Map([
        ['runner', 'runner'],
        ['opfor', 'opposing_force'],
        ['tracker', 'tracker'],
        ['lead', 'controller'],
      ]);
      expect(ids(evaluateConditions(input({ latest, watched, drillRoles })).separation)).toEqual(['tracker']);
      // In a real incident the roles of the drill no longer apply: the runner is with the tracker.
      const real = evaluateConditions(input({ latest, watched })).separation;
      expect(ids(real)).toEqual(['opfor']);
    });

    it('tells nobody apart when fewer than two of the team report', () => {
      const latest = new Map([['bravo', fixAt(180, 5000)]]);
      expect(evaluateConditions(input({ latest })).separation).toEqual({
        on: [],
        band: [],
        unknown: ['bravo', 'lead', 'alfa'],
      });
    });

    it('during a callout watches only those who have arrived', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 2500)); // at home
      const arrived = new Set(['lead', 'alfa']);
      expect(evaluateConditions(input({ latest, arrived })).separation).toEqual({
        on: [],
        band: [],
        unknown: [],
      });
      expect(
        ids(evaluateConditions(input({ latest, arrived: new Set(['lead', 'bravo']) })).separation),
      ).toEqual(['lead', 'bravo']);
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

    it('leaves out a member who never reported in this operation: at the console, or a phone left at home', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', { ...BASE, timeMs: START - 3_600_000 }); // reported before the operation only
      latest.delete('alfa'); // never reported
      const late = evaluateConditions(input({ latest, nowMs: NOW + 3_600_000 })).no_report;
      expect(ids(late)).toEqual(['lead']); // LEAD reported in the operation, then fell silent
      expect(late.band).toEqual([]);
    });

    it('holds between 100 s and 120 s of silence, and is on beyond the limit', () => {
      const silentFor = (s: number) => {
        const latest = new Map(input().latest);
        latest.set('bravo', fixAt(180, 100, s));
        return evaluateConditions(input({ latest })).no_report;
      };
      expect(silentFor(90)).toEqual({ on: [], band: [], unknown: [] });
      expect(silentFor(110)).toEqual({ on: [], band: ['bravo'], unknown: [] });
      expect(ids(silentFor(121))).toEqual(['bravo']);
    });

    it('during a callout, leaves out members who have not arrived', () => {
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 100, 600));
      expect(
        ids(evaluateConditions(input({ latest, arrived: new Set(['lead', 'alfa']) })).no_report),
      ).toEqual([]);
      expect(ids(evaluateConditions(input({ latest, arrived: new Set(['bravo']) })).no_report)).toEqual([
        'bravo',
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

    it('resolves only 25 m back inside the area', () => {
      const latest = new Map(input().latest);
      const south = 47.36; // the area's southern edge
      latest.set('bravo', { lat: south + 10 / 111_000, lon: 8.54, timeMs: NOW }); // 10 m inside
      expect(evaluateConditions(input({ latest, area: AREA })).geofence.band).toEqual(['bravo']);
      latest.set('bravo', { lat: south + 40 / 111_000, lon: 8.54, timeMs: NOW }); // 40 m inside
      expect(evaluateConditions(input({ latest, area: AREA })).geofence.band).toEqual([]);
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
        band: [],
        unknown: ['bravo'],
      });
      expect(evaluateConditions(input({ latest, area: null })).geofence).toEqual({
        on: [],
        band: [],
        unknown: [],
      });
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
      expect(evaluateConditions(input({ recent })).man_down).toEqual({ on: [], band: [], unknown: [] });
    });

    it('finds members who have not moved for the minutes set', () => {
      const { man_down } = evaluateConditions(input({ recent, manDownMinutes: 10 }));
      expect(man_down.on.map((f) => [f.memberId, f.text])).toEqual([
        ['lead', 'no movement for 10 min'],
        ['bravo', 'no movement for 10 min'],
      ]);
    });

    it('resolves only once a member has moved more than 30 m', () => {
      const shuffling = Array.from({ length: 12 }, (_, i) => ({
        ...destination(BASE, 90, i % 2 === 0 ? 0 : 20), // 20 m back and forth: more than noise, not walking
        timeMs: NOW - i * 60_000,
      }));
      const r = new Map([['alfa', shuffling]]);
      const { man_down } = evaluateConditions(input({ recent: r, manDownMinutes: 10, watched: ['alfa'] }));
      expect(man_down).toEqual({ on: [], band: ['alfa'], unknown: [] });
      const m = new Map([['alfa', moving]]);
      expect(
        evaluateConditions(input({ recent: m, manDownMinutes: 10, watched: ['alfa'] })).man_down.band,
      ).toEqual([]);
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
        band: [],
        unknown: ['lead', 'alfa', 'bravo'],
      });
      const latest = new Map(input().latest);
      latest.set('bravo', fixAt(180, 100, 600));
      expect(evaluateConditions(input({ latest, recent, manDownMinutes: 10 })).man_down).toEqual({
        on: [expect.objectContaining({ memberId: 'lead' })],
        band: [],
        unknown: ['bravo'],
      });
    });
  });
});
