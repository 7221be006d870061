/**
 * One way to write times everywhere: the team's choice of a 24-hour clock ("14:05", radio-log style, the
 * default) or a 12-hour one ("2:05 PM"); dates as "4 Dec 2026". Local time of the reader. Exports and the
 * API use ISO 8601 instead (see formats/).
 */
export const CLOCK_STYLES = ['24h', '12h'] as const;
export type ClockStyle = (typeof CLOCK_STYLES)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const two = (n: number) => String(n).padStart(2, '0');

/** "14:05" / "2:05 PM", with seconds when asked ("14:05:32"). */
export function formatTime(time: string | number | Date, clock: ClockStyle, seconds = false): string {
  const d = new Date(time);
  const sec = seconds ? `:${two(d.getSeconds())}` : '';
  if (clock === '24h') return `${two(d.getHours())}:${two(d.getMinutes())}${sec}`;
  const h = d.getHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${two(d.getMinutes())}${sec} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "4 Dec 2026" (in UTC with `utc`, for dates that are days rather than moments). */
export function formatDate(time: string | number | Date, utc = false): string {
  const d = new Date(time);
  const [day, month, year] = utc
    ? [d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear()]
    : [d.getDate(), d.getMonth(), d.getFullYear()];
  return `${day} ${MONTHS[month]} ${year}`;
}

/** "4 Dec 2026 14:05". */
export function formatDateTime(time: string | number | Date, clock: ClockStyle): string {
  return `${formatDate(time)} ${formatTime(time, clock)}`;
}
