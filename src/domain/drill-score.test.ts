import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drillTracks } from '../../bench/drill-score.ts';
import { abandonedHalfway, offsetLine, T0, track } from '../../test/support/drill-tracks.ts';
import {
  DrillScoreError,
  type DrillScoreOptions,
  detectedFindMs,
  passesWithin,
  scoreDrill,
  type TrackPoint,
} from './drill-score.ts';
import type { Point } from './geo.ts';

const LATITUDES: Record<string, Point> = {
  equator: { lat: 0, lon: 10 },
  '45° N': { lat: 45, lon: 6.9 },
  '65° N': { lat: 65, lon: 25.5 },
  '45° S': { lat: -45, lon: 170.5 },
  'the antimeridian': { lat: -17, lon: 179.995 },
};
const w = (d: number) => 1 / (1 + (d / 30) ** 4);

function errorOf(fn: () => unknown): DrillScoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrillScoreError) return e;
    throw e;
  }
  throw new Error('expected a DrillScoreError');
}

describe('scoreDrill on constructed geometry', () => {
  for (const [name, origin] of Object.entries(LATITUDES)) {
    it(`scores a tracker walking 10 m beside the trail as 100 % followed at 10 m, at ${name}`, () => {
      const { runner, tracker } = offsetLine(origin, 10);
      const s = scoreDrill(runner, tracker, { findRadiusM: 5 });
      expect(s.trailLengthM).toBeCloseTo(1000, 0);
      expect(s.trackerDistanceM).toBeCloseTo(1000, 0);
      expect(s.distanceRatio).toBeCloseTo(1, 3);
      expect(s.shareFollowed).toBe(1);
      expect(s.shareFollowedSmooth).toBeCloseTo(w(10), 3);
      expect(Math.abs(s.deviationMeanM - 10)).toBeLessThan(0.5);
      expect(Math.abs(s.deviationP95M - 10)).toBeLessThan(0.5);
      expect(Math.abs(s.deviationMaxM - 10)).toBeLessThan(0.5);
      expect(s.lostSegments).toEqual([]);
      expect(s.movingS).toBe(1000);
      expect(s.stoppedS).toBe(0);
      expect(s.timeToFindS).toBeNull();
    });

    it(`scores a tracker who abandons halfway as about 50 % followed, at ${name}`, () => {
      const { runner, tracker } = abandonedHalfway(origin);
      const s = scoreDrill(runner, tracker);
      // The first 500 m, and the 20 m of trail within tolerance of where the tracker turned off.
      expect(s.shareFollowed).toBeCloseTo(0.52, 3);
      expect(s.timeToFindS).toBeNull();
      // Time-weighted: 500 s on the trail, then 500 s walking away from 0 to 500 m.
      expect(s.deviationMeanM).toBeCloseTo(125, 0);
      expect(s.deviationMaxM).toBeCloseTo(500, 0);
      expect(s.deviationP95M).toBeCloseTo(450, -1);
      expect(s.lostSegments).toHaveLength(1);
      const lost = s.lostSegments[0];
      expect(lost?.startMs).toBeCloseTo(T0 + 3600_000 + 520_000, -2);
      expect(lost?.endMs).toBe(T0 + 3600_000 + 1000_000);
      expect(lost?.regained).toBe(false);
      expect(lost?.maxDeviationM).toBeCloseTo(500, 0);
    });
  }

  it('scores a tracker 30 m off the whole way as not following, lost from start to end', () => {
    const { runner, tracker } = offsetLine(LATITUDES['45° N'] as Point, 30);
    const s = scoreDrill(runner, tracker);
    expect(s.shareFollowed).toBe(0);
    expect(s.shareFollowedSmooth).toBeCloseTo(0.5, 3);
    expect(s.deviationMeanM).toBeCloseTo(30, 1);
    expect(s.lostSegments).toEqual([
      {
        startMs: tracker[0]?.timeMs,
        endMs: tracker.at(-1)?.timeMs,
        maxDeviationM: s.deviationMaxM,
        regained: false,
      },
    ]);
  });

  it('counts only the trail within the tolerance given', () => {
    const { runner, tracker } = offsetLine(LATITUDES['65° N'] as Point, 15);
    expect(scoreDrill(runner, tracker, { toleranceM: 14.5 }).shareFollowed).toBe(0);
    expect(scoreDrill(runner, tracker, { toleranceM: 15.5 }).shareFollowed).toBe(1);
  });

  it('scores a loop and a crossing trail, followed exactly and cut short', () => {
    const origin = LATITUDES['45° N'] as Point;
    // Around a 200 m square, then down across the start to hide 100 m south of it.
    const corners = [
      [0, 0, 0],
      [200, 0, 200],
      [200, 200, 400],
      [0, 200, 600],
      [0, -100, 900],
    ] as const;
    const runner = track(origin, corners);
    const exact = scoreDrill(runner, track(origin, corners, 2, T0 + 1800_000));
    expect(exact.trailLengthM).toBeCloseTo(900, 0);
    expect(exact.shareFollowed).toBeCloseTo(1, 6);
    expect(exact.deviationMaxM).toBeLessThan(0.1);
    expect(exact.timeToFindS).toBeCloseTo(890, 0);
    // Straight to the hide: 100 m of the last leg, the 20 m above the start, 20 m of the first side.
    const shortcut = track(
      origin,
      [
        [0, 0, 0],
        [0, -100, 100],
      ],
      1,
      T0 + 1800_000,
    );
    const cut = scoreDrill(runner, shortcut);
    expect(cut.shareFollowed).toBeCloseTo(140 / 900, 3);
    expect(cut.timeToFindS).toBeCloseTo(90, 1);
    expect(cut.trackerDistanceM).toBeCloseTo(90, 1);
    expect(cut.distanceRatio).toBeCloseTo(90 / 900, 3);
  });

  it('detects the find where the tracker enters the find radius, and scores the path up to it', () => {
    const origin = LATITUDES['45° N'] as Point;
    const runner = track(origin, [
      [0, 0, 0],
      [300, 0, 300],
    ]);
    // The tracker walks past the hide and on, then comes back.
    const tracker = track(
      origin,
      [
        [0, 0, 0],
        [400, 0, 400],
        [0, 0, 800],
      ],
      5,
      T0 + 600_000,
    );
    const s = scoreDrill(runner, tracker, { findRadiusM: 10 });
    expect(s.findSource).toBe('detected');
    expect(s.timeToFindS).toBeCloseTo(290, 1);
    expect(s.findTimeMs).toBeCloseTo(T0 + 890_000, -1);
    expect(s.trackerEndMs).toBe(s.findTimeMs);
    expect(s.trackerDistanceM).toBeCloseTo(290, 1);
    expect(s.movingS).toBeCloseTo(290, 6);
  });

  it('does not find the runner before they hid, even at the hiding place', () => {
    const origin = LATITUDES['45° N'] as Point;
    const runner = track(origin, [
      [0, 0, 0],
      [300, 0, 300],
    ]);
    // Standing at the hiding place while the runner is still on the way, then leaving.
    const tracker = track(origin, [
      [300, 0, 0],
      [300, 0, 200],
      [300, 500, 600],
    ]);
    expect(scoreDrill(runner, tracker).timeToFindS).toBeNull();
    expect(detectedFindMs(runner, tracker)).toBeNull();
  });

  it('finds no one before the runner has left the start, and dates the hide from their arrival', () => {
    const origin = LATITUDES['45° N'] as Point;
    // STARTEX: runner and tracker side by side, the runner not yet gone.
    const waiting = track(origin, [
      [0, 0, 0],
      [2, 0, 20],
    ]);
    const beside = track(origin, [
      [0, 3, 0],
      [0, 3, 20],
    ]);
    expect(detectedFindMs(waiting, beside, 10)).toBeNull();
    // The runner walks 300 m in 300 s, then waits at the hide for ten minutes, still reporting.
    const runner = [
      ...track(origin, [
        [0, 0, 0],
        [300, 0, 300],
      ]),
      ...track(origin, [
        [300, 1, 330],
        [300, 0, 900],
      ]),
    ];
    // The tracker reaches the hide at 600 s, while the runner's phone goes on reporting.
    const tracker = track(origin, [
      [0, 5, 300],
      [300, 5, 600],
      [300, 5, 900],
    ]);
    expect(detectedFindMs(runner, tracker, 10)).toBeCloseTo(
      T0 + (600 - Math.sqrt(10 ** 2 - 5 ** 2)) * 1000,
      -1,
    );
  });

  it('detects the same find live as the score does', () => {
    const origin = LATITUDES['45° N'] as Point;
    const runner = track(origin, [
      [0, 0, 0],
      [300, 0, 300],
    ]);
    const tracker = track(origin, [
      [0, 5, 400],
      [300, 5, 700],
    ]);
    const found = detectedFindMs(runner, tracker, 10);
    expect(found).toBe(scoreDrill(runner, tracker, { findRadiusM: 10 }).findTimeMs);
    expect(found).toBeCloseTo(T0 + (400 + 300 - Math.sqrt(10 ** 2 - 5 ** 2)) * 1000, -1);
    expect(() => detectedFindMs(runner, tracker.slice(0, 1))).toThrow(DrillScoreError);
  });

  it('takes the find from the caller when given, and scores the path up to it', () => {
    const { runner, tracker } = offsetLine(LATITUDES.equator as Point, 10);
    const start = tracker[0]?.timeMs ?? 0;
    const s = scoreDrill(runner, tracker, { findTimeMs: start + 600_500 });
    expect(s).toMatchObject({ findSource: 'given', timeToFindS: 600.5, trackerEndMs: start + 600_500 });
    expect(s.trackerDistanceM).toBeCloseTo(600.5, 1);
    // Up to the find, and the trail within 20 m of where the tracker stood 10 m off it then.
    expect(s.shareFollowed).toBeCloseTo((600.5 + Math.sqrt(20 ** 2 - 10 ** 2)) / 1000, 3);
  });

  it('splits moving and stopped time at the speed threshold', () => {
    const origin = LATITUDES['65° N'] as Point;
    const { runner } = offsetLine(origin, 0);
    // 60 s walking, 120 s standing (creeping 3 m), 60 s walking.
    const tracker = track(
      origin,
      [
        [0, 0, 0],
        [80, 0, 60],
        [83, 0, 180],
        [160, 0, 240],
      ],
      10,
      T0 + 3600_000,
    );
    const s = scoreDrill(runner, tracker, { findRadiusM: 1 });
    expect(s.movingS).toBeCloseTo(120, 6);
    expect(s.stoppedS).toBeCloseTo(120, 6);
    expect(scoreDrill(runner, tracker, { findRadiusM: 1, stopSpeedMps: 0.01 }).stoppedS).toBe(0);
  });

  it('reports where the tracker lost and regained the trail, ignoring short excursions', () => {
    const origin = LATITUDES['45° N'] as Point;
    const { runner } = offsetLine(origin, 0);
    // On the trail, 50 m off for a minute, back; later a quick 40 m dash out and back.
    const tracker = track(
      origin,
      [
        [0, 0, 0],
        [100, 0, 100],
        [100, 50, 150],
        [160, 50, 210],
        [160, 0, 260],
        [300, 0, 400],
        [300, 40, 410],
        [300, 0, 420],
        [600, 0, 700],
      ],
      1,
      T0 + 3600_000,
    );
    const s = scoreDrill(runner, tracker);
    expect(s.lostSegments).toHaveLength(1);
    const [lost] = s.lostSegments;
    // Beyond 20 m from 120 s (20 m out of 50) to 240 s (20 m back in).
    expect(((lost?.startMs ?? 0) - (T0 + 3600_000)) / 1000).toBeCloseTo(120, 0);
    expect(((lost?.endMs ?? 0) - (T0 + 3600_000)) / 1000).toBeCloseTo(240, 0);
    expect(lost?.maxDeviationM).toBeCloseTo(50, 0);
    expect(lost?.regained).toBe(true);
    expect(scoreDrill(runner, tracker, { lostAfterS: 5 }).lostSegments).toHaveLength(2);
  });

  it('weights the deviation by time: a long wait off the trail counts for its duration', () => {
    const origin = LATITUDES['45° N'] as Point;
    const { runner } = offsetLine(origin, 0);
    // 100 s walking on the trail, then 900 s standing 10 m off it.
    const tracker = track(
      origin,
      [
        [0, 0, 0],
        [100, 0, 100],
        [100, 10, 100],
        [100, 10, 1000],
      ],
      1,
      T0 + 3600_000,
    );
    const s = scoreDrill(runner, tracker);
    expect(s.deviationMeanM).toBeCloseTo(9, 1);
    expect(s.deviationP95M).toBeCloseTo(10, 3);
  });
});

