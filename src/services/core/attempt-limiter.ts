import { HowlError } from '../../contract/errors.ts';

/**
 * Counts attempts per key in a sliding window (`max` in `windowMs`), in this node's memory: one limiter is
 * shared by everything that signs in (HTTP and HTTPS alike). `take` throws a 429 naming the wait once a
 * key has used its attempts.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly nowMs: () => number = () => Date.now(),
    private readonly what = 'attempts',
  ) {}

  /** Counts one attempt for `key`, or throws 429 when it has none left. */
  take(key: string): void {
    this.check(key);
    this.recent(key).push(this.nowMs());
  }

  /** Throws 429 when `key` has no attempts left, without counting one. */
  check(key: string): void {
    const recent = this.recent(key);
    if (recent.length < this.max) return;
    const waitS = Math.max(1, Math.ceil(((recent[0] ?? 0) + this.windowMs - this.nowMs()) / 1000));
    throw new HowlError(429, 'rate_limited', `too many ${this.what}: try again in ${waitS} s`, {
      retryAfterS: waitS,
    });
  }

  /** Forgets a key's attempts (a successful sign-in clears its account's failures). */
  clear(key: string): void {
    this.attempts.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.nowMs() - this.windowMs;
    const kept = (this.attempts.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.attempts.set(key, kept);
    else this.attempts.delete(key);
    // Bounded memory under a flood of distinct keys: the oldest keys go first.
    if (this.attempts.size > 100_000) this.attempts.delete(this.attempts.keys().next().value as string);
    return kept.length ? kept : this.fresh(key);
  }

  private fresh(key: string): number[] {
    const list: number[] = [];
    this.attempts.set(key, list);
    return list;
  }
}
