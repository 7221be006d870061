// Replay: one hour of 100 members reporting every second (360,000 positions) served by
// GET /api/operations/:id/replay over loopback HTTP with gzip, on the embedded database and (with
// HOWL_TEST_POSTGRES_URL) on PostgreSQL. Beside each figure, a floor measured in the same run: reading the
// same rows with a bare query, the same rows as plain JSON objects, and parsing that JSON.
// Run alone: node --import tsx bench/replay.ts
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import { buildHowlApp } from '../src/app/http-app.ts';
import type { Replay } from '../src/contract/replay.ts';
import { unpackTracks } from '../src/domain/replay-tracks.ts';
import { RequestAuth } from '../src/server/request-auth.ts';
import { createServices } from '../src/services/services.ts';
import { type Database, openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { BENCH_HEAD, type BenchRow, cells, quantile, table } from './support.ts';

const MEMBERS = Number(process.env.BENCH_REPLAY_MEMBERS ?? 100);
const SECONDS = Number(process.env.BENCH_REPLAY_SECONDS ?? 3600);
const RUNS = 5;
const T0 = Date.parse('2026-11-25T16:00:00Z');
const URLS = { publicUrl: 'http://127.0.0.1', httpsUrl: null, osmandUrl: 'http://127.0.0.1:5055' };

/**
 * Every member walks at about 1.4 m/s on a meandering heading of their own, with a GPS error that drifts by
 * a few metres plus a metre of noise, and reports about every second (the phone's clock off by up to 0.2 s):
 * what phones send. Made by the database itself (seeded, so every run is alike), so seeding takes seconds.
 */
async function seed(d: Database, teamId: string): Promise<void> {
  await sql`select setseed(0.42)`.execute(d.db);
  await sql`
    insert into positions (team_id, member_id, device_id, time, received_at, lat, lon, accuracy, source, mode)
    select ${teamId}::uuid, m.id, 'bench-' || m.n,
      to_timestamp(round((${T0 / 1000}::float8 + k + random() * 0.2) * 1000) / 1000),
      to_timestamp(${T0 / 1000}::float8 + k + 1),
      45.52 + (m.n * 40 + 1.4 * k * cos(m.n) + 40 * sin(k / 97.0 + m.n) + 2.5 * sin(k / 7.0 + m.n * 3)
        + (random() - 0.5) * 2) / 111320.0,
      -122.67 + (1.4 * k * sin(m.n) + 40 * cos(k / 83.0 + m.n) + 2.5 * cos(k / 9.0 + m.n * 5)
        + (random() - 0.5) * 2) / (111320.0 * cos(radians(45.52))),
      5, 'osmand', 'exercise'
    from generate_series(0, ${SECONDS - 1}) as k,
      (select id, row_number() over (order by created_at, id) as n from members where team_id = ${teamId}) as m
  `.execute(d.db);
  await sql`analyze positions`.execute(d.db);
}

/** A GET over loopback, gzip accepted: the time to the last byte and the bytes as they came over the wire. */
function fetchRaw(url: string, token: string): Promise<{ ms: number; body: Buffer; encoding: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`replay answered ${res.statusCode}`));
        resolve({
          ms: performance.now() - t0,
          body: Buffer.concat(chunks),
          encoding: String(res.headers['content-encoding'] ?? ''),
        });
      });
    })
      .on('error', reject)
      .end();
  });
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const msText = (n: number) => `${Math.round(n)} ms`;

