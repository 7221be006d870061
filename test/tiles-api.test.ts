import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMTiles } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { ExtractEstimate, ExtractJobView, TileAreaList } from '../src/contract/tiles.ts';
import { latToTileY, lonToTileX } from '../src/domain/tile-area.ts';
import { TileAreas } from '../src/services/tiles/tile-areas.ts';
import { TileExtracts } from '../src/services/tiles/tile-jobs.ts';
import { LocalFileSource } from '../src/services/tiles/tile-source.ts';
import { engines } from './support/engines.ts';
import { RangeServer } from './support/range-server.ts';
import { useHarness } from './support/setup.ts';
import { TOWN, terrainArchive, vectorArchive } from './support/tile-archives.ts';

const dir = mkdtempSync(join(tmpdir(), 'howl-tiles-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const server = new RangeServer();
let sourceUrl = '';
const vector = vectorArchive({ west: 8.4, south: 47.3, east: 8.7, north: 47.5 }, 0, 12);
const terrain = terrainArchive({ west: 8.5, south: 47.35, east: 8.6, north: 47.45 }, 0, 10);
beforeAll(async () => {
  await server.start();
  sourceUrl = server.put('/basemap.pmtiles', vector);
  server.put('/page.pmtiles', new TextEncoder().encode('<!doctype html>'.repeat(20)));
});
afterAll(() => server.stop());

const Z = 12;
const X = lonToTileX(TOWN.lon, Z);
const Y = latToTileY(TOWN.lat, Z);

describe.each(engines)('offline map areas over HTTP on $name', (engine) => {
  const tilesDir = join(dir, engine.name, 'tiles');
  mkdirSync(tilesDir, { recursive: true });
  writeFileSync(join(tilesDir, 'valley.pmtiles'), vector);
  writeFileSync(join(tilesDir, 'valley-dem.pmtiles'), terrain);
  writeFileSync(join(tilesDir, 'notes.pmtiles'), 'not an archive');
  const areas = new TileAreas(tilesDir);
  const { h } = useHarness(engine, {
    tiles: { areas, extracts: new TileExtracts(areas, () => areas.changed()) },
  });
  let lead: AddedMember;
  let member: AddedMember;
  beforeAll(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    member = await h.addMember('Pack', 'PUP');
  });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who?: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: who ? { authorization: `Bearer ${who.token}` } : {}, payload });
  const extractBody = (over: object = {}) => ({
    bbox: [8.5, 47.35, 8.6, 47.45],
    maxzoom: 11,
    from: sourceUrl,
    name: 'drawn',
    ...over,
  });

  it('lists the readable areas to a member, with size, zooms and tile URL; a stranger gets 401', async () => {
    expect((await call('GET', '/api/tiles')).statusCode).toBe(401);
    const res = await call('GET', '/api/tiles', member);
    expect(res.statusCode).toBe(200);
    const { areas: list } = res.json() as TileAreaList;
    expect(list.map((a) => [a.name, a.kind, a.minZoom, a.maxZoom])).toEqual([
      ['valley', 'vector', 0, 12],
      ['valley-dem', 'terrain', 0, 10],
    ]);
    expect(list[0]).toMatchObject({ bytes: vector.length, url: '/tiles/valley/{z}/{x}/{y}.mvt' });
    expect(list[1]).toMatchObject({ encoding: 'terrarium', url: '/tiles/valley-dem/{z}/{x}/{y}.png' });
  });

  it('serves tiles one by one, inflated, empty (204) where the area has none', async () => {
    const want = await new PMTiles(new LocalFileSource(join(tilesDir, 'valley.pmtiles'))).getZxy(Z, X, Y);
    for (const name of ['valley', '@vector']) {
      const res = await call('GET', `/tiles/${name}/${Z}/${X}/${Y}.mvt`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      // The archive stores the tile gzipped; the reader inflates it, so that the body is the tile itself.
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.rawPayload).toEqual(Buffer.from(want?.data as ArrayBuffer));
      expect(res.rawPayload.includes(Buffer.from(TOWN.name))).toBe(true); // an MVT keeps its strings as they are
    }
    const png = await call('GET', `/tiles/@terrain/10/${lonToTileX(8.55, 10)}/${latToTileY(47.4, 10)}.png`);
    expect([png.statusCode, png.headers['content-type']]).toEqual([200, 'image/png']);
    expect((await call('GET', `/tiles/valley/${Z}/0/0.mvt`)).statusCode).toBe(204);
    expect((await call('GET', `/tiles/valley/14/${X * 4}/${Y * 4}.mvt`)).statusCode).toBe(204);
    expect((await call('GET', `/tiles/nowhere/${Z}/${X}/${Y}.mvt`)).statusCode).toBe(404);
  });

  it('answers a TileJSON per area and for the joined areas', async () => {
    const res = await call('GET', '/tiles/valley/tile.json');
    expect(res.json()).toMatchObject({
      tilejson: '3.0.0',
      tiles: ['http://localhost:80/tiles/valley/{z}/{x}/{y}.mvt'],
      minzoom: 0,
      maxzoom: 12,
      bounds: [8.4, 47.3, 8.7, 47.5],
    });
    const dem = (await call('GET', '/tiles/@terrain/tile.json')).json() as {
      tiles: string[];
      encoding: string;
    };
    expect(dem.tiles[0]).toMatch(/\/tiles\/%40terrain\/\{z\}\/\{x\}\/\{y\}\.png$/);
    expect(dem.encoding).toBe('terrarium');
  });

  it('refuses bad tile addresses, naming the field', async () => {
    for (const [url, field] of [
      ['/tiles/valley/z/1/1.mvt', 'z'],
      ['/tiles/valley/31/1/1.mvt', 'z'],
      ['/tiles/valley/1/-1/1.mvt', 'x'],
      ['/tiles/valley/1/1/one.mvt', 'file'],
      ['/tiles/valley/1/1/1.exe', 'file'],
      ['/tiles/va%20lley/1/1/1.mvt', 'name'],
      ['/tiles/..%2Fsecret/1/1/1.mvt', 'name'],
    ] as const) {
      const res = await call('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(field);
    }
  });

  it('starts an extract for a leader, with its size first and its progress until done', async () => {
    expect((await call('POST', '/api/tiles/extracts', member, extractBody())).statusCode).toBe(403);
    const res = await call('POST', '/api/tiles/extracts', lead, extractBody());
    expect(res.statusCode).toBe(202);
    const job = res.json() as ExtractJobView;
    expect(job).toMatchObject({ name: 'drawn', state: 'running', minZoom: 0, maxZoom: 11 });
    expect(job.bytes).toBeGreaterThan(job.bytesDone);
    let seen = job;
    for (let i = 0; i < 200 && seen.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const all = (await call('GET', '/api/tiles/extracts', lead)).json() as { extracts: ExtractJobView[] };
      seen = all.extracts.find((e) => e.id === job.id) as ExtractJobView;
    }
    expect(seen).toMatchObject({ state: 'done', bytesDone: job.bytes });
    const { areas: list } = (await call('GET', '/api/tiles', member)).json() as TileAreaList;
    expect(list.find((a) => a.name === 'drawn')).toMatchObject({ maxZoom: 11, bytes: job.bytes });
  });

  it("estimates an extract's size before it starts: what the extract then wrote", async () => {
    const { name: _name, ...body } = extractBody();
    expect((await call('POST', '/api/tiles/estimate', member, body)).statusCode).toBe(403);
    const res = await call('POST', '/api/tiles/estimate', lead, body);
    expect(res.statusCode).toBe(200);
    const estimate = res.json() as ExtractEstimate;
    const { areas: list } = (await call('GET', '/api/tiles', member)).json() as TileAreaList;
    const drawn = list.find((a) => a.name === 'drawn');
    expect(estimate).toEqual({ tiles: drawn?.tiles, bytes: drawn?.bytes, minZoom: 0, maxZoom: 11 });
  });

  it('refuses a bad estimate request, naming the field', async () => {
    const { name: _name, ...body } = extractBody();
    for (const [over, status, text] of [
      [{ bbox: [8, 47, 8, 48] }, 400, 'west and east must differ'],
      [{ bbox: [8, 47, 9, 88] }, 400, 'bbox'],
      [{ maxzoom: -1 }, 400, 'maxzoom'],
      [{ from: '/etc/passwd' }, 400, 'from'],
      [{ from: `${server.url}/page.pmtiles` }, 400, 'is not a PMTiles archive'],
      [{ from: `${server.url}/gone.pmtiles` }, 502, 'answered 404'],
      [{ bbox: [20, 10, 21, 11] }, 400, "outside the archive's bounds"],
      [{ name: 'drawn' }, 400, 'name'],
    ] as const) {
      const res = await call('POST', '/api/tiles/estimate', lead, { ...body, ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.body, JSON.stringify(over)).toContain(text);
    }
  });

  it('refuses a bad extract request, naming the field, and writes nothing', async () => {
    for (const [over, status, text] of [
      [{ bbox: [8, 47, 8, 48] }, 400, 'west and east must differ'],
      [{ bbox: [8, 48, 9, 47] }, 400, 'south must be less than north'],
      [{ bbox: [8, 47, 9, 88] }, 400, 'bbox'],
      [{ bbox: [8, 47, 9] }, 400, 'bbox'],
      [{ maxzoom: 23 }, 400, 'maxzoom'],
      [{ name: '../up' }, 400, 'name'],
      [{ name: undefined }, 400, 'name'],
      [{ from: 'relative.pmtiles' }, 400, 'from'],
      [{ from: '/etc/passwd' }, 400, 'from'],
      [{ from: `${server.url}/page.pmtiles` }, 400, 'is not a PMTiles archive'],
      [{ from: `${server.url}/gone.pmtiles` }, 502, 'answered 404'],
      [{ bbox: [20, 10, 21, 11] }, 400, "outside the archive's bounds"],
      [{ maxSize: 100 }, 400, 'maxSize'],
      [{ name: 'valley' }, 409, 'name'],
      [{ extra: 1 }, 400, 'extra'],
    ] as const) {
      const res = await call('POST', '/api/tiles/extracts', lead, extractBody({ name: 'other', ...over }));
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.body, JSON.stringify(over)).toContain(text);
    }
    const { areas: list } = (await call('GET', '/api/tiles', member)).json() as TileAreaList;
    expect(list.map((a) => a.name).sort()).toEqual(['drawn', 'valley', 'valley-dem']);
  });

  it('refuses to stop an extract that is not there, or for a member', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('DELETE', `/api/tiles/extracts/${unknown}`, member)).statusCode).toBe(403);
    const missing = await call('DELETE', `/api/tiles/extracts/${unknown}`, lead);
    expect([missing.statusCode, missing.body.includes(unknown)]).toEqual([404, true]);
    const long = await call('DELETE', `/api/tiles/extracts/${'x'.repeat(65)}`, lead);
    expect([long.statusCode, long.body.includes('id')]).toEqual([400, true]);
  });

  it('lets a leader delete an area; a member may not; a bad or unknown name is refused', async () => {
    expect((await call('DELETE', '/api/tiles/drawn', member)).statusCode).toBe(403);
    const bad = await call('DELETE', '/api/tiles/bad%20name', lead);
    expect([bad.statusCode, bad.body.includes('name')]).toEqual([400, true]);
    expect((await call('DELETE', '/api/tiles/drawn', lead)).statusCode).toBe(204);
    expect((await call('DELETE', '/api/tiles/drawn', lead)).statusCode).toBe(404);
    const { areas: list } = (await call('GET', '/api/tiles', member)).json() as TileAreaList;
    expect(list.map((a) => a.name)).toEqual(['valley', 'valley-dem']);
  });
});
