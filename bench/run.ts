// `npm run bench`: OsmAnd positions accepted per second and start-up time, on the embedded
// database and (with HOWL_TEST_POSTGRES_URL) on PostgreSQL; then alert delivery to connected
// members; live fan-out to 1,000 viewers beside a bare ws server; drill scoring; GPX parsing; a replay of
// 360,000 positions. Prints tables; checks that nothing was lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/store/db.ts';
import { alertDelivery } from './alert-delivery.ts';
import { cotThroughput } from './cot.ts';
import { drillScoreBench } from './drill-score.ts';
import { FANOUT_HEAD, fanoutBench } from './fanout.ts';
import { GPX_PARSE_HEAD, GPX_PARSE_TARGETS, gpxParseBench } from './gpx-parse.ts';
import { owntracksThroughput } from './owntracks.ts';
import { REPLAY_HEAD, REPLAY_TARGETS, replayBench } from './replay.ts';
import { quantile, type Ready, startServer, stopServer, table } from './support.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function load(
  ready: Ready,
): Promise<{ accepted: number; failed: number; p50: number; p99: number; seconds: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  const end = t0 + DURATION_MS;
  let lastPrint = t0;
  const worker = async (w: number) => {
    const device = ready.devices[w % ready.devices.length];
    let lat = 51.05 + w * 0.001;
    while (performance.now() < end) {
      lat += 0.00001;
      const s = performance.now();
      const res = await fetch(
        `http://127.0.0.1:${ready.osmandPort}/?id=${device}&lat=${lat.toFixed(6)}&lon=-1.3188&timestamp=${Date.now()}&accuracy=5`,
      );
      await res.arrayBuffer();
      if (res.status === 200) latencies.push(performance.now() - s);
      else failed++;
      if (performance.now() - lastPrint > 2000) {
        lastPrint = performance.now();
        process.stderr.write(
          `  … ${latencies.length} positions in ${((lastPrint - t0) / 1000).toFixed(0)} s\n`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  latencies.sort((a, b) => a - b);
  return {
    accepted: latencies.length,
    failed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    seconds: (performance.now() - t0) / 1000,
  };
}

async function countStored(target: { dataDir: string } | { url: string }): Promise<number> {
  const d = await openDatabase(target);
  const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db);
  await d.close();
  return Number(r.rows[0]?.n);
}

const rows: string[][] = [];
async function run(name: string, env: NodeJS.ProcessEnv, target: { dataDir: string } | { url: string }) {
  process.stderr.write(`${name}: starting server…\n`);
  const { child, ready } = await startServer(env);
  process.stderr.write(`${name}: ${CONNECTIONS} connections for ${DURATION_MS / 1000} s\n`);
  const r = await load(ready);
  await stopServer(child);
  const stored = await countStored(target);
  rows.push([
    name,
    `${(ready.startMs / 1000).toFixed(1)} s`,
    String(CONNECTIONS),
    Math.round(r.accepted / r.seconds).toLocaleString('en'),
    `${r.p50.toFixed(1)} ms`,
    `${r.p99.toFixed(1)} ms`,
    String(r.failed),
    stored === r.accepted ? `${stored} = accepted` : `${stored} ≠ ${r.accepted} LOST`,
  ]);
}

const dir = mkdtempSync(join(tmpdir(), 'howl-bench-'));
await run('OsmAnd → PGlite', { HOWL_DATA_DIR: dir, DATABASE_URL: '' }, { dataDir: dir });
rmSync(dir, { recursive: true, force: true });

const pgUrl = process.env.HOWL_TEST_POSTGRES_URL;
if (pgUrl) {
  const name = `howl_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const pdir = mkdtempSync(join(tmpdir(), 'howl-bench-'));
  await run(
    'OsmAnd → PostgreSQL',
    { DATABASE_URL: u.toString(), HOWL_DATA_DIR: pdir },
    { url: u.toString() },
  );
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
  rmSync(pdir, { recursive: true, force: true });
}

const alerts = await alertDelivery();
const fanout = await fanoutBench();
const cot = await cotThroughput();
const owntracks =
  process.env.BENCH_MQTT_URL || process.env.HOWL_TEST_MQTT_URL ? await owntracksThroughput() : [];
process.stderr.write('drill scoring…\n');
const drills = await drillScoreBench();
process.stderr.write('GPX parse…\n');
const gpxParse = await gpxParseBench();
const replay = await replayBench();
console.log(
  table(['benchmark', 'start-up', 'connections', 'positions/s', 'p50', 'p99', 'errors', 'stored'], rows),
);
console.log();
console.log(table(['benchmark', 'alerts', 'receipts', 'p50', 'p99', 'max'], [alerts]));
console.log();
console.log(table(FANOUT_HEAD, fanout));
console.log();
console.log(table(['benchmark', 'sent', 'stored/s', 'stored'], [...cot, ...owntracks]));
console.log();
console.log(table(['benchmark', 'points per track', 'median'], drills));
console.log();
console.log(table(GPX_PARSE_HEAD, gpxParse));
console.log(GPX_PARSE_TARGETS);
console.log();
console.log(table(REPLAY_HEAD, replay));
console.log(REPLAY_TARGETS);
