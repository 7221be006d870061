/** At most `max` (≥ 2) of the points, evenly spread by index, always keeping the first and the last. */
export function thinTrack<T>(points: readonly T[], max: number): T[] {
  const n = points.length;
  const limit = Math.max(2, Math.floor(max));
  if (n <= limit) return [...points];
  const out: T[] = [];
  const step = (n - 1) / (limit - 1);
  for (let k = 0; k < limit; k++) out.push(points[Math.round(k * step)] as T);
  return out;
}