describe('scoreDrill on bad input', () => {
  const { runner, tracker } = offsetLine(LATITUDES.equator as Point, 10);

  it('needs at least two points in each track', () => {
    expect(errorOf(() => scoreDrill(runner.slice(0, 1), tracker))).toMatchObject({
      code: 'too_few_points',
      track: 'runner',
      message: 'runner track: needs at least 2 points, has 1',
    });
    expect(errorOf(() => scoreDrill(runner, []))).toMatchObject({ code: 'too_few_points', track: 'tracker' });
  });

  it('names the first point out of time order', () => {
    const shuffled = [...tracker];
    [shuffled[4], shuffled[5]] = [shuffled[5] as TrackPoint, shuffled[4] as TrackPoint];
    const e = errorOf(() => scoreDrill(runner, shuffled));
    expect(e).toMatchObject({ code: 'time_out_of_order', track: 'tracker', index: 5 });
    expect(e.message).toMatch(/^tracker track: point 6 \(\S+Z\) is earlier than point 5 \(\S+Z\)$/);
  });

  it('accepts repeated timestamps', () => {
    const repeated = runner.map((p) => ({ ...p, timeMs: T0 }));
    expect(scoreDrill(repeated, tracker).shareFollowed).toBe(1);
  });

  it('rejects positions that are not coordinates', () => {
    const bad = [...runner];
    bad[3] = { lat: Number.NaN, lon: 0, timeMs: T0 };
    expect(errorOf(() => scoreDrill(bad, tracker))).toMatchObject({ code: 'invalid_point', index: 3 });
    bad[3] = { lat: 91, lon: 0, timeMs: T0 };
    expect(errorOf(() => scoreDrill(bad, tracker))).toMatchObject({ code: 'invalid_point', index: 3 });
  });

  it('rejects options that are not positive, and a find before the tracker started', () => {
    for (const options of [
      { toleranceM: 0 },
      { findRadiusM: -1 },
      { lostAfterS: Number.NaN },
    ] as DrillScoreOptions[]) {
      expect(errorOf(() => scoreDrill(runner, tracker, options)).code).toBe('invalid_option');
    }
    expect(errorOf(() => scoreDrill(runner, tracker, { findTimeMs: T0 })).message).toMatch(/findTimeMs/);
  });

  it('scores a runner who never moved against the point where they stood', () => {
    const still = runner.map((p) => ({ ...p, lat: runner[0]?.lat ?? 0, lon: runner[0]?.lon ?? 0 }));
    const s = scoreDrill(still, tracker, { findRadiusM: 1 });
    expect(s).toMatchObject({ trailLengthM: 0, distanceRatio: null, shareFollowed: 1 });
  });
});

