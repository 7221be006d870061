import { describe, expect, it } from 'vitest';
import {
  consensusBody,
  consensusPreview,
  move,
  newRanking,
  REST_OF_WORLD,
  withSegments,
} from './consensus-view.ts';

describe('consensus POA from planners’ rankings', () => {
  it('turns each ranking into rank-sum weights, the rest of the world ranked with the segments', () => {
    const one = { id: 1, name: 'one', ranking: ['a', 'b', REST_OF_WORLD] };
    const two = { id: 2, name: ' ', ranking: ['b', REST_OF_WORLD, 'a'] };
    expect(consensusBody([one, two])).toEqual({
      method: 'consensus',
      planners: [
        { name: 'one', segments: { a: 3, b: 2 }, restOfWorld: 1 },
        { segments: { b: 3, a: 1 }, restOfWorld: 2 },
      ],
    });
    // Each planner normalised (÷ 6), then averaged: a = (3 + 1)/12, b = (2 + 3)/12, ROW = (1 + 2)/12.
    const poa = consensusPreview([one, two]);
    expect(poa?.segments.a).toBeCloseTo(4 / 12, 12);
    expect(poa?.segments.b).toBeCloseTo(5 / 12, 12);
    expect(poa?.restOfWorld).toBeCloseTo(3 / 12, 12);
    expect(consensusPreview([])).toBeNull();
  });

  it('moves an item up or down within the list', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 0, 5)).toEqual(['b', 'c', 'a']);
  });

  it('keeps the rankings in step with the segments of the plan', () => {
    const p = newRanking(1, 'one', ['a', 'b']);
    expect(p.ranking).toEqual(['a', 'b', REST_OF_WORLD]);
    const reordered = { ...p, ranking: [REST_OF_WORLD, 'b', 'a'] };
    expect(withSegments([reordered], ['b', 'c'])[0]?.ranking).toEqual(['c', REST_OF_WORLD, 'b']);
  });
});
