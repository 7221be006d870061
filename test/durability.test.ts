import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataLock } from '../src/store/data-lock.ts';
import { openDatabase } from '../src/store/db.ts';
import { PG_URL } from './support/engines.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Kills per engine, each in the middle of a stream of positions (OsmAnd and CoT) and alerts. */
const KILLS = 3;
const DEVICES = 4;

interface Ready {
  osmandPort: number;
  cotPort: number;
  httpPort: number;
  devices: string[];
  tokens: string[];
}

/** A Howl server process (bench/server.ts) on `env`'s database; its ports once it serves. */
async function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  return { child, ready: JSON.parse(line) as Ready };
}

/** What a client was told was stored before the kill. */
interface Acknowledged {
  osmand: number;
  cot: number;
  alerts: string[];
}

const PING = (uid: string) =>
  `<event version="2.0" uid="${uid}-ping" type="t-x-c-t" time="${new Date().toISOString()}" start="${new Date().toISOString()}" stale="${new Date(Date.now() + 60_000).toISOString()}" how="m-g"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail/></event>`;
const SA = (uid: string, i: number, t: Date) =>
  `<event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${t.toISOString()}" start="${t.toISOString()}" stale="${new Date(t.getTime() + 60_000).toISOString()}" how="m-g"><point lat="${(51 + i * 1e-6).toFixed(7)}" lon="-1.3" hae="10" ce="5" le="9999999"/><detail><contact callsign="K"/><__group name="Cyan" role="Team Member"/></detail></event>`;

/**
 * Streams until the server dies: OsmAnd positions from three devices, SA events over CoT from the fourth in
 * bursts of 50 each closed by a ping (a pong acknowledges the burst: Howl answers a ping only once the events
 * before it are stored), and an alert now and then. Counts what was acknowledged.
 */
async function stream(ready: Ready, round: number, dead: Promise<unknown>): Promise<Acknowledged> {
  const ack: Acknowledged = { osmand: 0, cot: 0, alerts: [] };
  let alive = true;
  void dead.then(() => {
    alive = false;
  });
  const t0 = Date.now() - 3600_000 + round * 600_000;
  const osmand = async (w: number) => {
    for (let i = 0; alive; i++) {
      const url = `http://127.0.0.1:${ready.osmandPort}/?id=${ready.devices[w]}&lat=${51 + i * 1e-5}&lon=-1.3&timestamp=${Math.floor((t0 + i * 1000) / 1000)}`;
      const status = await fetch(url)
        .then((r) => r.status)
        .catch(() => 0);
      if (status === 200) ack.osmand++;
    }
  };
  const cot = async () => {
    const uid = ready.devices[DEVICES - 1] ?? '';
    const socket: Socket = await new Promise((resolve, reject) => {
      const s = connect({ port: ready.cotPort, host: '127.0.0.1' }, () => resolve(s));
      s.once('error', reject);
    });
    socket.on('error', () => undefined);
    let pongs = 0;
    let text = '';
    let pending = 0;
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const n = text.split('t-x-c-t-r').length - 1;
      if (n > 0) {
        text = text.slice(text.lastIndexOf('t-x-c-t-r') + 9);
        pongs += n;
        ack.cot += pending;
        pending = 0;
      }
    });
    for (let burst = 0; alive && !socket.destroyed; burst++) {
      const before = pongs;
      const sent: string[] = [];
      for (let i = 0; i < 50; i++) sent.push(SA(uid, burst * 50 + i, new Date(t0 + (burst * 50 + i) * 100)));
      pending = 50;
      socket.write(sent.join('') + PING(uid));
      while (alive && !socket.destroyed && pongs === before) await new Promise((r) => setTimeout(r, 5));
    }
    socket.destroy();
  };
  const alerts = async () => {
    for (let i = 0; alive; i++) {
      const text = `round ${round} contact ${i}`;
      const res = await fetch(`http://127.0.0.1:${ready.httpPort}/api/alerts/contact`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.tokens[i % DEVICES]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count: 1, text }),
      }).catch(() => undefined);
      if (res?.status === 201) ack.alerts.push(text);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([osmand(0), osmand(1), osmand(2), cot(), alerts()]);
  return ack;
}

const targets = [
  { name: 'the embedded database', postgres: false },
  ...(PG_URL ? [{ name: 'PostgreSQL', postgres: true }] : []),
];

describe.each(targets)('$name across crashes', ({ postgres }) => {
  it(`keeps every acknowledged position, CoT event and alert through ${KILLS} SIGKILLs under load`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-kill-'));
    dirs.push(dir);
    const pg = postgres && PG_URL ? await createTempPostgres(PG_URL) : undefined;
    const env = { HOWL_DATA_DIR: dir, DATABASE_URL: pg?.url ?? '' };
    try {
      let ids: Pick<Ready, 'devices' | 'tokens'> | undefined;
      const total: Acknowledged = { osmand: 0, cot: 0, alerts: [] };
      for (let round = 0; round < KILLS; round++) {
        // The members are made by the first start; later starts serve the same data.
        const { child, ready } = await start({ ...env, BENCH_DEVICES: ids ? '0' : String(DEVICES) });
        ids ??= { devices: ready.devices, tokens: ready.tokens };
        const r = { ...ready, ...ids };
        const dead = new Promise((resolve) => child.once('exit', resolve));
        const acked = stream(r, round, dead);
        // Killed at a different moment each round, mid-stream.
        await new Promise((resolve) => setTimeout(resolve, 1200 + round * 450));
        child.kill('SIGKILL');
        await dead;
        const a = await acked;
        expect(a.osmand).toBeGreaterThan(0);
        expect(a.cot).toBeGreaterThan(0);
        total.osmand += a.osmand;
        total.cot += a.cot;
        total.alerts.push(...a.alerts);
      }
      const release = postgres ? undefined : acquireDataLock(dir);
      const d = await openDatabase(pg ? { url: pg.url } : { dataDir: dir });
      try {
        const count = async (source: string) =>
          Number(
            (
              await sql<{
                n: number;
              }>`select count(*)::int as n from positions where source = ${source}`.execute(d.db)
            ).rows[0]?.n,
          );
        const osmandStored = await count('osmand');
        // The binding SA of each CoT connection is stored too, and what was sent but not yet acknowledged may be.
        const cotStored = await count('cot');
        const alertTexts = new Set(
          (await sql<{ text: string }>`select text from alerts`.execute(d.db)).rows.map((r) => r.text),
        );
        console.log(
          `[durability ${postgres ? 'postgres' : 'pglite'}] ${KILLS} kills: acknowledged ${total.osmand} OsmAnd, ${total.cot} CoT, ${total.alerts.length} alerts; stored ${osmandStored}, ${cotStored}, ${alertTexts.size}`,
        );
        expect(osmandStored).toBeGreaterThanOrEqual(total.osmand);
        expect(cotStored).toBeGreaterThanOrEqual(total.cot);
        expect(total.alerts.filter((t) => !alertTexts.has(t))).toEqual([]);
      } finally {
        await d.close();
        release?.();
      }
    } finally {
      await pg?.drop();
    }
  }, 180_000);
});
