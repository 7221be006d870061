import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consensusPoa,
  normalisePoa,
  PoaError,
  type PoaTable,
  rankingWeights,
  updatePoaAfterSearch,
} from './search-planning.ts';

const total = (t: PoaTable) => Object.values(t.segments).reduce((s, p) => s + p, t.restOfWorld);

describe('POA', () => {
  it('normalises weights with the rest of the world', () => {
    const t = normalisePoa({ segments: { a: 30, b: 50 }, restOfWorld: 20 });
    expect(t.segments.a).toBeCloseTo(0.3, 12);
    expect(t.segments.b).toBeCloseTo(0.5, 12);
    expect(t.restOfWorld).toBeCloseTo(0.2, 12);
  });

  it('averages the planners’ normalised weights (Mattson consensus)', () => {
    const t = consensusPoa([
      { segments: { a: 6, b: 3 }, restOfWorld: 1 },
      { segments: { a: 2, b: 6 }, restOfWorld: 2 },
    ]);
    expect(t.segments.a).toBeCloseTo((0.6 + 0.2) / 2, 12);
    expect(t.segments.b).toBeCloseTo((0.3 + 0.6) / 2, 12);
    expect(t.restOfWorld).toBeCloseTo((0.1 + 0.2) / 2, 12);
  });

  it('turns a ranking into rank-sum weights', () => {
    expect(rankingWeights(['b', 'a', 'c'])).toEqual({ b: 3, a: 2, c: 1 });
    expect(() => rankingWeights(['a', 'a'])).toThrow(PoaError);
  });

  it('refuses negative weights and an all-zero table', () => {
    expect(() => normalisePoa({ segments: { a: -1 }, restOfWorld: 2 })).toThrow(/non-negative/);
    expect(() => normalisePoa({ segments: { a: 0 }, restOfWorld: 0 })).toThrow(/zero/);
  });

  it('moves probability out of a searched segment after an unsuccessful search', () => {
    // POA a 0.5, b 0.3, ROW 0.2; a searched with POD 0.6: POS 0.3, so a′ = 0.2/0.7, b′ = 0.3/0.7, ROW′ = 0.2/0.7.
    const t = updatePoaAfterSearch({ segments: { a: 0.5, b: 0.3 }, restOfWorld: 0.2 }, { a: 0.6 });
    expect(t.segments.a).toBeCloseTo(0.2 / 0.7, 12);
    expect(t.segments.b).toBeCloseTo(0.3 / 0.7, 12);
    expect(t.restOfWorld).toBeCloseTo(0.2 / 0.7, 12);
  });

  it('refuses a POD outside 0–1, an unknown segment, and a search that could not have missed', () => {
    const t = { segments: { a: 1 }, restOfWorld: 0 };
    expect(() => updatePoaAfterSearch(t, { a: 1.2 })).toThrow(/0–1/);
    expect(() => updatePoaAfterSearch(t, { z: 0.2 })).toThrow(/no segment/);
    expect(() => updatePoaAfterSearch(t, { a: 1 })).toThrow(/could not have missed/);
  });

  it('stays a probability distribution after any sequence of unsuccessful searches', () => {
    const weights = fc.record({
      segments: fc.dictionary(
        fc.constantFrom('a', 'b', 'c', 'd', 'e'),
        fc.double({ min: 0, max: 100, noNaN: true }),
        {
          minKeys: 1,
        },
      ),
      restOfWorld: fc.double({ min: 0.01, max: 100, noNaN: true }),
    });
    const pods = fc.array(
      fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.double({ min: 0, max: 0.99, noNaN: true })),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(weights, pods, (w, searches) => {
        let t = normalisePoa(w);
        expect(total(t)).toBeCloseTo(1, 9);
        for (const search of searches) {
          const known = Object.fromEntries(Object.entries(search).filter(([id]) => id in t.segments));
          t = updatePoaAfterSearch(t, known);
          for (const p of [...Object.values(t.segments), t.restOfWorld]) {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(total(t)).toBeCloseTo(1, 9);
        }
      }),
    );
  });
});
