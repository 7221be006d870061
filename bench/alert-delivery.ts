// Alert delivery: from the POST that raises an alert to its receipt by every connected member.

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile, startServer, stopServer } from './support.ts';

interface Ws {
  on(event: 'message', listener: (data: Buffer) => void): void;
  once(event: 'open' | 'error', listener: (e?: unknown) => void): void;
  close(): void;
}
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => Ws;

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 40);

export async function alertDelivery(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-alerts-'));
  process.stderr.write(`alert delivery: starting a server with ${MEMBERS} members…\n`);
  const { child, ready } = await startServer({
    HOWL_DATA_DIR: dir,
    DATABASE_URL: '',
    BENCH_DEVICES: String(MEMBERS),
  });
  const api = `http://127.0.0.1:${ready.httpPort}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const pending = new Map<string, number>();
  let waiter: (() => void) | undefined;
  const sockets: Ws[] = [];
  for (const token of ready.tokens) {
    const ws = new WebSocket(`ws://127.0.0.1:${ready.httpPort}/api/live?token=${encodeURIComponent(token)}`);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as {
        type: string;
        event?: { type: string; change?: string; alert?: { text: string } };
      };
      const e = msg.event;
      if (msg.type !== 'event' || e?.type !== 'alert.updated' || e.change !== 'raised' || !e.alert) return;
      const t0 = sentAt.get(e.alert.text);
      if (t0 === undefined) return;
      latencies.push(performance.now() - t0);
      const left = (pending.get(e.alert.text) ?? 0) - 1;
      pending.set(e.alert.text, left);
      if (left === 0) waiter?.();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  process.stderr.write(`alert delivery: ${sockets.length} members connected; raising ${ALERTS} alerts…\n`);
  const sender = ready.tokens[0] ?? '';
  for (let i = 0; i < ALERTS; i++) {
    const text = `bench contact ${i}`;
    pending.set(text, sockets.length);
    const all = new Promise<void>((r) => {
      waiter = r;
    });
    sentAt.set(text, performance.now());
    const res = await fetch(`${api}/api/alerts/contact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 6, direction: 'north', text }),
    });
    if (res.status !== 201) throw new Error(`raising an alert answered ${res.status}: ${await res.text()}`);
    await Promise.race([all, new Promise((r) => setTimeout(r, 5000))]);
    if (i % 10 === 9) process.stderr.write(`  … ${i + 1} alerts\n`);
  }
  for (const ws of sockets) ws.close();
  await stopServer(child);
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const expected = ALERTS * MEMBERS;
  return [
    `alert → ${MEMBERS} members`,
    String(ALERTS),
    `${latencies.length} of ${expected}`,
    `${quantile(latencies, 0.5).toFixed(1)} ms`,
    `${quantile(latencies, 0.99).toFixed(1)} ms`,
    `${(latencies[latencies.length - 1] ?? 0).toFixed(1)} ms`,
  ];
}
