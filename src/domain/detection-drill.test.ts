import { describe, expect, it } from 'vitest';
import { countedTrials, detectionTrials, fitDetectionTrials, lateralRangeM } from './detection-drill.ts';
import { localFrame } from './search-geometry.fixtures.ts';
import { sweepWidthFromLateralRange } from './sweep-width.ts';

const MINUTE = 60_000;
const options = { maxGapMs: MINUTE, maxRangeM: 100 };

describe.each([0, 45, 65])('lateralRangeM at %i° latitude', (lat) => {
  const frame = localFrame({ lat, lon: 10 });
  const northward = frame.walk(
    [
      [0, -200],
      [0, 200],
    ],
    25,
  );

  it('is the distance across to a straight track, within 0.5 m from 2 m to 200 m', () => {
    for (const [d, y] of [
      [2, -130],
      [5, -60],
      [10, 7],
      [20, 33],
      [30, 101],
      [50, -12],
      [100, 150],
      [200, 0],
    ] as const) {
      for (const side of [1, -1]) {
        const range = lateralRangeM(frame.at(side * d, y), northward, MINUTE);
        expect(Math.abs((range as number) - d), `${d} m at ${lat}°`).toBeLessThan(0.5);
      }
    }
  });

  it('measures across a diagonal track and to the nearer end beyond it', () => {
    const diagonal = frame.walk(
      [
        [-150, -150],
        [150, 150],
      ],
      10,
    );
    const r = Math.SQRT1_2;
    for (const [s, d] of [
      [0, 10],
      [80, 25],
      [-120, 60],
    ] as const) {
      const object = frame.at(s * r - d * r, s * r + d * r);
      expect(Math.abs((lateralRangeM(object, diagonal, MINUTE) as number) - d)).toBeLessThan(0.5);
    }
    // 40 m north of the north-east end, straight on: 40 m from the end.
    const past = frame.at(150, 190);
    expect(Math.abs((lateralRangeM(past, diagonal, MINUTE) as number) - 40)).toBeLessThan(0.5);
  });

  it('does not count a step across a gap longer than the stale time', () => {
    // Two positions 400 m apart and 10 minutes apart: the line between them was not walked.
    const gap = [
      { ...frame.at(0, -200), timeMs: 0 },
      { ...frame.at(0, 200), timeMs: 10 * MINUTE },
    ];
    const object = frame.at(5, 0);
    expect(Math.abs((lateralRangeM(object, gap, MINUTE) as number) - Math.hypot(5, 200))).toBeLessThan(0.5);
    expect(Math.abs((lateralRangeM(object, gap, 11 * MINUTE) as number) - 5)).toBeLessThan(0.5);
  });
});

describe('detectionTrials', () => {
  const frame = localFrame({ lat: 51.05, lon: -1.31 });
  const track = frame.walk(
    [
      [0, -200],
      [0, 200],
    ],
    10,
  );
  const distances = [2, 5, 10, 20, 30];
  const objects = distances.map((d, i) => ({ id: `o${d}`, ...frame.at(i % 2 ? d : -d, -150 + 60 * i) }));
  const foundWithin10 = (searcherId: string) =>
    distances.map((d) => ({ searcherId, objectId: `o${d}`, found: d <= 10 }));

  it('fits W as the lateral range curve gives it for objects at 2, 5, 10, 20 and 30 m found within 10 m', () => {
    const { trials, problems } = detectionTrials(
      objects,
      [{ searcherId: 'scott', points: track }],
      foundWithin10('scott'),
      options,
    );
    expect(problems).toEqual([]);
    expect(trials.map((t) => t.detected)).toEqual([true, true, true, false, false]);
    trials.forEach((t, i) => {
      expect(Math.abs(t.lateralRangeM - (distances[i] as number))).toBeLessThan(0.5);
    });
    // 7 m bins keep every object more than 0.5 m from a bin edge: shares 1, 1, 0, (empty: 0), 0.
    const ideal = distances.map((d) => ({ lateralRangeM: d, detected: d <= 10 }));
    const fit = fitDetectionTrials(trials, 7);
    expect(fit?.sweepWidthM).toBe(sweepWidthFromLateralRange(ideal, 7).sweepWidthM);
    expect(fit?.sweepWidthM).toBe(28);
    expect(fit?.bins.map((b) => [b.trials, b.detected])).toEqual([
      [2, 2],
      [1, 1],
      [1, 0],
      [0, 0],
      [1, 0],
    ]);
  });

  it('pools two searchers, takes a missing record as not found, and gives no trials to a searcher without positions', () => {
    const { trials, problems } = detectionTrials(
      objects,
      [
        { searcherId: 'scott', points: track },
        { searcherId: 'stiles', points: track },
        { searcherId: 'kira', points: [] },
      ],
      [...foundWithin10('scott'), { searcherId: 'stiles', objectId: 'o2', found: true }],
      options,
    );
    expect(trials).toHaveLength(10);
    expect(trials.filter((t) => t.searcherId === 'stiles' && t.detected).map((t) => t.objectId)).toEqual([
      'o2',
    ]);
    expect(problems).toEqual(['searcher kira has no positions during the drill: no trials']);
    // Scott's bins as above plus Stiles's: bin 0 (2, 5 m) 3 of 4, bin 1 (10 m) 1 of 2, then nothing: W = 2·7·1.25.
    expect(fitDetectionTrials(trials, 7)?.sweepWidthM).toBeCloseTo(17.5, 12);
  });

  it('lists an object beyond the cutoff but leaves it out of the fit, and says when it was found anyway', () => {
    const far = { id: 'far', ...frame.at(150, 0) };
    const { trials, problems } = detectionTrials(
      [...objects, far],
      [{ searcherId: 'scott', points: track }],
      [...foundWithin10('scott'), { searcherId: 'scott', objectId: 'far', found: true }],
      options,
    );
    const farTrial = trials.find((t) => t.objectId === 'far');
    expect(farTrial).toMatchObject({ counted: false, detected: true });
    expect(countedTrials(trials)).toHaveLength(5);
    expect(problems).toEqual([
      'searcher scott found object far but never came within 100 m of it: check its position',
    ]);
    expect(fitDetectionTrials(trials, 7)?.sweepWidthM).toBe(28);
  });

  it('has no fit without trials', () => {
    const { trials, problems } = detectionTrials([], [{ searcherId: 'scott', points: track }], [], options);
    expect(trials).toEqual([]);
    expect(problems).toEqual(['no objects placed']);
    expect(fitDetectionTrials(trials, 5)).toBeNull();
  });
});
