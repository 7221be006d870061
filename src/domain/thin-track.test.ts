import { describe, expect, it } from 'vitest';
import { thinTrack } from './thin-track.ts';

describe('thinTrack', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('keeps a short track whole', () => {
    expect(thinTrack(range(5), 10)).toEqual(range(5));
  });

  it('thins a long track to the limit, keeping both ends in order', () => {
    const out = thinTrack(range(100_001), 5000);
    expect(out).toHaveLength(5000);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(100_000);
    expect(out.every((v, i) => i === 0 || v > (out[i - 1] as number))).toBe(true);
  });

  it('keeps at least the two ends', () => {
    expect(thinTrack(range(10), 1)).toEqual([0, 9]);
  });
});
