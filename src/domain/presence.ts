/** The team's default time without a report before a member is stale, in seconds. */
export const DEFAULT_STALE_S = 120;

/** Whether a member whose last report was at `lastMs` is stale at `nowMs`. */
export function isStale(lastMs: number, nowMs: number, staleS: number): boolean {
  return nowMs - lastMs > staleS * 1000;
}

export type PresenceStatus = 'ok' | 'stale' | 'sos';

/** Whether a device's alarm word means an emergency (OsmAnd `alarm=sos`, panic buttons). */
export function isSosAlarm(alarm: string): boolean {
  return /sos|panic|emergency/i.test(alarm);
}

/** The status shown for a member: an SOS outranks staleness. */
export function presenceStatus(
  lastMs: number,
  nowMs: number,
  staleS: number,
  alarm: string | null,
): PresenceStatus {
  if (alarm && isSosAlarm(alarm)) return 'sos';
  return isStale(lastMs, nowMs, staleS) ? 'stale' : 'ok';
}

/**
 * The status shown for a member: `sos` while an SOS of theirs is active, whatever client sent it (the field
 * page, a Traccar alarm, a TAK emergency), else from their last report; null with no report and no SOS.
 */
export function memberStatus(
  lastMs: number | null,
  nowMs: number,
  staleS: number,
  sosActive: boolean,
): PresenceStatus | null {
  if (sosActive) return 'sos';
  if (lastMs === null) return null;
  return isStale(lastMs, nowMs, staleS) ? 'stale' : 'ok';
}

/** Seconds since a report, as "12 s", "4 min", "2 h 5 min". */
export function formatAge(lastMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - lastMs) / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d`;
}
