// Training readiness: qualification status, field-readiness, hours per month and their CSV export.
// Times are epoch milliseconds; months are UTC calendar months written `YYYY-MM`.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** How close to its expiry a qualification is flagged as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;

/** The longest month range a readiness or hours report may cover. */
export const MAX_REPORT_MONTHS = 36;

export type QualificationStatus = 'current' | 'expiring' | 'expired';

/** A sign-off as the rules need it: valid while `nowMs < expiresAtMs` (null: never expires). */
export interface SignOff {
  skillId: string;
  signedAtMs: number;
  expiresAtMs: number | null;
  revoked: boolean;
}

/** Returns a sign-off's status at `nowMs`: expired from its expiry instant on, expiring within 30 days before it. */
export function qualificationStatus(expiresAtMs: number | null, nowMs: number): QualificationStatus {
  if (expiresAtMs === null) return 'current';
  if (expiresAtMs <= nowMs) return 'expired';
  return expiresAtMs - nowMs <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'current';
}

/** Returns `ms` moved by whole UTC calendar months, clamped to the end of a shorter month (31 Jan + 1 → 28/29 Feb). */
export function addMonthsMs(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** Returns the sign-off that counts per skill: the newest one not revoked (a later expiry breaks a tie). */
export function currentSignOffs<T extends SignOff>(signOffs: readonly T[]): Map<string, T> {
  const best = new Map<string, T>();
  for (const s of signOffs) {
    if (s.revoked) continue;
    const b = best.get(s.skillId);
    if (!b || s.signedAtMs > b.signedAtMs || (s.signedAtMs === b.signedAtMs && laterExpiry(s, b))) {
      best.set(s.skillId, s);
    }
  }
  return best;
}

function laterExpiry(a: SignOff, b: SignOff): boolean {
  if (a.expiresAtMs === null) return b.expiresAtMs !== null;
  return b.expiresAtMs !== null && a.expiresAtMs > b.expiresAtMs;
}

export interface FieldReadiness {
  fieldReady: boolean;
  /** Readable reasons, one per required skill that is missing or expired, in the skills' order. */
  reasons: string[];
}

/** Whether a skill is for a member of this kind: for everyone, or for their kind (people or K9s). */
export function skillAppliesTo(appliesTo: 'all' | 'person' | 'animal', kind: 'person' | 'animal'): boolean {
  return appliesTo === 'all' || appliesTo === kind;
}

/** The skills required of a member of this kind: required, and for everyone or for their kind. */
export function requiredOf<S extends { required: boolean; appliesTo: 'all' | 'person' | 'animal' }>(
  skills: readonly S[],
  kind: 'person' | 'animal',
): S[] {
  return skills.filter((s) => s.required && skillAppliesTo(s.appliesTo, kind));
}

/**
 * Returns whether a member is field-ready at `nowMs`: every required skill has a sign-off that is not revoked
 * and not expired (an expiring one still counts).
 */
export function fieldReadiness(
  requiredSkills: readonly { id: string; name: string }[],
  signOffs: readonly SignOff[],
  nowMs: number,
): FieldReadiness {
  const current = currentSignOffs(signOffs);
  const reasons: string[] = [];
  for (const skill of requiredSkills) {
    const s = current.get(skill.id);
    if (!s) reasons.push(`no ${skill.name} sign-off`);
    else if (qualificationStatus(s.expiresAtMs, nowMs) === 'expired')
      reasons.push(`${skill.name} expired ${isoDate(s.expiresAtMs ?? 0)}`);
  }
  return { fieldReady: reasons.length === 0, reasons };
}

/** Returns the `YYYY-MM-DD` (UTC) of an instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Returns the `YYYY-MM` (UTC) of an instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Returns the first instant (UTC) of a `YYYY-MM` month. */
export function monthStartMs(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, 1);
}

/** Returns `month` moved by `n` months (`2026-01` − 1 → `2025-12`). */
export function shiftMonth(month: string, n: number): string {
  return monthOf(addMonthsMs(monthStartMs(month), n));
}

