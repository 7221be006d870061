import { describe, expect, it } from 'vitest';
import { parseViewHash, viewHash } from './views.ts';

describe('console views in the address', () => {
  it('reads the view and what follows it', () => {
    expect(parseViewHash('')).toEqual({ view: 'map', rest: '' });
    expect(parseViewHash('#/')).toEqual({ view: 'map', rest: '' });
    expect(parseViewHash('#/drills')).toEqual({ view: 'drills', rest: '' });
    expect(parseViewHash('#/records/abc/def')).toEqual({ view: 'records', rest: 'abc/def' });
  });

  it('falls back to the map for an unknown view', () => {
    expect(parseViewHash('#/nowhere/x')).toEqual({ view: 'map', rest: '' });
  });

  it('writes what it reads', () => {
    for (const hash of ['#/', '#/drills', '#/records/abc', '#/calendar']) {
      const { view, rest } = parseViewHash(hash);
      expect(viewHash(view, rest)).toBe(hash);
    }
  });
});
