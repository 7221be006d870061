import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, measureProgress, type ProgressSample, progressOf } from './progress.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const sample = (
  day: number,
  share: number,
  dev: number,
  find: number | null,
  id = `d${day}`,
): ProgressSample => ({
  drillId: id,
  timeMs: T0 + day * DAY,
  shareFollowed: share,
  meanDeviationM: dev,
  timeToFindS: find,
});

describe('progress', () => {
  it('fits the least-squares slope exactly on a line', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([0, 10], [5, 0])).toBeCloseTo(-0.5, 12);
  });

  it('has no trend with fewer than two drills or all on the same instant', () => {
    expect(leastSquaresSlope([], [])).toBeNull();
    expect(leastSquaresSlope([3], [1])).toBeNull();
    expect(leastSquaresSlope([3, 3], [1, 2])).toBeNull();
    expect(measureProgress([sample(0, 0.5, 10, 600)], 'shareFollowed')).toEqual({
      measure: 'shareFollowed',
      best: { drillId: 'd0', timeMs: T0, value: 0.5 },
      trendPer30Days: null,
      improving: null,
    });
  });

  it('gives the trend per 30 days and the best the right way for each measure', () => {
    // Share +0.1 per 30 days, deviation −3 m per 30 days, time to find −60 s per 30 days: all improving.
    const samples = [sample(0, 0.6, 15, 900), sample(30, 0.7, 12, 840), sample(60, 0.8, 9, 780)];
    const [share, dev, find] = progressOf(samples);
    expect(share?.trendPer30Days).toBeCloseTo(0.1, 9);
    expect(share?.improving).toBe(true);
    expect(share?.best).toEqual({ drillId: 'd60', timeMs: T0 + 60 * DAY, value: 0.8 });
    expect(dev?.trendPer30Days).toBeCloseTo(-3, 9);
    expect(dev?.improving).toBe(true);
    expect(dev?.best?.value).toBe(9);
    expect(find?.trendPer30Days).toBeCloseTo(-60, 9);
    expect(find?.improving).toBe(true);
    expect(find?.best?.drillId).toBe('d60');
  });

  it('says a worsening trend is not improving', () => {
    const samples = [sample(0, 0.9, 5, 300), sample(10, 0.5, 25, 1200)];
    const [share, dev, find] = progressOf(samples);
    expect(share?.improving).toBe(false);
    expect(dev?.improving).toBe(false);
    expect(find?.improving).toBe(false);
    expect(share?.best?.value).toBe(0.9);
    expect(dev?.best?.value).toBe(5);
  });

  it('leaves out drills without a find from the time to find', () => {
    const samples = [sample(0, 0.9, 5, null), sample(10, 0.5, 25, 1200), sample(20, 0.5, 25, null)];
    const find = measureProgress(samples, 'timeToFindS');
    expect(find.best).toEqual({ drillId: 'd10', timeMs: T0 + 10 * DAY, value: 1200 });
    expect(find.trendPer30Days).toBeNull();
    expect(measureProgress([], 'timeToFindS')).toMatchObject({ best: null, trendPer30Days: null });
  });
});
