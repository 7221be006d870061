// A load generator in a process of its own, so that it does not share the server's event loop: keep-alive
// HTTP requests over `connections` sockets for `seconds`, each socket sending its next request when the
// last one is answered. OsmAnd (GET with the position in the query) or OwnTracks HTTP (POST of a location
// with Basic auth). Prints progress on stderr and one JSON line on stdout:
// { ok, failed, p50, p99, seconds }.
import { Agent, request } from 'node:http';
import { quantile } from './support.ts';

export interface HttpLoad {
  port: number;
  connections: number;
  seconds: number;
  kind: 'osmand' | 'owntracks';
  devices: string[];
  tokens: string[];
}

export interface HttpLoadResult {
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  seconds: number;
  /** The first refusal's status and body, to say why. */
  firstError?: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as HttpLoad;
const agent = new Agent({ keepAlive: true, maxSockets: cfg.connections });

function send(w: number, lat: number): Promise<{ status: number; body: string }> {
  const device = cfg.devices[w % cfg.devices.length] ?? '';
  const now = Date.now();
  const osmand = cfg.kind === 'osmand';
  const body = osmand
    ? undefined
    : JSON.stringify({
        _type: 'location',
        lat,
        lon: -1.3188,
        tst: Math.floor(now / 1000),
        acc: 5,
        tid: 'BE',
      });
  const path = osmand
    ? `/?id=${device}&lat=${lat.toFixed(6)}&lon=-1.3188&timestamp=${now}&accuracy=5`
    : '/api/owntracks';
  const headers: Record<string, string> = osmand
    ? {}
    : {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${device}:${cfg.tokens[w % cfg.tokens.length]}`).toString('base64')}`,
        'x-limit-u': device,
        'x-limit-d': 'phone',
      };
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: '127.0.0.1', port: cfg.port, path, method: osmand ? 'GET' : 'POST', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let failed = 0;
let firstError: string | undefined;
const t0 = performance.now();
const end = t0 + cfg.seconds * 1000;
let lastPrint = t0;
await Promise.all(
  Array.from({ length: cfg.connections }, async (_, w) => {
    let lat = 51.05 + w * 0.001;
    while (performance.now() < end) {
      lat += 0.00001;
      const s = performance.now();
      const r = await send(w, lat).catch((e: Error) => ({ status: 0, body: e.message }));
      if (r.status === 200) latencies.push(performance.now() - s);
      else {
        failed++;
        firstError ??= `${r.status} ${r.body.slice(0, 200)}`;
      }
      if (performance.now() - lastPrint > 2000) {
        lastPrint = performance.now();
        process.stderr.write(
          `  … ${latencies.length} answered in ${((lastPrint - t0) / 1000).toFixed(0)} s\n`,
        );
      }
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const result: HttpLoadResult = {
  ok: latencies.length,
  failed,
  p50: quantile(latencies, 0.5),
  p99: quantile(latencies, 0.99),
  seconds,
  firstError,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
