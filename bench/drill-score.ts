// Drill scoring: a runner trail and a tracker path of 10,000 and 100,000 points each (1 Hz, a winding walk, the
// tracker weaving 5–25 m beside the trail and losing it now and then), median time of a few runs of scoreDrill.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreDrill, type TrackPoint } from '../src/domain/drill-score.ts';
import { distanceM } from '../src/domain/geo.ts';
import { writeGpx } from '../src/formats/gpx-write.ts';
import { type BenchRow, quantile, rssMb } from './support.ts';

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

/** The floor for scoring: one pass over both tracks, each point's distance to the one before. */
function walkBoth(runner: readonly TrackPoint[], tracker: readonly TrackPoint[]): number {
  let m = 0;
  for (const t of [runner, tracker])
    for (let i = 1; i < t.length; i++) m += distanceM(t[i - 1] as TrackPoint, t[i] as TrackPoint);
  return m;
}

async function median(runs: number, work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.5,
  );
}

/** A process's wall time and peak RSS (sampled from /proc every 5 ms), from spawn to exit. */
async function timed(args: string[]): Promise<{ ms: number; peakMb: number; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(child.pid ?? 0));
  }, 5);
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return { ms: performance.now() - t0, peakMb: peak, stdout };
}

/**
 * Rows: scoreDrill on 100,000 + 100,000 points in process (floor: one pass over both tracks); `howl score` on
 * the same tracks as two GPX files, end to end as the user waits for it (floor: a Node process reading both).
 */
export async function drillScoreBench(): Promise<BenchRow[]> {
  const n = 100_000;
  const { runner, tracker } = drillTracks(n);
  const scoreMs = await median(5, () => scoreDrill(runner, tracker));
  const floorMs = await median(5, () => walkBoth(runner, tracker));
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-score-'));
  try {
    const files = [join(dir, 'runner.gpx'), join(dir, 'tracker.gpx')];
    writeFileSync(files[0] as string, writeGpx([{ name: 'runner', points: runner }]));
    writeFileSync(files[1] as string, writeGpx([{ name: 'tracker', points: tracker }]));
    const mb = (statSync(files[0] as string).size / 1024 / 1024).toFixed(1);
    const cli = await timed(['bin/howl.js', 'score', ...files, '--json']);
    const followed = (JSON.parse(cli.stdout) as { shareFollowed: number }).shareFollowed;
    const read = await timed([
      '-e',
      `const fs=require('fs');let n=0;for(const f of ${JSON.stringify(files)}){const b=fs.readFileSync(f);for(let i=0;i<b.length;i++)if(b[i]===60)n++}`,
    ]);
    return [
      {
        group: 'files',
        name: 'drill score, 100,000 + 100,000 points (in process)',
        value: scoreMs,
        unit: 'ms',
        floor: floorMs,
        floorName: 'one pass over both tracks',
        detail: 'median of 5',
        check: '',
        lost: false,
        target: '< 200 ms',
        met: scoreMs < 200,
      },
      {
        group: 'files',
        name: `\`howl score\` on two 100,000-point GPX files (${mb} MB each), wall time`,
        value: cli.ms,
        unit: 'ms',
        floor: read.ms,
        floorName: 'node reading both files',
        detail: `peak RSS ${cli.peakMb.toFixed(0)} MB (floor ${read.peakMb.toFixed(0)} MB)`,
        check: `${(followed * 100).toFixed(1)} % followed`,
        lost: false,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
