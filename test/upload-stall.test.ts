// A large GPX upload must not stall the server: the file is parsed off the event loop (a worker thread), so
// that /api/health keeps answering over another socket while it is read. The strict figure (no stall over
// 100 ms) is measured by `npm run bench`; this test bounds the longest gap generously, for a loaded machine.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Drill } from '../src/contract/drills.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { MAX_TRACK_FILE_BYTES, TRACK_PARSE_CHANNEL, type TrackParseEvent } from '../src/formats/gpx-read.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const POINTS = 300_000;
const HEALTH_EVERY_MS = 20;
/**
 * The longest gap allowed between two health answers: the stall this test guards against took 11–57 s. On a
 * loaded two-core machine running other test files beside this one, the worker, the main thread and the other
 * files share the cores, and a gap of over a second has been seen with the parse off the event loop.
 */
const MAX_GAP_MS = 3000;

/** A GPX 1.1 file as a phone app writes it: one point a second with elevation, time and speed (~42 MB). */
function largeGpx(points: number): Buffer {
  const t0 = Date.UTC(2025, 5, 1, 8);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<gpx version="1.1" creator="Howl test" xmlns="http://www.topografix.com/GPX/1/1">\n',
    '<trk><name>Long walk</name><trkseg>\n',
  ];
  for (let i = 0; i < points; i++) {
    const lat = (46.95 + i * 1e-6).toFixed(7);
    const lon = (7.45 + Math.sin(i / 500) * 0.01).toFixed(7);
    const time = new Date(t0 + i * 1000).toISOString().replace('.000Z', 'Z');
    parts.push(
      `<trkpt lat="${lat}" lon="${lon}"><ele>${(540 + (i % 100) / 10).toFixed(1)}</ele><time>${time}</time>` +
        '<extensions><speed>1.25</speed></extensions></trkpt>\n',
    );
  }
  parts.push('</trkseg></trk>\n</gpx>\n');
  return Buffer.from(parts.join(''));
}

interface Answer {
  status: number;
  body: string;
}

/** One HTTP request through `agent` (its own socket), answered within 60 s. */
function send(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const auth = (m: AddedMember): Record<string, string> => ({
  authorization: `Bearer ${m.token}`,
});

describe.each(engines)('a large track upload on $name', (engine) => {
  const { h } = useHarness(engine);
  let base: string;

  beforeAll(async () => {
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('keeps /api/health answering while a 300,000-point GPX file is parsed, and stores every point', async () => {
    const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    const runner = await h.addMember('Pack', 'STILES');
    const tracker = await h.addMember('Pack', 'SCOTT');
    const uploads = new Agent({ keepAlive: true, maxSockets: 1 });
    const health = new Agent({ keepAlive: true, maxSockets: 1 });
    const created = await send(
      uploads,
      `${base}/api/drills`,
      'POST',
      { ...auth(lead), 'content-type': 'application/json' },
      Buffer.from(
        JSON.stringify({
          name: 'Long trail',
          runnerId: runner.memberId,
          trackerIds: [tracker.memberId],
          recorded: true,
        }),
      ),
    );
    expect(created.status, created.body).toBe(201);
    const drillId = (JSON.parse(created.body) as Drill).operation.id;
    const file = largeGpx(POINTS);
    expect(file.byteLength).toBeGreaterThan(35 * 1024 * 1024);
    expect(file.byteLength).toBeLessThan(MAX_TRACK_FILE_BYTES);
    // Warm: the first health answer opens the second socket before the upload starts.
    expect((await send(health, `${base}/api/health`, 'GET')).status).toBe(200);

    // The parse's start and end, as the reader announces them.
    const parse: Partial<Record<TrackParseEvent['phase'], number>> = {};
    const onParse = (message: unknown) => {
      parse[(message as TrackParseEvent).phase] = performance.now();
    };
    subscribe(TRACK_PARSE_CHANNEL, onParse);
    let uploading = true;
    const upload = send(
      uploads,
      `${base}/api/drills/${drillId}/tracks/${runner.memberId}?fileName=long.gpx`,
      'PUT',
      { ...auth(lead), 'content-type': 'application/gpx+xml' },
      file,
    ).finally(() => {
      uploading = false;
    });
    const answeredAt: number[] = [performance.now()];
    let sent = 0;
    while (uploading) {
      const start = performance.now();
      sent++;
      const res = await send(health, `${base}/api/health`, 'GET');
      expect(res.status, res.body).toBe(200);
      answeredAt.push(performance.now());
      await sleep(Math.max(0, start + HEALTH_EVERY_MS - performance.now()));
    }
    const stored = await upload;
    answeredAt.push(performance.now());
    unsubscribe(TRACK_PARSE_CHANNEL, onParse);
    health.destroy();
    uploads.destroy();

    expect(stored.status, stored.body.slice(0, 300)).toBe(200);
    const drill = JSON.parse(stored.body) as Drill;
    expect(drill.tracks.find((t) => t.memberId === runner.memberId)).toMatchObject({
      fileName: 'long.gpx',
      source: 'gpx',
      pointCount: POINTS,
    });
    // Every health request sent was answered, many of them while the file was being parsed…
    expect(answeredAt.length - 2).toBe(sent);
    const { start = Number.NaN, end = Number.NaN } = parse;
    expect(end - start, 'the parse was announced').toBeGreaterThan(0);
    const during = answeredAt.filter((t) => t > start && t < end).length;
    expect(during, `health answers during the ${(end - start).toFixed(0)} ms parse`).toBeGreaterThanOrEqual(
      5,
    );
    // …and none waited long while it was: the longest time without an answer between the parse's start and end.
    const gaps = answeredAt.slice(1).map((t, i) => ({ from: answeredAt[i] as number, to: t }));
    const longest = (from: number, to: number) =>
      Math.max(...gaps.map((g) => Math.min(g.to, to) - Math.max(g.from, from)));
    const whileParsing = longest(start, end);
    expect(
      whileParsing,
      `${during} answers while parsing, the longest gap ${whileParsing.toFixed(0)} ms`,
    ).toBeLessThan(MAX_GAP_MS);
    // Storing the 300,000 points comes after the parse. On PostgreSQL that too leaves the event loop free; the
    // embedded database (PGlite) runs its queries on the main thread and holds it while it stores them (1–2 s
    // here), which is the store's to fix, not the reader's.
    if (engine.name === 'postgres') {
      const overall = longest(0, Number.POSITIVE_INFINITY);
      expect(overall, `the longest gap during the whole upload, ${overall.toFixed(0)} ms`).toBeLessThan(
        MAX_GAP_MS,
      );
    }
  });
});
