import { describe, expect, it } from 'vitest';
import { type Bucket, takeToken } from './rate-limit.ts';

describe('takeToken', () => {
  it('allows a burst, then the rate, and says how long to wait', () => {
    let b: Bucket | undefined;
    const take = (nowMs: number) => {
      const r = takeToken(b, nowMs, 2, 5);
      b = r.bucket;
      return r;
    };
    for (let i = 0; i < 5; i++) expect(take(0).ok).toBe(true);
    expect(take(0)).toMatchObject({ ok: false, retryAfterS: 1 });
    expect(take(499).ok).toBe(false);
    expect(take(500).ok).toBe(true); // half a second at 2 a second: one more
    expect(take(500).ok).toBe(false);
    expect(take(10_000).ok).toBe(true);
    // Refilled to the burst, never beyond.
    expect(b?.tokens).toBe(4);
  });

  it('says a longer wait at a slow rate', () => {
    const empty = { tokens: 0, atMs: 0 };
    expect(takeToken(empty, 0, 0.1, 1)).toMatchObject({ ok: false, retryAfterS: 10 });
  });
});
