import { destination, type Point } from '../domain/geo.ts';
import { FieldApi } from './clients/field-api.ts';
import { createAgent } from './clients/http.ts';
import { LiveFeed } from './clients/live-feed.ts';
import { OsmAndClient } from './clients/osmand.ts';
import { GPS_START, type GpsOptions, readFix } from './gps.ts';
import { advance, createWalker, goTo, type Walker } from './movement.ts';
import { createRng, type Rng, uniform } from './random.ts';
import { HALE_HOUSE } from './terrain.ts';

export const MAX_LOAD_MEMBERS = 10_000;

export interface LoadOptions {
  /** The API (field page gateway and live feed), e.g. `http://127.0.0.1:8080`. */
  apiUrl: string;
  /** The OsmAnd gateway, e.g. `http://127.0.0.1:5055`; needed for `gateway: 'osmand'`. */
  osmandUrl?: string;
  gateway: 'osmand' | 'field';
  /** The members to move: their device id (OsmAnd) and bearer token (field page). At most 10,000. */
  members: ReadonlyArray<{ device: string; token: string }>;
  /** Reports per second, per member. */
  ratePerS: number;
  durationS: number;
  /** WebSocket viewers on the live feed (with the members' tokens, in turn). */
  viewers?: number;
  /** Where they move: a circle (default: 1 km around the Hale House). */
  area?: { center: Point; radiusM: number };
  /** Requests in flight at once at most; more wait their turn (default 256). */
  maxInFlight?: number;
  seed?: number;
  /** GPS noise; no lost fixes by default, so that every scheduled report is sent. */
  gps?: GpsOptions;
}

export interface LoadReport {
  gateway: 'osmand' | 'field';
  members: number;
  /** Real seconds from the first report to the last answer. */
  durationS: number;
  /** Requests made. */
  sent: number;
  /** Answered 200: stored, by Howl's promise. */
  acknowledged: number;
  /** Answered with another status. */
  refused: number;
  /** No answer (connection error, timeout). */
  failed: number;
  byStatus: Record<string, number>;
  /** Reports per second actually sent. */
  ratePerS: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** The most reports waiting for a free connection at once (the generator falling behind). */
  maxQueued: number;
  viewers: { connected: number; positionsReceived: number; minPerViewer: number };
  errors: string[];
}

interface Mover {
  walker: Walker;
  rng: Rng;
  lastS: number;
  osmand?: OsmAndClient;
  field?: FieldApi;
}

/**
 * The load generator of the benchmarks: `members` people moving in an area, each reporting `ratePerS`
 * times a second through one gateway, watched by `viewers` live feeds. Every request is counted, and
 * every answer, so that a benchmark can check that nothing acknowledged was lost.
 */
