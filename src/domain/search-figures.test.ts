import { describe, expect, it } from 'vitest';
import { searchFigures } from './search-figures.ts';

describe('searchFigures', () => {
  const segments = [
    { id: 'a', areaM2: 100_000, poa: 0.6 },
    { id: 'b', areaM2: 50_000, poa: 0.3 },
  ];

  it('sums W·L over searchers of a sortie, each with their own sweep width', () => {
    // Sortie 1 in a: 20 m × 2000 m + 40 m × 1000 m = 80 000 m² over 100 000 m²: C = 0.8.
    const f = searchFigures(segments, 0.1, [
      { segmentId: 'a', sortie: 1, sweepWidthM: 20, lengthInsideM: 2000, ...span(0, 3600) },
      { segmentId: 'a', sortie: 1, sweepWidthM: 40, lengthInsideM: 1000, ...span(600, 3000) },
    ]);
    const a = f.segments.get('a');
    expect(a?.sorties).toEqual([
      {
        sortie: 1,
        searchers: 2,
        lengthInsideM: 3000,
        coverage: 0.8,
        pod: expect.closeTo(1 - Math.exp(-0.8), 12),
        startedMs: 0,
        endedMs: 3_600_000,
      },
    ]);
    expect(a?.pos).toBeCloseTo(0.6 * (1 - Math.exp(-0.8)), 12);
    const missed = 1 - 0.6 * (1 - Math.exp(-0.8));
    expect(a?.currentPoa).toBeCloseTo((0.6 * Math.exp(-0.8)) / missed, 12);
    expect(f.segments.get('b')?.currentPoa).toBeCloseTo(0.3 / missed, 12);
    expect(f.currentRestOfWorld).toBeCloseTo(0.1 / missed, 12);
  });

  it('combines sorties into the cumulative POD, and reports the latest sortie’s POD', () => {
    const f = searchFigures(segments, 0.1, [
      { segmentId: 'b', sortie: 2, sweepWidthM: 10, lengthInsideM: 5000, ...span(4000, null) },
      { segmentId: 'b', sortie: 1, sweepWidthM: 10, lengthInsideM: 2500, ...span(0, 3600) },
    ]);
    const b = f.segments.get('b');
    expect(b?.sorties.map((s) => [s.sortie, s.coverage])).toEqual([
      [1, 0.5],
      [2, 1],
    ]);
    expect(b?.pod).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(b?.cumulativePod).toBeCloseTo(1 - Math.exp(-1.5), 12);
    expect(b?.coverage).toBeCloseTo(1.5, 12);
  });

  it('keeps a sortie in progress while any of its searchers is still out', () => {
    const f = searchFigures(segments, 0.1, [
      { segmentId: 'a', sortie: 1, sweepWidthM: 20, lengthInsideM: 100, ...span(60, 1200) },
      { segmentId: 'a', sortie: 1, sweepWidthM: 20, lengthInsideM: 100, ...span(0, null) },
      { segmentId: 'a', sortie: 2, sweepWidthM: 20, lengthInsideM: 0, ...span(1300, 1500) },
    ]);
    expect(f.segments.get('a')?.sorties.map((s) => [s.sortie, s.searchers, s.startedMs, s.endedMs])).toEqual([
      [1, 2, 0, null],
      [2, 1, 1_300_000, 1_500_000],
    ]);
  });

  it('leaves POS and the updated POA unknown until the POA is set', () => {
    const f = searchFigures([{ id: 'a', areaM2: 1000, poa: null }], null, []);
    expect(f.segments.get('a')).toMatchObject({ pos: null, currentPoa: null, cumulativePod: 0 });
    expect(f.currentRestOfWorld).toBeNull();
  });
});

/** An assignment's span in seconds from 0 (null: still out). */
function span(fromS: number, toS: number | null) {
  return { startedMs: fromS * 1000, endedMs: toS === null ? null : toS * 1000 };
}
