import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import { ensureWebBuilt } from '../src/cli/web-build.ts';
import { loopbackConfig } from './support/server.ts';

describe('web files and local map tiles', () => {
  let dir: string;
  let howl: RunningHowl;
  const tiles = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

  beforeAll(async () => {
    await ensureWebBuilt(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'howl-web-'));
    writeFileSync(join(dir, 'area.pmtiles'), tiles);
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    howl = await startHowl(loopbackConfig(join(dir, 'data'), { HOWL_TILES: join(dir, 'area.pmtiles') }), {
      logger: false,
    });
  }, 120_000);
  afterAll(async () => {
    await howl?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console at / and /login and the field page at /field', async () => {
    for (const path of ['/', '/login', '/field']) {
      const res = await fetch(`${howl.localUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toMatch(/<div id="root">|<script/);
    }
  });

  it('sends the built files compressed as built, hashed ones cached for a year, pages checked each time', async () => {
    const html = await (await fetch(`${howl.localUrl}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThan(1);
    for (const [encoding, expected] of [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      for (const path of assets) {
        const res = await fetch(`${howl.localUrl}${path}`, { headers: { 'accept-encoding': encoding } });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-encoding'), `${path} ${encoding}`).toBe(expected);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('content-type')).toMatch(/javascript|css/);
        expect((await res.text()).length).toBeGreaterThan(100);
      }
    }
    for (const path of ['/', '/field', '/field-sw.js']) {
      const res = await fetch(`${howl.localUrl}${path}`, { headers: { 'accept-encoding': 'br' } });
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
    // The first paint: the page's own scripts, without the map library, the replay or the training views.
    const firstPaint = assets.filter((a) => a.endsWith('.js'));
    let bytes = 0;
    for (const path of firstPaint) {
      const res = await fetch(`${howl.localUrl}${path}`, { headers: { 'accept-encoding': 'identity' } });
      bytes += (await res.arrayBuffer()).byteLength;
    }
    expect(bytes).toBeLessThan(600_000);
  });

  it('tells the web app to read the local .pmtiles file, and serves byte ranges of it', async () => {
    const config = await (await fetch(`${howl.localUrl}/api/config`)).json();
    expect(config.tiles).toEqual({ kind: 'pmtiles', url: '/tiles/area.pmtiles' });
    const res = await fetch(`${howl.localUrl}/tiles/area.pmtiles`, { headers: { range: 'bytes=100-227' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(tiles.subarray(100, 228));
  });

  it('serves nothing else from the tiles folder', async () => {
    expect((await fetch(`${howl.localUrl}/tiles/secret.txt`)).status).toBe(404);
    expect((await fetch(`${howl.localUrl}/tiles/..%2Fsecret.txt`)).status).toBe(404);
  });
});