export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  if (o.members.length === 0 || o.members.length > MAX_LOAD_MEMBERS)
    throw new Error(`members: 1 to ${MAX_LOAD_MEMBERS}, not ${o.members.length}`);
  if (!(o.ratePerS > 0)) throw new Error(`ratePerS: must be positive, not ${o.ratePerS}`);
  if (!(o.durationS > 0)) throw new Error(`durationS: must be positive, not ${o.durationS}`);
  if (o.gateway === 'osmand' && !o.osmandUrl) throw new Error('osmandUrl: needed for the osmand gateway');
  const maxInFlight = o.maxInFlight ?? 256;
  const agent = createAgent(maxInFlight);
  const rng = createRng(o.seed ?? 7);
  const area = o.area ?? { center: HALE_HOUSE, radiusM: 1000 };
  const gps = o.gps ?? { sigmaM: 4, lostFixP: 0, maxLostFixes: 1 };
  const randomSpot = (r: Rng) => destination(area.center, uniform(r, 0, 360), area.radiusM * Math.sqrt(r()));
  const movers: Mover[] = o.members.map((m, i) => {
    const r = createRng(Math.floor(rng() * 2 ** 32) + i);
    return {
      walker: goTo(createWalker(randomSpot(r)), [randomSpot(r)], r() < 0.2 ? 'run' : 'walk', r),
      rng: r,
      lastS: 0,
      ...(o.gateway === 'osmand'
        ? { osmand: new OsmAndClient(o.osmandUrl as string, m.device, agent) }
        : { field: new FieldApi(o.apiUrl, m.token, agent) }),
    };
  });

  const viewerCount = o.viewers ?? 0;
  const received: number[] = Array.from({ length: viewerCount }, () => 0);
  const feeds = received.map(
    (_, i) =>
      new LiveFeed(o.apiUrl, o.members[i % o.members.length]?.token ?? '', {
        keep: (m) => m.type === 'snapshot',
        onMessage: (m) => {
          if (m.type === 'position') received[i] = (received[i] ?? 0) + 1;
        },
      }),
  );
  const connected = (
    await Promise.allSettled(feeds.map((f) => f.waitFor((m) => m.type === 'snapshot', 30_000)))
  ).filter((r) => r.status === 'fulfilled').length;

  const report: LoadReport = {
    gateway: o.gateway,
    members: movers.length,
    durationS: 0,
    sent: 0,
    acknowledged: 0,
    refused: 0,
    failed: 0,
    byStatus: {},
    ratePerS: 0,
    latencyMs: { p50: 0, p99: 0, max: 0 },
    maxQueued: 0,
    viewers: { connected, positionsReceived: 0, minPerViewer: 0 },
    errors: [],
  };
  const latencies: number[] = [];
  const queue: number[] = [];
  let inFlight = 0;
  let drained: () => void = () => undefined;
  const t0 = performance.now();
  const nowS = () => (performance.now() - t0) / 1000;

  const send = (i: number) => {
    const mv = movers[i] as Mover;
    const t = nowS();
    mv.walker = advance(mv.walker, t - mv.lastS, mv.rng);
    mv.lastS = t;
    if (mv.walker.waypoints.length === 0)
      mv.walker = goTo(mv.walker, [randomSpot(mv.rng)], mv.walker.gait, mv.rng);
    const fix = readFix(mv.walker, GPS_START, gps, mv.rng).fix;
    if (!fix) return;
    inFlight++;
    report.sent++;
    const started = performance.now();
    const time = new Date();
    const answer = mv.osmand ? mv.osmand.send(fix, time) : (mv.field as FieldApi).reportPosition(fix, time);
    answer
      .then((status) => {
        latencies.push(performance.now() - started);
        report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
        if (status === 200) report.acknowledged++;
        else report.refused++;
      })
      .catch((e: unknown) => {
        report.failed++;
        if (report.errors.length < 20) report.errors.push((e as Error).message);
      })
      .finally(() => {
        inFlight--;
        pump();
      });
  };
  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) send(queue.shift() as number);
    if (inFlight === 0 && queue.length === 0) drained();
  };

  // Each member reports once per period, at its own phase: walk the members in phase order, round after round.
  const periodS = 1 / o.ratePerS;
  const order = movers.map((_, i) => ({ i, phase: rng() * periodS })).sort((a, b) => a.phase - b.phase);
  let round = 0;
  let cursor = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = nowS();
      const until = Math.min(t, o.durationS);
      for (;;) {
        const slot = order[cursor];
        if (!slot || round * periodS + slot.phase > until) break;
        queue.push(slot.i);
        if (++cursor === order.length) {
          cursor = 0;
          round++;
        }
      }
      report.maxQueued = Math.max(report.maxQueued, queue.length);
      pump();
      if (t >= o.durationS) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await new Promise<void>((resolve) => {
    drained = resolve;
    pump();
  });
  report.durationS = nowS();
  report.ratePerS = report.sent / report.durationS;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  report.latencyMs = { p50: q(0.5), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) };

  // Positions fan out to the viewers after they are stored: give the last ones a moment to arrive.
  const settleBy = performance.now() + 5000;
  while (connected > 0 && performance.now() < settleBy && Math.min(...received) < report.acknowledged) {
    await new Promise((r) => setTimeout(r, 50));
  }
  report.viewers.positionsReceived = received.reduce((s, n) => s + n, 0);
  report.viewers.minPerViewer = received.length ? Math.min(...received) : 0;
  await Promise.all(feeds.map((f) => f.close()));
  agent.destroy();
  return report;
}
