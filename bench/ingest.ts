// Ingest: positions posted over OsmAnd HTTP (10, 50 and 200 keep-alive connections) and over OwnTracks HTTP,
// on the embedded database and (with HOWL_TEST_POSTGRES_URL) on PostgreSQL, by a load generator in a
// process of its own (bench/load-http.ts); beside each, the same generator against a bare `http` server that
// parses the same requests (bench/floor-http.ts). Afterwards the positions stored are counted: every
// acknowledged one must be there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/store/db.ts';
import type { HttpLoad, HttpLoadResult } from './load-http.ts';
import { type BenchRow, scratchPostgres, spawnJson, startServer, stopServer } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50,200').split(',').map(Number);
/** The target: at 50 connections, this share of the bare server's rate. */
const TARGET_RATIO = 0.6;

type Target = { dataDir: string } | { url: string };

async function countStored(target: Target): Promise<number> {
  const d = await openDatabase(target);
  const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db);
  await d.close();
  return Number(r.rows[0]?.n);
}

function load(cfg: HttpLoad): Promise<HttpLoadResult> {
  process.stderr.write(`  ${cfg.kind}: ${cfg.connections} connections for ${cfg.seconds} s\n`);
  return spawnJson<HttpLoadResult>('bench/load-http.ts', [JSON.stringify(cfg)]).first;
}

const rate = (r: HttpLoadResult) => r.ok / r.seconds;
const detail = (r: HttpLoadResult) =>
  `p50 ${r.p50.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms${r.failed ? `; ${r.failed} refused (${r.firstError})` : ''}`;

/** The floor's rate for each case, measured once per run. */
async function floors(
  cases: { kind: HttpLoad['kind']; connections: number }[],
): Promise<Map<string, number>> {
  const server = spawnJson<{ port: number }>('bench/floor-http.ts');
  const { port } = await server.first;
  const out = new Map<string, number>();
  process.stderr.write('ingest floor: a bare http server\n');
  for (const c of cases) {
    const r = await load({ port, seconds: SECONDS, devices: ['d'], tokens: ['t'], ...c });
    out.set(`${c.kind}/${c.connections}`, rate(r));
  }
  server.child.kill('SIGTERM');
  return out;
}

/** A fresh server on `target` under one load; the row, with the positions counted afterwards. */
async function measure(
  label: string,
  env: NodeJS.ProcessEnv,
  target: Target,
  kind: HttpLoad['kind'],
  connections: number,
  floor: number,
): Promise<BenchRow> {
  process.stderr.write(`${label}: starting server…\n`);
  const { child, ready } = await startServer(env);
  const port = kind === 'osmand' ? ready.osmandPort : ready.httpPort;
  const r = await load({
    port,
    connections,
    seconds: SECONDS,
    kind,
    devices: ready.devices,
    tokens: ready.tokens,
  });
  await stopServer(child);
  const stored = await countStored(target);
  const judged = kind === 'osmand' && connections === 50;
  return {
    group: 'ingest',
    name: `${label}, ${connections} connections`,
    value: rate(r),
    unit: 'positions/s',
    floor,
    floorName: 'bare http',
    detail: detail(r),
    check:
      stored === r.ok ? `${stored.toLocaleString('en')} stored = acknowledged` : `${stored} stored ≠ ${r.ok}`,
    lost: stored !== r.ok,
    ...(judged
      ? { target: `≥ ${TARGET_RATIO} of the floor`, met: rate(r) / floor >= TARGET_RATIO && stored === r.ok }
      : {}),
  };
}

export async function ingestBench(): Promise<BenchRow[]> {
  const cases = [
    ...CONNECTIONS.map((connections) => ({ kind: 'osmand' as const, connections })),
    { kind: 'owntracks' as const, connections: 50 },
  ];
  const floor = await floors(cases);
  const rows: BenchRow[] = [];
  const pgUrl = process.env.HOWL_TEST_POSTGRES_URL;
  for (const c of cases) {
    const f = floor.get(`${c.kind}/${c.connections}`) ?? 0;
    const label = c.kind === 'osmand' ? 'OsmAnd HTTP' : 'OwnTracks HTTP';
    const dir = mkdtempSync(join(tmpdir(), 'howl-bench-'));
    rows.push(
      await measure(
        `${label} → PGlite`,
        { HOWL_DATA_DIR: dir, DATABASE_URL: '' },
        { dataDir: dir },
        c.kind,
        c.connections,
        f,
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl && c.kind === 'osmand') {
      const scratch = await scratchPostgres(pgUrl);
      const pdir = mkdtempSync(join(tmpdir(), 'howl-bench-'));
      rows.push(
        await measure(
          `${label} → PostgreSQL`,
          { DATABASE_URL: scratch.url, HOWL_DATA_DIR: pdir },
          { url: scratch.url },
          c.kind,
          c.connections,
          f,
        ),
      );
      await scratch.drop();
      rmSync(pdir, { recursive: true, force: true });
    }
  }
  return rows;
}
