import { type ClockStyle, formatTime } from './time-format.ts';

/** A duration for people, from seconds: 1 h 02 min, 12 min 05 s, 42 s. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(min).padStart(2, '0')} min`;
  if (min > 0) return `${min} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

/** "14:05:32": the local time of day with seconds, as radio logs are kept, in the team's clock style. */
export function clockTime(time: string | number | Date, clock: ClockStyle = '24h'): string {
  return formatTime(time, clock, true);
}