/** A number from min to max in steps of 0.01 (fast-check's doubles crowd near zero). */
const centi = (min: number, max: number) =>
  fc.integer({ min: min * 100, max: max * 100 }).map((v) => v / 100);
/** Tracks as random walks in metres from a random origin. */
const origins = fc.record({ lat: centi(-75, 75), lon: centi(-180, 180) });
const legs = fc.array(fc.tuple(centi(-80, 80), centi(-80, 80), fc.integer({ min: 0, max: 60 })), {
  minLength: 1,
  maxLength: 25,
});

function walk(
  origin: Point,
  steps: readonly (readonly [number, number, number])[],
  t0: number,
): TrackPoint[] {
  let e = 0;
  let n = 0;
  let t = 0;
  const corners: [number, number, number][] = [[0, 0, 0]];
  for (const [de, dn, dt] of steps) {
    e += de;
    n += dn;
    t += dt;
    corners.push([e, n, t]);
  }
  return track(origin, corners, 1e9, t0);
}

/** The track with points inserted on its segments, positions and times interpolated. */
function resample(points: readonly TrackPoint[], at: readonly [number, number][]): TrackPoint[] {
  const out = [...points];
  for (const [segment, f] of at) {
    const i = segment % (out.length - 1);
    const a = out[i] as TrackPoint;
    const b = out[i + 1] as TrackPoint;
    const dLon = ((b.lon - a.lon + 540) % 360) - 180; // the short way, across the antimeridian too
    out.splice(i + 1, 0, {
      lat: a.lat + (b.lat - a.lat) * f,
      lon: ((a.lon + dLon * f + 540) % 360) - 180,
      timeMs: a.timeMs + (b.timeMs - a.timeMs) * f,
    });
  }
  return out;
}

