// Live fan-out: N WebSocket viewers, R positions a second posted over OsmAnd; from each position's POST to
// its receipt by every viewer (p50/p99/max) and the server's CPU per delivered position, beside a bare `ws`
// server broadcasting the same positions one frame per message (bench/fanout-floor.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { type BenchRow, cpuSeconds, quantile, rssMb, startServer, stopServer } from './support.ts';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 1000);
const RATES = (process.env.BENCH_RATES ?? '20,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 8);

interface Run {
  label: string;
  rate: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  cpuUsPerDelivery: number;
  rssMb: number;
}

async function drive(
  label: string,
  pid: number,
  liveUrl: (i: number) => string,
  postUrl: (lat: string) => string,
  rate: number,
): Promise<Run> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  for (let i = 0; i < VIEWERS; i++) {
    const ws = new WebSocket(liveUrl(i));
    ws.on('message', (data) => {
      const now = performance.now();
      const m = JSON.parse(data.toString()) as {
        type: string;
        position?: { lat: number };
        positions?: { lat: number }[];
      };
      const list =
        m.type === 'positions'
          ? (m.positions ?? [])
          : m.type === 'position' && m.position
            ? [m.position]
            : [];
      for (const p of list) {
        const t0 = sentAt.get(p.lat.toFixed(7));
        if (t0 !== undefined) latencies.push(now - t0);
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 500));
  const cpu0 = cpuSeconds(pid);
  const total = rate * SECONDS;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const lat = (51 + i * 1e-6).toFixed(7);
    sentAt.set(lat, performance.now());
    void fetch(postUrl(lat)).then((r) => r.arrayBuffer());
  }
  const expected = total * VIEWERS;
  const deadline = performance.now() + 15_000;
  while (latencies.length < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const cpu = cpuSeconds(pid) - cpu0;
  const rss = rssMb(pid);
  for (const ws of sockets) ws.close();
  latencies.sort((a, b) => a - b);
  process.stderr.write(`  ${label} at ${rate}/s: ${latencies.length} of ${expected} delivered\n`);
  return {
    label,
    rate,
    delivered: latencies.length,
    expected,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    cpuUsPerDelivery: latencies.length ? (cpu * 1e6) / latencies.length : 0,
    rssMb: rss,
  };
}

function startFloor(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fanout-floor.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve({ child, port: (JSON.parse(line) as { port: number }).port }),
    ),
  );
}

/** Per rate: the p99 from POST to receipt by every viewer, and the server's CPU per delivery, each beside the bare server's. */
export async function fanoutBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const rate of RATES) {
    const dir = mkdtempSync(join(tmpdir(), 'howl-bench-fanout-'));
    process.stderr.write(`fan-out: ${VIEWERS} viewers, ${rate} positions/s for ${SECONDS} s…\n`);
    const { child, ready } = await startServer({
      HOWL_DATA_DIR: dir,
      DATABASE_URL: '',
      BENCH_DEVICES: String(Math.min(VIEWERS, 200)),
    });
    const token = (i: number) => encodeURIComponent(ready.tokens[i % ready.tokens.length] ?? '');
    const howl = await drive(
      'Howl',
      child.pid ?? 0,
      (i) => `ws://127.0.0.1:${ready.httpPort}/api/live?token=${token(i)}`,
      (lat) =>
        `http://127.0.0.1:${ready.osmandPort}/?id=${ready.devices[0]}&lat=${lat}&lon=-1.3188&timestamp=${Date.now()}`,
      rate,
    );
    await stopServer(child);
    rmSync(dir, { recursive: true, force: true });
    const floor = await startFloor();
    const bare = await drive(
      'bare ws',
      floor.child.pid ?? 0,
      () => `ws://127.0.0.1:${floor.port}/`,
      (lat) => `http://127.0.0.1:${floor.port}/?id=m&lat=${lat}&lon=-1.3188&timestamp=${Date.now()}`,
      rate,
    );
    floor.child.kill('SIGTERM');
    const check = `${howl.delivered.toLocaleString('en')} of ${howl.expected.toLocaleString('en')} delivered`;
    const lost = howl.delivered !== howl.expected;
    const judged = rate === 100;
    rows.push(
      {
        group: 'live',
        name: `fan-out → ${VIEWERS} viewers at ${rate} positions/s, p99`,
        value: howl.p99,
        unit: 'ms',
        floor: bare.p99,
        floorName: 'bare ws, a frame a message',
        detail: `p50 ${howl.p50.toFixed(0)} / max ${howl.max.toFixed(0)} ms; floor p50 ${bare.p50.toFixed(0)} / max ${bare.max.toFixed(0)} ms (${bare.delivered.toLocaleString('en')} delivered)`,
        check,
        lost,
        ...(judged ? { target: 'p99 < 250 ms', met: howl.p99 < 250 && !lost } : {}),
      },
      {
        group: 'live',
        name: `fan-out → ${VIEWERS} viewers at ${rate} positions/s, server CPU per delivery`,
        value: howl.cpuUsPerDelivery,
        unit: 'µs',
        floor: bare.cpuUsPerDelivery,
        floorName: 'bare ws',
        detail: `server RSS ${howl.rssMb.toFixed(0)} MB (floor ${bare.rssMb.toFixed(0)} MB)`,
        check,
        lost,
        ...(judged
          ? {
              target: '≤ 0.5 of the floor',
              met: howl.cpuUsPerDelivery <= 0.5 * bare.cpuUsPerDelivery && !lost,
            }
          : {}),
      },
    );
  }
  return rows;
}
