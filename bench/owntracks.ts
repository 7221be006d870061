// OwnTracks over MQTT: locations published (QoS 1) to the broker as fast as it acknowledges them, for
// ten devices, and how fast Howl, subscribed to the same broker, stores them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import mqtt from 'mqtt';
import { openDatabase } from '../src/store/db.ts';
import { type BenchRow, spawnJson, startServer, stopServer } from './support.ts';

const DURATION_MS = Number(process.env.BENCH_OWNTRACKS_SECONDS ?? 5) * 1000;
const BROKER = process.env.BENCH_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const DEVICES = 10;
/** Publications awaiting the broker's PUBACK at any time. */
const IN_FLIGHT = 100;

async function countStored(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(db);
  return Number(r.rows[0]?.n);
}

/** Clears every retained message under `base` (Howl publishes its members there, retained). */
async function clearRetained(base: string): Promise<number> {
  const client = await mqtt.connectAsync(BROKER, {
    clientId: `howl-bench-clean-${randomBytes(4).toString('hex')}`,
  });
  const topics = new Set<string>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.byteLength > 0) topics.add(topic);
  });
  await client.subscribeAsync(`${base}/#`, { qos: 1 });
  await new Promise((r) => setTimeout(r, 500));
  for (const t of topics) await client.publishAsync(t, '', { qos: 1, retain: true });
  await client.endAsync();
  return topics.size;
}

/** Locations published (QoS 1, IN_FLIGHT at a time) round-robin to `topics` for the bench's duration. */
async function publish(
  label: string,
  topics: string[],
): Promise<{ published: number; t0: number; t0Wall: number; lastLat: Map<string, number> }> {
  const client = await mqtt.connectAsync(BROKER, {
    clientId: `howl-bench-${randomBytes(4).toString('hex')}`,
  });
  process.stderr.write(`${label}: publishing for ${DURATION_MS / 1000} s (${IN_FLIGHT} in flight)\n`);
  let published = 0;
  const t0 = performance.now();
  const t0Wall = Date.now();
  const end = t0 + DURATION_MS;
  let lastPrint = t0;
  let seq = 0;
  const lastLat = new Map<string, number>();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const i = seq++;
        const topic = topics[i % topics.length] ?? '';
        const lat = Number((51.05 + i * 0.000001).toFixed(6));
        lastLat.set(topic, lat);
        const payload = JSON.stringify({
          _type: 'location',
          lat,
          lon: -1.3188,
          tst: Math.floor(Date.now() / 1000),
          acc: 5,
          batt: 80,
          tid: 'BB',
          t: 'u',
        });
        await client.publishAsync(topic, payload, { qos: 1 });
        published++;
        if (performance.now() - lastPrint > 1000) {
          lastPrint = performance.now();
          process.stderr.write(`  … ${published} published in ${((lastPrint - t0) / 1000).toFixed(0)} s\n`);
        }
      }
    }),
  );
  const base = topics[0]?.split('/')[0] ?? '';
  await client.publishAsync(`${base}/end`, 'end', { qos: 1 });
  await client.endAsync();
  process.stderr.write(
    `${label}: ${published} published in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return { published, t0, t0Wall, lastLat };
}

/** The floor: a bare subscriber's rate (messages it parsed ÷ time to the end marker). */
async function floorRate(): Promise<number> {
  const base = `howlbench-floor-${randomBytes(4).toString('hex')}`;
  const sub = spawnJson<{ ready?: boolean; count?: number; at?: number }>('bench/floor-mqtt.ts', [
    BROKER,
    base,
  ]);
  await sub.first;
  const p = await publish(
    'OwnTracks MQTT floor',
    Array.from({ length: DEVICES }, (_, i) => `${base}/bench/${i}`),
  );
  const done = await sub.last;
  return (done.count ?? 0) / (((done.at ?? 0) - p.t0Wall) / 1000);
}

/** OwnTracks over MQTT through the real broker, beside a bare subscriber's rate. */
export async function owntracksThroughput(): Promise<BenchRow[]> {
  const floor = await floorRate();
  const base = `howlbench-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-owntracks-'));
  const name = 'OwnTracks MQTT → PGlite, 10 devices';
  process.stderr.write(`${name}: starting a server on ${BROKER}, topic ${base}…\n`);
  const { child, ready } = await startServer({
    HOWL_DATA_DIR: dir,
    DATABASE_URL: '',
    HOWL_MQTT_URL: BROKER,
    HOWL_MQTT_TOPIC: base,
    BENCH_DEVICES: String(DEVICES),
  });
  // bench/server.ts registers `bench-<i>`: the topic `BASE/bench/<i>` is that device.
  const topics = ready.devices.map((d) => `${base}/${d.replace(/^bench-/, 'bench/')}`);
  const { published, t0, lastLat } = await publish(name, topics);
  // Done when every member's latest position is the last one published for them (cheap to poll), then
  // confirmed by counting the trails; a count that stops moving for 3 s ends the wait too.
  const api = `http://127.0.0.1:${ready.httpPort}/api/positions`;
  const headers = { authorization: `Bearer ${ready.tokens[0] ?? ''}` };
  const since = new Date(Date.now() - 3600_000).toISOString();
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const latestDone = async (): Promise<boolean> => {
    const fc = await get<{ features: Array<{ geometry: { coordinates: [number, number] } }> }>('/latest');
    const lats = new Set(fc.features.map((f) => f.geometry.coordinates[1]));
    return [...lastLat.values()].every((l) => lats.has(l));
  };
  const trailCount = async (): Promise<number> => {
    const r = await get<{ trails: Record<string, unknown[]> }>(`/trails?since=${encodeURIComponent(since)}`);
    return Object.values(r.trails).reduce((n, t) => n + t.length, 0);
  };
  let doneAt = performance.now();
  let seen = -1;
  let lastCountAt = 0;
  for (;;) {
    const now = performance.now();
    const caughtUp = await latestDone();
    if (caughtUp || now - lastCountAt > 1000) {
      lastCountAt = now;
      const n = await trailCount();
      if (n !== seen) {
        seen = n;
        doneAt = now;
        process.stderr.write(`  … ${n} stored after ${((now - t0) / 1000).toFixed(1)} s\n`);
      }
      if (n >= published || now - doneAt > 3000) break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (doneAt - t0) / 1000;
  await stopServer(child);
  const d = await openDatabase({ dataDir: dir });
  const stored = await countStored(d.db);
  await d.close();
  rmSync(dir, { recursive: true, force: true });
  const cleared = await clearRetained(base);
  process.stderr.write(
    `${name}: ${stored} stored, the last after ${seconds.toFixed(1)} s; ${cleared} retained messages cleared\n`,
  );
  const value = stored / seconds;
  return [
    {
      group: 'ingest',
      name,
      value,
      unit: 'positions/s',
      floor,
      floorName: 'bare MQTT subscriber',
      detail: `${published.toLocaleString('en')} published, QoS 1, ${IN_FLIGHT} in flight`,
      check:
        stored === published
          ? `${stored.toLocaleString('en')} stored = published`
          : // Published far faster than consumed: the broker's queue for Howl (mosquitto keeps 1000) drops the rest.
            `${stored} of ${published} stored (the broker's queue dropped the rest)`,
      lost: false,
    },
  ];
}
