// A clean stop under load, on a real process: SIGTERM while phones post positions over keep-alive
// connections, a console watches the live feed and a TAK client is connected. Every request that reached the
// server is answered (200 or 503, never a reset), every 200 is stored, the live feed gets a close frame
// (1001), the TAK connection ends cleanly, and the process exits by itself within 10 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.ts';
import { PG_URL } from './support/engines.ts';
import { createTempPostgres } from './support/temp-postgres.ts';
import { openLive } from './support/ws-client.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const drop of drops) await drop();
});

/** Where the server keeps its data: the embedded database in a folder, or a new PostgreSQL database. */
async function storage(
  engine: 'pglite' | 'postgres',
): Promise<{ env: NodeJS.ProcessEnv; target: { dataDir: string } | { url: string } }> {
  const dir = mkdtempSync(join(tmpdir(), 'howl-term-'));
  dirs.push(dir);
  if (engine === 'pglite') return { env: { HOWL_DATA_DIR: dir, DATABASE_URL: '' }, target: { dataDir: dir } };
  const temp = await createTempPostgres(PG_URL ?? '');
  drops.push(() => temp.drop());
  return { env: { HOWL_DATA_DIR: dir, DATABASE_URL: temp.url }, target: { url: temp.url } };
}

interface Ready {
  osmandPort: number;
  cotPort: number;
  httpPort: number;
  tokens: string[];
  devices: string[];
}

type Outcome = { status: number } | { error: string };

/** One OsmAnd POST on a keep-alive agent, with no retry: a reset is reported as what it is. */
function post(agent: Agent, port: number, path: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

const engines = PG_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(engines)('SIGTERM under load on %s', (engine) => {
  it('answers every request it took, keeps every 200, closes the feeds cleanly and exits within 10 s', async () => {
    const { env, target } = await storage(engine);
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
      env: { ...process.env, ...env, BENCH_DEVICES: '8' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = new Promise<{ code: number | null; at: number }>((r) =>
      child.once('exit', (code) => r({ code, at: performance.now() })),
    );
    const ready = JSON.parse(
      await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    ) as Ready;

    const live = openLive(`ws://127.0.0.1:${ready.httpPort}/api/live?token=${ready.tokens[0]}`);
    await live.waitFor((m) => m.type === 'snapshot');
    const tak = connect(ready.cotPort, '127.0.0.1');
    const takEnded = new Promise<string>((resolve) => {
      tak.on('end', () => resolve('end'));
      tak.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
    });
    tak.resume();
    await new Promise<void>((r) => tak.once('connect', () => r()));
    const uid = ready.devices[7];
    tak.write(
      `<event version="2.0" uid="${uid}" type="a-f-G-U-C" how="m-g" time="${new Date().toISOString()}" ` +
        `start="${new Date().toISOString()}" stale="${new Date(Date.now() + 60_000).toISOString()}">` +
        `<point lat="51.05" lon="-1.31" hae="0" ce="5" le="9999999"/><detail><contact callsign="T"/></detail></event>`,
    );

    // Twenty phones, each on its own keep-alive connection, posting as fast as they are answered.
    const outcomes: Outcome[] = [];
    let stopping = false;
    const t = Math.floor(Date.now() / 1000) - 600;
    let n = 0;
    const phone = async (w: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const device = ready.devices[w % 7];
      while (!stopping) {
        const i = n++;
        const o = await post(
          agent,
          ready.osmandPort,
          `/?id=${device}&lat=${51 + i * 1e-6}&lon=-1.3&timestamp=${t + i}`,
        );
        // Refused connections never reached the server: that is how a stopped server answers.
        if ('error' in o && o.error === 'ECONNREFUSED') break;
        outcomes.push(o);
      }
      agent.destroy();
    };
    const phones = Promise.all(Array.from({ length: 20 }, (_, w) => phone(w)));
    while (outcomes.length < 300) await new Promise((r) => setTimeout(r, 20));
    const termAt = performance.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    stopping = true;
    await phones;

    expect(code).toBe(0);
    expect(at - termAt).toBeLessThan(10_000);
    const errors = outcomes.filter((o) => 'error' in o);
    expect(errors).toEqual([]);
    expect(outcomes.every((o) => 'status' in o && (o.status === 200 || o.status === 503))).toBe(true);
    const acknowledged = outcomes.filter((o) => 'status' in o && o.status === 200).length;
    expect((await live.closed).code).toBe(1001);
    expect(await takEnded).toBe('end');

    const d = await openDatabase(target);
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from positions where source = 'osmand'`.execute(d.db);
    await d.close();
    expect(r.rows[0]?.n).toBe(acknowledged);
  }, 90_000);
});