export type MonthRange =
  | { ok: true; months: string[] }
  | { ok: false; field: 'from' | 'to'; message: string };

/** Returns every month from `from` to `to` inclusive, oldest first, or why the range is refused. */
export function monthRange(from: string, to: string): MonthRange {
  const count =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5)) -
    Number(from.slice(5)) +
    1;
  if (count < 1) return { ok: false, field: 'to', message: `${to} is before from ${from}` };
  if (count > MAX_REPORT_MONTHS)
    return { ok: false, field: 'to', message: `at most ${MAX_REPORT_MONTHS} months from ${from}` };
  return { ok: true, months: Array.from({ length: count }, (_, i) => shiftMonth(from, i)) };
}

/** Something a member spent time on: `hours` spread evenly over [startMs, endMs]. */
export interface Activity {
  startMs: number;
  endMs: number;
  hours: number;
}

/**
 * Returns hours per month for `months` (oldest first, consecutive): each activity's hours are split in
 * proportion to its time in each month, so one crossing midnight at a month's end counts in both. An activity
 * with no duration counts in the month it starts. Time outside the months is left out.
 */
export function hoursByMonth(activities: readonly Activity[], months: readonly string[]): number[] {
  const bounds = months.map((m) => [monthStartMs(m), monthStartMs(shiftMonth(m, 1))] as const);
  const out = months.map(() => 0);
  for (const a of activities) {
    const span = a.endMs - a.startMs;
    bounds.forEach(([start, end], i) => {
      if (span <= 0) {
        if (a.startMs >= start && a.startMs < end) out[i] = (out[i] ?? 0) + a.hours;
        return;
      }
      const overlap = Math.min(end, a.endMs) - Math.max(start, a.startMs);
      if (overlap > 0) out[i] = (out[i] ?? 0) + (a.hours * overlap) / span;
    });
  }
  return out.map(roundHours);
}

/** Hours rounded to two decimals, as shown and exported. */
export function roundHours(h: number): number {
  return Math.round(h * 100) / 100;
}

/** One CSV field, quoted per RFC 4180 when it holds a comma, a quote or a line break. */
export function csvField(value: string | number): string {
  let s = String(value);
  // A spreadsheet would run a text cell starting like a formula; a leading apostrophe keeps it text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export interface HoursRow {
  name: string;
  callsign: string;
  hours: readonly number[];
  total: number;
}

/** Returns the hours report as CSV (RFC 4180, CRLF line ends): `member,callsign,YYYY-MM,…,total`. */
export function hoursCsv(months: readonly string[], rows: readonly HoursRow[]): string {
  const lines = [
    ['member', 'callsign', ...months, 'total'],
    ...rows.map((r) => [r.name, r.callsign, ...r.hours.map(roundHours), roundHours(r.total)]),
  ];
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** What an operation's span counts as training time: its kind, start, end and played time. */
export interface OperationSpan {
  readonly incident: boolean;
  readonly startMs: number;
  readonly endedMs: number | null;
  /** Seconds played so far (pauses left out); 0 for a drill recorded afterwards. */
  readonly playedS: number;
  /** Running now (since this instant), so its time goes on to `nowMs`. */
  readonly runningSinceMs: number | null;
}

/**
 * The hours an operation counts and the wall-clock span they fall in (for bucketing into months): an incident
 * its whole duration, an exercise or drill its played time (pauses left out), or ENDEX − STARTEX when it was
 * recorded afterwards and never played.
 */
export function operationHours(o: OperationSpan, nowMs: number): { hours: number; endMs: number } {
  if (o.incident) {
    const endMs = o.endedMs ?? nowMs;
    return { hours: Math.max(0, endMs - o.startMs) / HOUR_MS, endMs };
  }
  const hours =
    o.playedS > 0 ? o.playedS / 3600 : o.endedMs !== null ? Math.max(0, o.endedMs - o.startMs) / HOUR_MS : 0;
  const endMs = o.endedMs ?? (o.runningSinceMs !== null ? nowMs : o.startMs + hours * HOUR_MS);
  return { hours, endMs };
}
