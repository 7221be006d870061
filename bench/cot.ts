// CoT (TAK) throughput: SA position events pushed back to back over TCP, as fast as the socket takes them,
// then how many Howl stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/store/db.ts';
import { type BenchRow, spawnJson, startServer, stopServer } from './support.ts';

const DURATION_MS = Number(process.env.BENCH_COT_SECONDS ?? 5) * 1000;

function cotTimes(at: Date): { time: string; stale: string } {
  return { time: at.toISOString(), stale: new Date(at.getTime() + 60_000).toISOString() };
}

/** An ATAK-style SA event (after the GEMINI capture) for `uid` at `lat`,`lon`. */
function sa(uid: string, lat: number, lon: number): string {
  const t = cotTimes(new Date());
  return `<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="${uid}" type="a-f-G-U-C" time="${t.time}" start="${t.time}" stale="${t.stale}" how="m-g"><point lat="${lat.toFixed(6)}" lon="${lon.toFixed(6)}" hae="173.9" ce="5" le="9999999"/><detail><contact endpoint="*:-1:stcp" callsign="BENCH"/><__group role="Team Member" name="Cyan"/><status battery="80"/><track course="228.7" speed="1.2"/></detail></event>`;
}

function ping(uid: string): string {
  const t = cotTimes(new Date());
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${uid}-ping" type="t-x-c-t" time="${t.time}" start="${t.time}" stale="${t.stale}" how="m-g"><point lat="0" lon="0" hae="9999999" ce="9999999" le="9999999"/><detail/></event>`;
}

/** A TAK client that reads (and discards) what Howl sends, noting pongs. */
class Client {
  private pongs = 0;
  private tail = '';
  private waiter?: () => void;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const text = this.tail + chunk;
      const n = text.split('type="t-x-c-t-r"').length - 1;
      this.tail = text.slice(-32);
      if (n > 0) {
        this.pongs += n;
        this.waiter?.();
      }
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' }, () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }

  /** Writes, waiting for 'drain' when the socket's buffer is full (but not past `until`, a performance.now()). */
  async write(xml: string, until = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.socket.write(xml)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((r) => this.socket.once('drain', () => r())),
      new Promise<void>((r) => {
        if (until !== Number.POSITIVE_INFINITY) timer = setTimeout(r, Math.max(0, until - performance.now()));
      }),
    ]);
    clearTimeout(timer);
  }

  /** A ping and its pong: every event written before has been handled by then. */
  async sync(uid: string, timeoutMs = 120_000): Promise<void> {
    const before = this.pongs;
    await this.write(ping(uid));
    const deadline = Date.now() + timeoutMs;
    while (this.pongs === before) {
      if (this.socket.destroyed) throw new Error('CoT connection closed while waiting for a pong');
      if (Date.now() > deadline) throw new Error('timed out waiting for a CoT pong');
      await new Promise<void>((r) => {
        const t = setTimeout(r, 1000);
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Pushes SA events over `connections` sockets to `port` for the bench's duration, then syncs each. */
async function push(
  label: string,
  port: number,
  uids: string[],
): Promise<{ sent: number; seconds: number; clients: Client[] }> {
  const clients: Client[] = [];
  for (const uid of uids) {
    const c = await Client.open(port);
    await c.write(sa(uid, 51.05, -1.3188)); // binds the connection to the member
    await c.sync(uid);
    clients.push(c);
  }
  process.stderr.write(`${label}: bound; pushing SA events for ${DURATION_MS / 1000} s\n`);
  let sent = 0;
  const t0 = performance.now();
  const end = t0 + DURATION_MS;
  let lastPrint = t0;
  await Promise.all(
    clients.map(async (c, w) => {
      const uid = uids[w] ?? '';
      let lat = 51.05 + w * 0.001;
      while (performance.now() < end) {
        lat += 0.00001;
        await c.write(sa(uid, lat, -1.3188), end);
        sent++;
        // A write the kernel takes at once never yields: let the other connections and the timer run.
        if (sent % 64 === 0) await new Promise((r) => setImmediate(r));
        if (performance.now() - lastPrint > 1000) {
          lastPrint = performance.now();
          process.stderr.write(`  … ${sent} events sent in ${((lastPrint - t0) / 1000).toFixed(0)} s\n`);
        }
      }
    }),
  );
  process.stderr.write(`${label}: ${sent} sent; waiting for the server to catch up…\n`);
  await Promise.all(clients.map((c, w) => c.sync(uids[w] ?? '')));
  return { sent, seconds: (performance.now() - t0) / 1000, clients };
}

async function run(connections: number): Promise<BenchRow> {
  const name =
    connections === 1 ? 'CoT TCP → PGlite, one connection' : `CoT TCP → PGlite, ${connections} connections`;
  const floorServer = spawnJson<{ port: number }>('bench/floor-cot.ts');
  const floor = await push(
    'CoT floor',
    (await floorServer.first).port,
    Array.from({ length: connections }, (_, i) => `f-${i}`),
  );
  for (const c of floor.clients) c.close();
  floorServer.child.kill('SIGTERM');
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-cot-'));
  process.stderr.write(`${name}: starting server…\n`);
  const { child, ready } = await startServer({
    HOWL_DATA_DIR: dir,
    DATABASE_URL: '',
    BENCH_DEVICES: String(Math.max(connections, 1)),
  });
  const howl = await push(name, ready.cotPort, ready.devices.slice(0, connections));
  for (const c of howl.clients) c.close();
  await stopServer(child);
  const d = await openDatabase({ dataDir: dir });
  const r = await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db);
  await d.close();
  rmSync(dir, { recursive: true, force: true });
  const stored = Number(r.rows[0]?.n) - connections; // less the binding event of each connection
  const value = stored / howl.seconds;
  process.stderr.write(`${name}: ${stored} stored, all handled after ${howl.seconds.toFixed(1)} s\n`);
  return {
    group: 'ingest',
    name,
    value,
    unit: 'events/s',
    floor: floor.sent / floor.seconds,
    floorName: 'bare TCP splitter',
    detail: `${howl.sent.toLocaleString('en')} sent; stored/s = stored ÷ time to the pong after the last`,
    check:
      stored === howl.sent
        ? `${stored.toLocaleString('en')} stored = sent`
        : `${stored} stored ≠ ${howl.sent} sent`,
    lost: stored !== howl.sent,
    ...(connections === 1
      ? { target: '≥ 20,000 events/s', met: value >= 20_000 && stored === howl.sent }
      : {}),
  };
}

/** Rows: one connection, then ten, each beside the bare TCP floor. */
export async function cotThroughput(): Promise<BenchRow[]> {
  return [await run(1), await run(10)];
}
