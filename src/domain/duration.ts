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

/** "14:05:32": the local time of day, 24-hour, as radio logs are kept (ISO string, Date or epoch ms). */
export function clockTime(time: string | number | Date): string {
  return new Date(time).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}