async function benchOne(name: string, d: Database): Promise<BenchRow> {
  await migrateToLatest(d.db);
  const services = createServices(d.db, () => URLS);
  const team = await services.teams.resolveForAdmin('Bench', 'Bench');
  let token = '';
  for (let i = 0; i < MEMBERS; i++) {
    const added = await services.members.add({ kind: 'admin' }, team, {
      name: `Member ${i}`,
      callsign: `M${i}`,
      role: i === 0 ? 'leader' : 'member',
    });
    token ||= added.token;
  }
  const admin = { kind: 'admin' } as const;
  const ex = await services.operations.createExercise(admin, team.id, { name: 'Bench hour' });
  process.stderr.write(`replay ${name}: seeding ${(MEMBERS * SECONDS).toLocaleString('en')} positions…\n`);
  await sql`update operations set state = 'ended', created_at = ${new Date(T0)}, started_at = ${new Date(T0)},
    ended_at = ${new Date(T0 + SECONDS * 1000)} where id = ${ex.id}`.execute(d.db);
  await seed(d, team.id);

  const app = await buildHowlApp(
    {
      services,
      auth: new RequestAuth(services.tokens, 'bench-admin-secret-0123456789abcdef'),
      database: d.kind,
      version: 'bench',
      clientConfig: () => ({ version: 'bench', tiles: null, publicUrl: URLS.publicUrl, httpsUrl: null }),
      webDir: null,
      secureCookies: false,
      teamName: 'Bench',
    },
    { logger: false },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/operations/${ex.id}/replay`;
  try {
    const serverMs: number[] = [];
    const decodeMs: number[] = [];
    let wire = 0;
    let raw = 0;
    let count = 0;
    for (let r = 0; r < RUNS; r++) {
      const res = await fetchRaw(url, token);
      if (res.encoding !== 'gzip') throw new Error('the replay was not gzipped');
      serverMs.push(res.ms);
      wire = res.body.length;
      // What the browser does: inflate (the browser does it natively, counted apart), parse, unpack.
      const text = gunzipSync(res.body).toString();
      raw = text.length;
      const t0 = performance.now();
      const replay = JSON.parse(text) as Replay;
      const tracks = unpackTracks(replay.positions);
      decodeMs.push(performance.now() - t0);
      count = tracks.reduce((n, t) => n + t.t.length, 0);
    }
    // Floors: the same rows read by a bare query, sent as plain JSON objects, and parsed back.
    const floorQuery: number[] = [];
    let rows: Array<{ memberId: string; time: Date; lat: number; lon: number }> = [];
    for (let r = 0; r < 2; r++) {
      const t0 = performance.now();
      rows = await d.db
        .selectFrom('positions')
        .select(['member_id as memberId', 'time', 'lat', 'lon'])
        .where('team_id', '=', team.id)
        .where('time', '>=', new Date(T0))
        .where('time', '<=', new Date(T0 + SECONDS * 1000))
        .execute();
      floorQuery.push(performance.now() - t0);
    }
    const t1 = performance.now();
    const plain = JSON.stringify(rows);
    const stringifyMs = performance.now() - t1;
    const plainGz = gzipSync(plain, { level: 4 }).length;
    const t2 = performance.now();
    JSON.parse(plain);
    const plainParseMs = performance.now() - t2;
    const serverMedian = median(serverMs.slice(1));
    return {
      group: 'files',
      name: `replay of ${count.toLocaleString('en')} positions from ${name}, server time`,
      value: serverMedian,
      unit: 'ms',
      floor: median(floorQuery) + stringifyMs,
      floorName: 'bare query + JSON.stringify',
      detail: `first ${msText(serverMs[0] ?? 0)}; ${mb(wire)} on the wire (${mb(raw)} JSON; the rows as plain JSON ${mb(plain.length)}, ${mb(plainGz)} gzipped); client decode ${msText(median(decodeMs))} (floor: parse plain ${msText(plainParseMs)})`,
      check: `${count.toLocaleString('en')} positions decoded`,
      lost: false,
      target: '< 500 ms, < 6 MB on the wire',
      met: serverMedian < 500 && wire < 6 * 1024 * 1024,
    };
  } finally {
    await app.close();
    await services.batcher.close();
  }
}

/** Rows of the replay table: the embedded database, and PostgreSQL when HOWL_TEST_POSTGRES_URL is set. */
export async function replayBench(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const lite = await openDatabase({ memory: true });
  try {
    out.push(await benchOne('PGlite', lite));
  } finally {
    await lite.close();
  }
  const pgUrl = process.env.HOWL_TEST_POSTGRES_URL;
  if (pgUrl) {
    const name = `howl_bench_replay_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    const d = await openDatabase({ url: u.toString() });
    try {
      out.push(await benchOne('PostgreSQL', d));
    } finally {
      await d.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await replayBench();
  console.log(table(BENCH_HEAD, rows.map(cells)));
}
