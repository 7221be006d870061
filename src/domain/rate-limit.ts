/**
 * A token bucket: `burst` requests at once, then `ratePerS` a second. Pure: the caller keeps the bucket.
 * `retryAfterS` is how long until one request is allowed again (0 when this one is).
 */
export interface Bucket {
  tokens: number;
  atMs: number;
}

export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  ratePerS: number,
  burst: number,
): { bucket: Bucket; ok: boolean; retryAfterS: number } {
  const refilled = bucket
    ? Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.atMs) / 1000) * ratePerS)
    : burst;
  if (refilled >= 1) return { bucket: { tokens: refilled - 1, atMs: nowMs }, ok: true, retryAfterS: 0 };
  return {
    bucket: { tokens: refilled, atMs: nowMs },
    ok: false,
    retryAfterS: Math.max(1, Math.ceil((1 - refilled) / ratePerS)),
  };
}
