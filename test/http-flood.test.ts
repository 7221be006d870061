import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import { loopbackConfig } from './support/server.ts';

/** Connections per kind and port: slow-loris (a header line every 2 s, never finished) and idle (nothing). */
const EACH = 1000;

/** A flood in a process of its own; prints "open N" once its connections are up. */
const FLOOD = `
const net = require('node:net');
const [ports, each] = [JSON.parse(process.argv[1]), Number(process.argv[2])];
let open = 0;
const sockets = [];
for (const port of ports) for (let i = 0; i < each * 2; i++) {
  const slow = i < each;
  const s = net.connect({ port, host: '127.0.0.1' }, () => {
    if (++open === ports.length * each * 2) console.log('open ' + open);
    if (slow) s.write('GET /api/health HTTP/1.1\\r\\nHost: x\\r\\n');
  });
  s.on('error', () => {});
  sockets.push([s, slow]);
}
setInterval(() => { for (const [s, slow] of sockets) if (slow && !s.destroyed) s.write('X-Dribble: 1\\r\\n'); }, 2000);
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a flood of slow and idle HTTP connections', () => {
  let howl: RunningHowl | undefined;
  let flood: ChildProcess | undefined;
  afterAll(async () => {
    flood?.kill('SIGKILL');
    await howl?.close();
  });

  it('keeps serving a normal client (positions and the API) with a p99 under a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-flood-'));
    dirs.push(dir);
    howl = await startHowl(loopbackConfig(dir), { logger: false, webDir: null });
    const server = howl;
    const team = await server.services.teams.resolveExisting(undefined);
    const m = await server.services.members.add({ kind: 'admin' }, team, {
      name: 'Alpha',
      callsign: 'ALPHA',
    });
    const ports = [server.ports.http, server.ports.osmand];
    flood = spawn(process.execPath, ['-e', FLOOD, JSON.stringify(ports), String(EACH)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const opened = await new Promise<string>((resolve) =>
      createInterface({ input: flood?.stdout as NodeJS.ReadableStream }).once('line', resolve),
    );
    expect(opened).toBe(`open ${ports.length * EACH * 2}`);

    const latencies: number[] = [];
    const statuses: number[] = [];
    const timed = async (request: () => Promise<Response>) => {
      const t0 = performance.now();
      const res = await request();
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses.push(res.status);
    };
    // Ten positions and ten API reads a second for six seconds, while 4,000 connections hang on.
    for (let i = 0; i < 60; i++) {
      const tick = performance.now();
      await Promise.all([
        timed(() =>
          fetch(
            `http://127.0.0.1:${server.ports.osmand}/?id=${m.device}&lat=${(46.9 + i * 1e-5).toFixed(6)}&lon=7.4&timestamp=${Date.now()}`,
          ),
        ),
        timed(() =>
          fetch(`${server.localUrl}/api/team`, { headers: { authorization: `Bearer ${m.token}` } }),
        ),
      ]);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - tick))));
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    const max = latencies.at(-1) ?? 0;
    console.log(
      `[http flood] ${ports.length * EACH * 2} slow and idle connections: a normal client's p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms over ${latencies.length} requests`,
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(p99).toBeLessThan(1000);
    const trails = await server.services.positions.trails({ kind: 'admin' }, team.id);
    expect(trails[m.memberId]).toHaveLength(60);
  }, 120_000);
});
