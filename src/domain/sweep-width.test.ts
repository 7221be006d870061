import { describe, expect, it } from 'vitest';
import {
  type DetectionTrial,
  SweepWidthError,
  sweepWidthFromDetectionRange,
  sweepWidthFromLateralRange,
} from './sweep-width.ts';

describe('sweepWidthFromLateralRange', () => {
  it('gives 2R for a searcher who sees everything within R and nothing beyond', () => {
    const trials: DetectionTrial[] = [];
    for (let x = 0; x <= 60; x += 5) trials.push({ lateralRangeM: x, detected: x < 30 });
    const fit = sweepWidthFromLateralRange(trials, 10);
    expect(fit.sweepWidthM).toBe(60);
    expect(fit.bins.map((b) => b.detected)).toEqual([2, 2, 2, 0, 0, 0, 0]);
  });

  it('integrates a falling detection share', () => {
    // shares 1, 0.5, 0.25, 0 in 10 m bins: W = 2·10·(1 + 0.5 + 0.25) = 35 m.
    const bin = (x: number, found: number, of: number) =>
      Array.from({ length: of }, (_, i) => ({ lateralRangeM: x, detected: i < found }));
    const fit = sweepWidthFromLateralRange(
      [...bin(5, 4, 4), ...bin(15, 2, 4), ...bin(25, 1, 4), ...bin(35, 0, 4)],
      10,
    );
    expect(fit.sweepWidthM).toBeCloseTo(35, 12);
  });

  it('fills an empty bin from its neighbours', () => {
    const fit = sweepWidthFromLateralRange(
      [
        { lateralRangeM: 5, detected: true },
        { lateralRangeM: 25, detected: false },
      ],
      10,
    );
    expect(fit.sweepWidthM).toBeCloseTo(2 * 10 * (1 + 0.5 + 0), 12);
  });

  it('refuses no trials, negative ranges and a bin of no width', () => {
    expect(() => sweepWidthFromLateralRange([], 10)).toThrow(SweepWidthError);
    expect(() => sweepWidthFromLateralRange([{ lateralRangeM: -1, detected: true }], 10)).toThrow(
      /non-negative/,
    );
    expect(() => sweepWidthFromLateralRange([{ lateralRangeM: 1, detected: true }], 0)).toThrow(/bin width/);
  });
});

describe('sweepWidthFromDetectionRange', () => {
  it('applies Koester et al.’s factor to the mean maximum detection range', () => {
    expect(sweepWidthFromDetectionRange([20, 30, 40], 'medium')).toBeCloseTo(48, 12);
    expect(sweepWidthFromDetectionRange([30], 'high')).toBeCloseTo(54, 12);
    expect(sweepWidthFromDetectionRange([30], 'low')).toBeCloseTo(33, 12);
    expect(() => sweepWidthFromDetectionRange([], 'low')).toThrow(SweepWidthError);
  });
});
