// Alert delivery: from the POST that raises an alert to its receipt by every connected viewer (1,000 live
// connections of 200 members), beside the floor: a bare `ws` server broadcasting what it is sent
// (bench/fanout-floor.ts) to the same number of viewers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { type BenchRow, quantile, spawnJson, startServer, stopServer } from './support.ts';

const VIEWERS = Number(process.env.BENCH_ALERT_VIEWERS ?? 1000);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 40);

interface Delivery {
  latencies: number[];
  expected: number;
}

/**
 * Opens VIEWERS sockets (`url(i)`), then raises ALERTS alerts one after another with `raise(text)`, each once
 * every viewer has the one before (`textOf` finds an alert's text in a received message).
 */
async function drive(
  label: string,
  url: (i: number) => string,
  raise: (text: string) => Promise<void>,
  textOf: (msg: unknown) => string | undefined,
): Promise<Delivery> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const pending = new Map<string, number>();
  let waiter: (() => void) | undefined;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < VIEWERS; i++) {
    const ws = new WebSocket(url(i));
    ws.on('message', (data) => {
      const text = textOf(JSON.parse(data.toString()));
      const t0 = text === undefined ? undefined : sentAt.get(text);
      if (text === undefined || t0 === undefined) return;
      latencies.push(performance.now() - t0);
      const left = (pending.get(text) ?? 0) - 1;
      pending.set(text, left);
      if (left === 0) waiter?.();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  process.stderr.write(`${label}: ${sockets.length} viewers connected; raising ${ALERTS} alerts…\n`);
  for (let i = 0; i < ALERTS; i++) {
    const text = `bench contact ${i}`;
    pending.set(text, sockets.length);
    const all = new Promise<void>((r) => {
      waiter = r;
    });
    sentAt.set(text, performance.now());
    await raise(text);
    await Promise.race([all, new Promise((r) => setTimeout(r, 5000))]);
    if (i % 10 === 9) process.stderr.write(`  … ${i + 1} alerts\n`);
  }
  for (const ws of sockets) ws.close();
  latencies.sort((a, b) => a - b);
  return { latencies, expected: ALERTS * VIEWERS };
}

export async function alertDelivery(): Promise<BenchRow[]> {
  const floorServer = spawnJson<{ port: number }>('bench/fanout-floor.ts');
  const { port } = await floorServer.first;
  const floor = await drive(
    'alert floor',
    () => `ws://127.0.0.1:${port}/`,
    async (text) => {
      const res = await fetch(`http://127.0.0.1:${port}/?id=${encodeURIComponent(text)}&lat=51&lon=-1`);
      await res.arrayBuffer();
    },
    (msg) => (msg as { position?: { memberId?: string } }).position?.memberId,
  );
  floorServer.child.kill('SIGTERM');

  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-alerts-'));
  process.stderr.write(`alert delivery: starting a server with 200 members…\n`);
  const { child, ready } = await startServer({ HOWL_DATA_DIR: dir, DATABASE_URL: '', BENCH_DEVICES: '200' });
  const api = `http://127.0.0.1:${ready.httpPort}`;
  const token = (i: number) => encodeURIComponent(ready.tokens[i % ready.tokens.length] ?? '');
  const howl = await drive(
    'alert delivery',
    (i) => `ws://127.0.0.1:${ready.httpPort}/api/live?token=${token(i)}`,
    async (text) => {
      const res = await fetch(`${api}/api/alerts/contact`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.tokens[0] ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count: 6, direction: 'north', text }),
      });
      if (res.status !== 201) throw new Error(`raising an alert answered ${res.status}: ${await res.text()}`);
    },
    (msg) => {
      const e = (
        msg as { type?: string; event?: { type: string; change?: string; alert?: { text: string } } }
      ).event;
      return e?.type === 'alert.updated' && e.change === 'raised' ? e.alert?.text : undefined;
    },
  );
  await stopServer(child);
  rmSync(dir, { recursive: true, force: true });
  const p99 = quantile(howl.latencies, 0.99);
  return [
    {
      group: 'live',
      name: `alert → ${VIEWERS} viewers (p99, POST to the last receipt)`,
      value: p99,
      unit: 'ms',
      floor: quantile(floor.latencies, 0.99),
      floorName: 'bare ws broadcast',
      detail: `p50 ${quantile(howl.latencies, 0.5).toFixed(1)} / max ${(howl.latencies.at(-1) ?? 0).toFixed(1)} ms; floor p50 ${quantile(floor.latencies, 0.5).toFixed(1)} ms`,
      check: `${howl.latencies.length.toLocaleString('en')} of ${howl.expected.toLocaleString('en')} received`,
      lost: howl.latencies.length !== howl.expected,
    },
  ];
}
