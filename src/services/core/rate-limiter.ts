import { HowlError } from '../../contract/errors.ts';
import { type Bucket, takeToken } from '../../domain/rate-limit.ts';

/** Keys remembered at most: under a flood of distinct keys the least recently used go first. */
const MAX_KEYS = 100_000;

/**
 * A rate limit per key (a device id, an address, a token) in this node's memory: `burst` at once, then
 * `ratePerS` a second; past that, `take` throws a 429 with `Retry-After`. A rate of 0 turns it off.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly ratePerS: number,
    readonly burst: number,
    private readonly what: string,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  get enabled(): boolean {
    return this.ratePerS > 0;
  }

  take(key: string): void {
    if (!this.enabled) return;
    const r = takeToken(this.buckets.get(key), this.nowMs(), this.ratePerS, this.burst);
    this.buckets.delete(key);
    this.buckets.set(key, r.bucket);
    if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
    if (!r.ok)
      throw new HowlError(
        429,
        'rate_limited',
        `too many ${this.what}: at most ${this.ratePerS} a second; try again in ${r.retryAfterS} s`,
        { retryAfterS: r.retryAfterS },
      );
  }
}

/** The limits a node applies (src/app/config.ts): per device and address on ingest, per token on the API. */
export interface RateLimits {
  device: RateLimiter;
  address: RateLimiter;
  token: RateLimiter;
}

/** Limits from rates a second (0: off), each with a burst of 30 seconds' worth (at least 20). */
export function rateLimits(o: { devicePerS: number; addressPerS: number; tokenPerS: number }): RateLimits {
  const burst = (perS: number) => Math.max(20, Math.ceil(perS * 30));
  return {
    device: new RateLimiter(o.devicePerS, burst(o.devicePerS), 'reports from this device'),
    address: new RateLimiter(o.addressPerS, burst(o.addressPerS), 'reports from this address'),
    token: new RateLimiter(o.tokenPerS, burst(o.tokenPerS), 'requests with this token'),
  };
}
