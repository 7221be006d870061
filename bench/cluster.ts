// Several nodes on one PostgreSQL and NATS (needs HOWL_TEST_POSTGRES_URL and HOWL_TEST_NATS_URL):
// - what one PostgreSQL takes: Howl's batch insert of positions from 1 and 4 writers at once, straight into
//   the database (no HTTP), and the bytes a stored position takes with its indexes;
// - OsmAnd positions into one node (100 connections) and into two nodes (50 each, two load generators at
//   once), everything acknowledged counted in the database afterwards;
// - the cross-node latency: a position posted to node A until a viewer on node B has it, beside the same
//   viewer on node A (the floor: the same path without the NATS hop).
// On a 2-core machine both nodes, the database and the load generators share the cores: the two-node row says
// what the database takes from two writers, not what two machines would.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { insertPositions, type NewPosition } from '../src/store/positions.repo.ts';
import type { HttpLoad, HttpLoadResult } from './load-http.ts';
import {
  type BenchRow,
  quantile,
  type Ready,
  scratchPostgres,
  spawnJson,
  startServer,
  stopServer,
} from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = 500;
const LATENCY_SAMPLES = 200;

async function countPositions(url: string): Promise<number> {
  const d = await openDatabase({ url });
  const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db);
  await d.close();
  return Number(r.rows[0]?.n);
}

/** Howl's batch insert from `writers` connections at once for SECONDS: rows a second, and bytes a row. */
async function writeCapacity(pgUrl: string, writers: number): Promise<{ rate: number; bytesPerRow: number }> {
  const scratch = await scratchPostgres(pgUrl);
  const d = await openDatabase({ url: scratch.url });
  await migrateToLatest(d.db);
  const teamId = randomUUID();
  await d.db
    .insertInto('teams')
    .values({ id: teamId, name: 'Bench', base_lat: null, base_lon: null })
    .execute();
  const members = Array.from({ length: 50 }, () => randomUUID());
  await d.db
    .insertInto('members')
    .values(
      members.map((id, i) => ({
        id,
        team_id: teamId,
        name: `Bench ${i}`,
        callsign: `B${i}`,
        role: 'member' as const,
      })),
    )
    .execute();
  process.stderr.write(`  PostgreSQL batch insert, ${writers} writer(s) for ${SECONDS} s\n`);
  let rows = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let n = 0;
      while (performance.now() < end) {
        const now = Date.now();
        const batch: NewPosition[] = Array.from({ length: BATCH }, (_, i) => ({
          team_id: teamId,
          member_id: members[(w * BATCH + i) % members.length] as string,
          device_id: `bench-${i % members.length}`,
          time: new Date(now - (n++ % 100_000)),
          received_at: new Date(now),
          lat: 51.05 + i * 1e-5,
          lon: -1.31,
          accuracy: 5,
          source: 'osmand',
          mode: 'exercise',
        }));
        await insertPositions(d.db, batch);
        rows += BATCH;
      }
    }),
  );
  const rate = rows / ((performance.now() - t0) / 1000);
  const size = await sql<{ bytes: string; n: string }>`select pg_total_relation_size('positions') as bytes,
    (select count(*) from positions) as n`.execute(d.db);
  const bytesPerRow = Number(size.rows[0]?.bytes) / Number(size.rows[0]?.n);
  await d.close();
  await scratch.drop();
  return { rate, bytesPerRow };
}

function load(cfg: HttpLoad): Promise<HttpLoadResult> {
  return spawnJson<HttpLoadResult>('bench/load-http.ts', [JSON.stringify(cfg)]).first;
}

/** A node of the cluster on `url`, in its own process. */
const clusterNode = (url: string, natsUrl: string, devices: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-node-'));
  return startServer({
    DATABASE_URL: url,
    HOWL_NATS_URL: natsUrl,
    HOWL_DATA_DIR: dir,
    BENCH_DEVICES: String(devices),
  }).then((s) => ({ ...s, dir }));
};

/** OsmAnd load spread over the nodes' ports at once; the rate acknowledged, and what was stored. */
async function ingest(
  pgUrl: string,
  natsUrl: string,
  nodes: number,
  connections: number,
): Promise<{ r: HttpLoadResult; stored: number }> {
  const scratch = await scratchPostgres(pgUrl);
  const first = await clusterNode(scratch.url, natsUrl, 50);
  const rest = await Promise.all(
    Array.from({ length: nodes - 1 }, () => clusterNode(scratch.url, natsUrl, 0)),
  );
  const all = [first, ...rest];
  process.stderr.write(`  OsmAnd into ${nodes} node(s), ${connections} connections each, for ${SECONDS} s\n`);
  const results = await Promise.all(
    all.map((n) =>
      load({
        port: n.ready.osmandPort,
        connections,
        seconds: SECONDS,
        kind: 'osmand',
        devices: first.ready.devices,
        tokens: first.ready.tokens,
      }),
    ),
  );
  for (const n of all) await stopServer(n.child);
  const stored = await countPositions(scratch.url);
  await scratch.drop();
  for (const n of all) rmSync(n.dir, { recursive: true, force: true });
  const sum = (f: (r: HttpLoadResult) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    r: {
      ok: sum((r) => r.ok),
      failed: sum((r) => r.failed),
      p50: Math.max(...results.map((r) => r.p50)),
      p99: Math.max(...results.map((r) => r.p99)),
      seconds: Math.max(...results.map((r) => r.seconds)),
    },
    stored,
  };
}

