/** How far ahead of the server's clock a report may be before it is refused, in ms. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export type TimeCheck = { ok: true } | { ok: false; reason: string };

/** Whether a report taken at `timeMs` is acceptable at `nowMs`: the past is fine, the far future is not. */
export function checkReportTime(timeMs: number, nowMs: number): TimeCheck {
  if (!Number.isFinite(timeMs)) return { ok: false, reason: 'time is not a valid date' };
  if (timeMs > nowMs + MAX_FUTURE_MS) {
    return { ok: false, reason: `time is ${Math.round((timeMs - nowMs) / 1000)} s in the future` };
  }
  if (timeMs < Date.UTC(2000, 0, 1)) return { ok: false, reason: 'time is before the year 2000' };
  return { ok: true };
}

/** Whether a report at `timeMs` should move the live marker whose latest time is `latestMs`. */
export function movesLiveMarker(timeMs: number, latestMs: number | undefined): boolean {
  return latestMs === undefined || timeMs >= latestMs;
}
