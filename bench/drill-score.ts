// Drill scoring: a runner trail and a tracker path of 10,000 and 100,000 points each (1 Hz, a winding walk, the
// tracker weaving 5–25 m beside the trail and losing it now and then), median time of a few runs of scoreDrill.
import { scoreDrill, type TrackPoint } from '../src/domain/drill-score.ts';
import { quantile } from './support.ts';

const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/** A deterministic pseudo-random generator (mulberry32), so every run scores the same tracks. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A runner's trail and a tracker's path of `n` points each, at 60° N. */
export function drillTracks(n: number, seed = 1): { runner: TrackPoint[]; tracker: TrackPoint[] } {
  const rnd = random(seed);
  const lat0 = 60.2;
  const lon0 = 24.9;
  const toPoint = (x: number, y: number, timeMs: number): TrackPoint => ({
    lat: lat0 + y / M_PER_DEG,
    lon: lon0 + x / (M_PER_DEG * Math.cos((lat0 * Math.PI) / 180)),
    timeMs,
  });
  const xs: number[] = [];
  const ys: number[] = [];
  const headings: number[] = [];
  let x = 0;
  let y = 0;
  let heading = 0;
  let turn = 0;
  for (let i = 0; i < n; i++) {
    xs.push(x);
    ys.push(y);
    headings.push(heading);
    turn = 0.95 * turn + (rnd() - 0.5) * 0.02;
    heading += turn;
    const step = 1.1 + rnd() * 0.4;
    x += step * Math.sin(heading);
    y += step * Math.cos(heading);
  }
  const t0 = Date.UTC(2025, 5, 1, 8);
  const runner = xs.map((px, i) => toPoint(px, ys[i] ?? 0, t0 + i * 1000));
  const start = t0 + n * 1000 + 30 * 60_000; // a 30-minute-old trail
  let noiseX = 0;
  let noiseY = 0;
  const tracker = xs.map((px, i) => {
    const h = headings[i] ?? 0;
    // Weaving 5–25 m to the side, off by 60 m for 90 s in every 20 minutes, and on the runner at the end; with
    // GPS error that drifts rather than jumps.
    const lost = i % 1200 > 1100 && i % 1200 < 1190 ? 60 : 0;
    const offset = (15 + 10 * Math.sin(i / 40) + lost) * Math.min(1, (n - 1 - i) / 30);
    noiseX = 0.9 * noiseX + (rnd() - 0.5) * 0.8;
    noiseY = 0.9 * noiseY + (rnd() - 0.5) * 0.8;
    const ex = offset * Math.cos(h) + noiseX;
    const ey = -offset * Math.sin(h) + noiseY;
    return toPoint(px + ex, (ys[i] ?? 0) + ey, start + i * 1000);
  });
  return { runner, tracker };
}

/** Rows of [case, points per track, median ms]. */
export async function drillScoreBench(): Promise<string[][]> {
  const rows: string[][] = [];
  for (const n of [10_000, 100_000]) {
    const { runner, tracker } = drillTracks(n);
    const times: number[] = [];
    const runs = n > 10_000 ? 5 : 9;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      scoreDrill(runner, tracker);
      times.push(performance.now() - t0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    times.sort((a, b) => a - b);
    rows.push([
      'drill score (runner vs tracker)',
      n.toLocaleString('en'),
      `${quantile(times, 0.5).toFixed(0)} ms`,
    ]);
  }
  return rows;
}