/** Milliseconds from posting a position to `post` until a viewer on `view` has it, LATENCY_SAMPLES times. */
async function latency(post: Ready, view: Ready): Promise<number[]> {
  const ws = new WebSocket(`ws://127.0.0.1:${view.httpPort}/api/live?token=${view.tokens[0]}`);
  const waiting = new Map<string, (t: number) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as {
      type: string;
      positions?: { lat: number }[];
      position?: { lat: number };
    };
    const ps =
      m.type === 'positions' ? (m.positions ?? []) : m.type === 'position' && m.position ? [m.position] : [];
    for (const p of ps) waiting.get(p.lat.toFixed(6))?.(performance.now());
  });
  await new Promise((r) => ws.once('open', r));
  const out: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    // Twenty members in turn, 20 a second: no member's position is coalesced with its next one.
    const device = post.devices[i % 20];
    const lat = (50 + i * 1e-4).toFixed(6);
    const t0 = performance.now();
    const seen = new Promise<number>((resolve) => waiting.set(lat, resolve));
    const res = await fetch(
      `http://127.0.0.1:${post.osmandPort}/?id=${device}&lat=${lat}&lon=-1.31&timestamp=${Date.now()}`,
    );
    if (res.status !== 200) throw new Error(`position refused: ${res.status}`);
    const t1 = await Promise.race([seen, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 5000))]);
    waiting.delete(lat);
    if (!Number.isNaN(t1)) out.push(t1 - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  ws.close();
  return out.sort((a, b) => a - b);
}

export async function clusterBench(): Promise<BenchRow[]> {
  const pgUrl = process.env.HOWL_TEST_POSTGRES_URL;
  const natsUrl = process.env.HOWL_TEST_NATS_URL || process.env.HOWL_NATS_URL;
  if (!pgUrl || !natsUrl) {
    process.stderr.write('cluster skipped: set HOWL_TEST_POSTGRES_URL and HOWL_TEST_NATS_URL\n');
    return [];
  }
  const rows: BenchRow[] = [];
  const one = await writeCapacity(pgUrl, 1);
  const four = await writeCapacity(pgUrl, 4);
  for (const [writers, c] of [
    [1, one],
    [4, four],
  ] as const) {
    rows.push({
      group: 'cluster',
      name: `PostgreSQL: Howl's batch insert of positions (${BATCH} a batch), ${writers} writer(s)`,
      value: c.rate,
      unit: 'positions/s',
      floor: null,
      floorName: '',
      detail: `${Math.round(c.bytesPerRow)} bytes a stored position with its indexes (${((c.bytesPerRow * 1e8) / 1e9).toFixed(1)} GB per 100 M)`,
      check: '',
      lost: false,
    });
  }
  const single = await ingest(pgUrl, natsUrl, 1, 100);
  const double = await ingest(pgUrl, natsUrl, 2, 50);
  for (const [label, x] of [
    ['one node, 100 connections', single],
    ['two nodes, 50 connections each', double],
  ] as const) {
    rows.push({
      group: 'cluster',
      name: `OsmAnd HTTP → PostgreSQL, ${label}`,
      value: x.r.ok / x.r.seconds,
      unit: 'positions/s',
      floor: four.rate,
      floorName: 'PostgreSQL batch insert, 4 writers',
      detail: `p50 ${x.r.p50.toFixed(1)} / p99 ${x.r.p99.toFixed(1)} ms${x.r.failed ? `; ${x.r.failed} refused` : ''}`,
      check:
        x.stored === x.r.ok
          ? `${x.stored.toLocaleString('en')} stored = acknowledged`
          : `${x.stored} stored ≠ ${x.r.ok}`,
      lost: x.stored !== x.r.ok,
    });
  }
  const scratch = await scratchPostgres(pgUrl);
  const a = await clusterNode(scratch.url, natsUrl, 20);
  const b = await clusterNode(scratch.url, natsUrl, 0);
  b.ready.tokens = a.ready.tokens;
  process.stderr.write(`  latency: ${LATENCY_SAMPLES} positions to node A, viewers on A and on B\n`);
  const same = await latency(a.ready, a.ready);
  const cross = await latency(a.ready, b.ready);
  await stopServer(a.child);
  await stopServer(b.child);
  await scratch.drop();
  for (const n of [a, b]) rmSync(n.dir, { recursive: true, force: true });
  rows.push({
    group: 'cluster',
    name: 'a position posted to node A until a viewer on node B has it, p99',
    value: quantile(cross, 0.99),
    unit: 'ms',
    floor: quantile(same, 0.99),
    floorName: 'a viewer on node A',
    detail: `p50 ${quantile(cross, 0.5).toFixed(1)} ms (floor p50 ${quantile(same, 0.5).toFixed(1)}); the 50 ms position tick included`,
    check: `${cross.length} of ${LATENCY_SAMPLES} seen on B, ${same.length} on A`,
    lost: cross.length < LATENCY_SAMPLES,
  });
  return rows;
}
