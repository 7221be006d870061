// The live feed across a crash: 50 viewers watch while members post messages; the server is killed with
// SIGKILL mid-stream and started again on the same data. Every viewer reconnects with the last sequence
// number it saw and ends with every event exactly once, in order, no gap and no duplicate; every message
// answered 201 is among them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../src/contract/live.ts';
import { openSocket } from '../src/sim/clients/ws.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ready {
  httpPort: number;
  tokens: string[];
}

async function start(dir: string, devices: number): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, HOWL_DATA_DIR: dir, DATABASE_URL: '', BENCH_DEVICES: String(devices) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  return { child, ready: JSON.parse(line) as Ready };
}

/** A viewer as the web app is one: it keeps the last sequence number and resumes after it. */
class Viewer {
  readonly seqs: number[] = [];
  readonly texts = new Set<string>();
  firstSnapshot: number | null = null;
  last: number | null = null;
  private stopped = false;
  constructor(
    private readonly url: () => string,
    private readonly token: string,
  ) {
    this.connect();
  }
  private connect(): void {
    if (this.stopped) return;
    const after = this.last === null ? '' : `&after=${this.last}`;
    const socket = openSocket(`${this.url()}/api/live?token=${encodeURIComponent(this.token)}${after}`);
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as LiveMessage;
      if (m.type === 'snapshot') {
        this.firstSnapshot ??= m.seq;
        this.last = Math.max(this.last ?? 0, m.seq);
      } else if (m.type === 'event') {
        this.seqs.push(m.event.seq);
        if (m.event.type === 'message.posted') this.texts.add(m.event.message.text);
        this.last = Math.max(this.last ?? 0, m.event.seq);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => setTimeout(() => this.connect(), 100));
    this.close = () => {
      this.stopped = true;
      socket.close();
    };
  }
  close: () => void = () => undefined;
}

describe('the live feed across a SIGKILL and a restart', () => {
  it('gives 50 viewers every event exactly once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-resume-'));
    dirs.push(dir);
    let server = await start(dir, 5);
    const { tokens } = server.ready;
    let base = `ws://127.0.0.1:${server.ready.httpPort}`;
    let api = `http://127.0.0.1:${server.ready.httpPort}`;
    const viewers = Array.from(
      { length: 50 },
      (_, i) => new Viewer(() => base, tokens[i % tokens.length] ?? ''),
    );
    while (viewers.some((v) => v.firstSnapshot === null)) await sleep(20);

    // Members post messages, as fast as they are answered, through the crash and after it.
    let posting = true;
    const posted: string[] = [];
    const poster = async (w: number) => {
      let n = 0;
      while (posting) {
        const text = `m${w}-${n++}`;
        try {
          const res = await fetch(`${api}/api/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[w]}`, 'content-type': 'application/json' },
            body: JSON.stringify({ text }),
          });
          if (res.status === 201) posted.push(text);
        } catch {
          await sleep(50); // the server is down
        }
      }
    };
    const posters = Promise.all(tokens.map((_, w) => poster(w)));
    while (posted.length < 100) await sleep(20);
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    const beforeCrash = posted.length;
    server = await start(dir, 0);
    base = `ws://127.0.0.1:${server.ready.httpPort}`;
    api = `http://127.0.0.1:${server.ready.httpPort}`;
    while (posted.length < beforeCrash + 100) await sleep(20);
    posting = false;
    await posters;

    // The log's end, as a new viewer sees it; every viewer catches up to it.
    const probe = new Viewer(() => base, tokens[0] ?? '');
    while (probe.firstSnapshot === null) await sleep(20);
    const end = probe.firstSnapshot;
    probe.close();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && viewers.some((v) => (v.last ?? 0) < end)) await sleep(50);
    for (const v of viewers) v.close();

    for (const v of viewers) {
      const from = (v.firstSnapshot ?? 0) + 1;
      expect(v.seqs.length).toBe(end - from + 1);
      expect(v.seqs.every((seq, i) => seq === from + i)).toBe(true);
    }
    // Every message answered 201, before the crash or after it, reached every viewer.
    for (const v of viewers) expect(posted.filter((text) => !v.texts.has(text))).toEqual([]);
    server.child.kill('SIGTERM');
  }, 120_000);
});
