// GPX parse: a 100,000- and a 400,000-point file (one point a second with elevation, as phone apps write them)
// read by readTrackFile end to end, file read included (the parse runs in a worker thread), with the longest
// event-loop stall seen meanwhile (perf_hooks' monitorEventLoopDelay) and the growth of the process's RSS.
// Beside it, a floor measured in the same run: reading the same bytes and scanning them once.
// Run alone: node --import tsx bench/gpx-parse.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { readTrackFile } from '../src/formats/gpx-read.ts';
import { BENCH_HEAD, type BenchRow, cells, quantile, table } from './support.ts';

const RUNS = 3;

/** A GPX 1.1 file of `n` points, about 90 bytes each. */
function gpxFile(n: number): string {
  const t0 = Date.UTC(2025, 5, 1, 8);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Howl bench" xmlns="http://www.topografix.com/GPX/1/1">\n',
    '<trk><name>Long walk</name><trkseg>\n',
  ];
  for (let i = 0; i < n; i++) {
    const time = new Date(t0 + i * 1000).toISOString().replace('.000Z', 'Z');
    parts.push(
      `<trkpt lat="${(46.95 + i * 1e-6).toFixed(7)}" lon="${(7.45 + Math.sin(i / 500) * 0.01).toFixed(7)}">` +
        `<ele>${(540 + (i % 100) / 10).toFixed(1)}</ele><time>${time}</time></trkpt>\n`,
    );
  }
  parts.push('</trkseg></trk>\n</gpx>\n');
  return parts.join('');
}

interface Run {
  ms: number;
  stallMs: number;
  rssMb: number;
}

/** One run of `work`: its time, the longest event-loop stall meanwhile, and the RSS it added at its peak. */
async function measure(work: () => Promise<unknown>): Promise<Run> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  delay.enable();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  // A turn of the loop, so that the monitor records a stall that lasted until the work's end.
  await new Promise((resolve) => setTimeout(resolve, 10));
  delay.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, stallMs: delay.max / 1e6, rssMb: (peak - rss0) / 1024 / 1024 };
}

/** The floor: the file's bytes read and scanned once (counting its tags). */
async function readAndScan(path: string): Promise<number> {
  const bytes = await readFile(path);
  let tags = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x3c) tags++;
  return tags;
}

/** A row per file size: the median parse beside the floor, with the worst stall and memory growth. */
export async function gpxParseBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-gpx-'));
  const rows: BenchRow[] = [];
  try {
    for (const n of [100_000, 400_000]) {
      const path = join(dir, `walk-${n}.gpx`);
      const text = gpxFile(n);
      writeFileSync(path, text);
      const bytes = Buffer.byteLength(text);
      const parse = () =>
        measure(async () => {
          const [track] = await readTrackFile(path, { maxBytes: Number.POSITIVE_INFINITY });
          if (track?.points.length !== n) throw new Error(`read ${track?.points.length} points of ${n}`);
        });
      // The first run (a new worker thread for the first file) counts for the stall and the memory only.
      const first = await parse();
      const parses: Run[] = [];
      const floors: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        parses.push(await parse());
        floors.push((await measure(() => readAndScan(path))).ms);
      }
      const median = quantile(
        parses.map((p) => p.ms).sort((a, b) => a - b),
        0.5,
      );
      const floor = quantile(
        floors.sort((a, b) => a - b),
        0.5,
      );
      const stall = Math.max(...[first, ...parses].map((p) => p.stallMs));
      const rss = Math.max(...[first, ...parses].map((p) => p.rssMb));
      rows.push({
        group: 'files',
        name: `GPX parse, ${n.toLocaleString('en')} points (${(bytes / 1024 / 1024).toFixed(1)} MB), file read included`,
        value: median,
        unit: 'ms',
        floor,
        floorName: 'read + scan the bytes',
        detail: `first run ${first.ms.toFixed(0)} ms; longest event-loop stall ${stall.toFixed(0)} ms; RSS growth ${rss.toFixed(0)} MB`,
        check: `${n.toLocaleString('en')} points read`,
        lost: false,
        ...(n === 100_000
          ? { target: '< 1 s, < 150 MB, stall ≤ 50 ms', met: median < 1000 && rss < 150 && stall <= 50 }
          : {}),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(table(BENCH_HEAD, (await gpxParseBench()).map(cells)));
}