describe('scoreDrill properties', () => {
  it('keeps every score within its bounds', () => {
    fc.assert(
      fc.property(origins, legs, legs, centi(1, 60), (o, r, t, tol) => {
        const s = scoreDrill(walk(o, r, T0), walk(o, t, T0 + 60_000), { toleranceM: tol });
        for (const share of [s.shareFollowed, s.shareFollowedSmooth]) {
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(1);
        }
        expect(s.deviationMeanM).toBeGreaterThanOrEqual(0);
        expect(s.deviationMeanM).toBeLessThanOrEqual(s.deviationMaxM);
        expect(s.deviationP95M).toBeGreaterThanOrEqual(0);
        expect(s.deviationP95M).toBeLessThanOrEqual(s.deviationMaxM);
        expect(s.movingS + s.stoppedS).toBeCloseTo((s.trackerEndMs - s.trackerStartMs) / 1000, 6);
        expect(s.timeToFindS === null || s.timeToFindS >= 0).toBe(true);
        for (const lost of s.lostSegments) {
          expect(lost.endMs - lost.startMs).toBeGreaterThan(30_000);
          expect(lost.maxDeviationM).toBeGreaterThan(tol);
          expect(lost.maxDeviationM).toBeLessThanOrEqual(s.deviationMaxM);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same scores when points are inserted on the segments', () => {
    const inserts = fc.array(fc.tuple(fc.nat(), centi(0.01, 0.99)), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(origins, legs, legs, fc.boolean(), inserts, inserts, (o, r, t, follows, ri, ti) => {
        const runner = walk(o, r, T0);
        // Either its own way, or along the trail and then its own way.
        const tracker = walk(o, follows ? [...r, ...t] : t, T0 + 60_000);
        const a = scoreDrill(runner, tracker);
        const b = scoreDrill(resample(runner, ri), resample(tracker, ti));
        expect(b.trailLengthM).toBeCloseTo(a.trailLengthM, 6);
        expect(b.trackerDistanceM).toBeCloseTo(a.trackerDistanceM, 4);
        expect(Math.abs(b.shareFollowed - a.shareFollowed)).toBeLessThan(1e-6);
        expect(Math.abs(b.shareFollowedSmooth - a.shareFollowedSmooth)).toBeLessThan(1e-6);
        expect(Math.abs(b.deviationMeanM - a.deviationMeanM)).toBeLessThan(1e-3);
        expect(Math.abs(b.deviationMaxM - a.deviationMaxM)).toBeLessThan(1e-3);
        expect(Math.abs(b.deviationP95M - a.deviationP95M)).toBeLessThan(1e-3);
        expect(b.lostSegments.length).toBe(a.lostSegments.length);
        expect(b.movingS).toBeCloseTo(a.movingS, 3);
        expect(b.timeToFindS === null).toBe(a.timeToFindS === null);
        if (a.timeToFindS !== null) expect(b.timeToFindS).toBeCloseTo(a.timeToFindS, 4);
      }),
      { numRuns: 300 },
    );
  });
});

describe('scoreDrill at scale', () => {
  // How fast is for the benchmark (`npm run bench`, bench/drill-score.ts); here only what it finds.
  it('scores a 100,000-point trail against a 100,000-point path', () => {
    const { runner, tracker } = drillTracks(100_000);
    const s = scoreDrill(runner, tracker);
    expect(s.shareFollowed).toBeGreaterThan(0.5);
    expect(s.timeToFindS).not.toBeNull();
  });
});

describe('passesWithin', () => {
  const origin = LATITUDES['45° N'] as Point;
  const at = (east: number, north: number) => track(origin, [[east, north, 0]], 1)[0] as TrackPoint;
  const hide = at(100, 0);

  it('sees a path pass near a point between two far-apart fixes', () => {
    const path = track(origin, [
      [0, 5, 0],
      [200, 5, 100],
    ]).filter((_, i, all) => i === 0 || i === all.length - 1);
    expect(path).toHaveLength(2);
    expect(passesWithin(path, hide, 10)).toBe(true);
    expect(passesWithin(path, hide, 4)).toBe(false);
  });

  it('takes a single fix, and nothing for no fixes', () => {
    expect(passesWithin([at(103, 0)], hide, 5)).toBe(true);
    expect(passesWithin([at(110, 0)], hide, 5)).toBe(false);
    expect(passesWithin([], hide, 5)).toBe(false);
  });
});
