import { describe, expect, it } from 'vitest';
import { HowlError } from '../../contract/errors.ts';
import { AttemptLimiter } from './attempt-limiter.ts';

describe('AttemptLimiter', () => {
  it('allows max attempts per window and key, then answers 429 naming the wait', () => {
    let now = 0;
    const limiter = new AttemptLimiter(3, 60_000, () => now, 'sign-ins');
    for (let i = 0; i < 3; i++) limiter.take('a');
    now = 10_000;
    let error: unknown;
    try {
      limiter.take('a');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HowlError);
    expect(error).toMatchObject({ status: 429, message: 'too many sign-ins: try again in 50 s' });
    expect((error as HowlError).details).toEqual({ retryAfterS: 50 });
    // Another key is not affected; the first key has attempts again after the window.
    limiter.take('b');
    now = 60_001;
    limiter.take('a');
  });

  it('forgets a key when cleared', () => {
    const limiter = new AttemptLimiter(1, 60_000, () => 0);
    limiter.take('a');
    expect(() => limiter.check('a')).toThrow(HowlError);
    limiter.clear('a');
    expect(() => limiter.check('a')).not.toThrow();
  });
});
