import { type ClockStyle, formatDate, formatDateTime, formatTime } from '../../../src/domain/time-format.ts';

/**
 * Times on every page in the team's clock style (Team settings): set when the team is loaded or changed, read
 * by every formatter here, so that no component needs the team to write a time.
 */
let style: ClockStyle = '24h';

export function setClockStyle(clock: ClockStyle | undefined): void {
  style = clock ?? '24h';
}

/** "14:05:32" / "2:05:32 PM": a moment in a log, with seconds. */
export const clockTime = (time: string | number | Date): string => formatTime(time, style, true);
/** "14:05" / "2:05 PM". */
export const shortTime = (time: string | number | Date): string => formatTime(time, style);
/** "4 Dec 2026 14:05". */
export const dateTime = (time: string | number | Date): string => formatDateTime(time, style);
/** "4 Dec 2026"; `utc` for dates that are days (a due date), not moments. */
export const date = (time: string | number | Date, utc = false): string => formatDate(time, utc);
