import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMTiles, TileType } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bbox, latToTileY, lonToTileX, tileInBbox, tileRange } from '../src/domain/tile-area.ts';
import { PACKAGE_ROOT } from '../src/server/paths.ts';
import { LocalFileSource } from '../src/services/tiles/tile-source.ts';
import { RangeServer } from './support/range-server.ts';
import {
  manyTilesArchive,
  terrainArchive,
  tilesOver,
  VECTOR_BOUNDS,
  vectorArchive,
} from './support/tile-archives.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'howl.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), 'howl-tiles-'));
const dataDir = join(dir, 'data');
const tilesDir = join(dataDir, 'tiles');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `howl …` as its own process, on a data folder of its own. */
function howl(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, timeout: 120_000, env: { ...process.env, HOWL_DATA_DIR: dataDir } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const server = new RangeServer();
let vectorBytes: Uint8Array;
let vectorUrl = '';
let terrainUrl = '';
const vectorFile = join(dir, 'basemap.pmtiles');

beforeAll(async () => {
  await server.start();
  vectorBytes = vectorArchive();
  writeFileSync(vectorFile, vectorBytes);
  vectorUrl = server.put('/planet.pmtiles', vectorBytes);
  terrainUrl = server.put('/terrain.pmtiles', terrainArchive());
  server.put('/notes.pmtiles', new TextEncoder().encode('<html>no archive here</html>'.repeat(200)));
}, 120_000);
afterAll(() => server.stop());

/** Every tile of an archive, as "z/x/y" → bytes, read with the `pmtiles` package. */
async function allTiles(file: string): Promise<Map<string, Uint8Array>> {
  const archive = new PMTiles(new LocalFileSource(file));
  const h = await archive.getHeader();
  const out = new Map<string, Uint8Array>();
  const box = { west: h.minLon, south: h.minLat, east: h.maxLon, north: h.maxLat };
  for (const { z, x, y } of tilesOver(box, h.minZoom, h.maxZoom)) {
    const t = await archive.getZxy(z, x, y);
    if (t) out.set(`${z}/${x}/${y}`, new Uint8Array(t.data));
  }
  return out;
}

const BOX: Bbox = { west: 8.5, south: 47.35, east: 8.6, north: 47.45 };
const BOX_TEXT = '8.5,47.35,8.6,47.45';

describe('howl tiles extract', () => {
  it('cuts a box out of a vector archive over HTTP: every tile inside, none outside, same bytes', async () => {
    const run = await howl([
      'tiles',
      'extract',
      '--bbox',
      BOX_TEXT,
      '--maxzoom',
      '13',
      '--from',
      vectorUrl,
      '-o',
      'valley',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tiles \(\d+ distinct\), zoom 0–13: about [\d.]+ (kB|MB)/);
    const file = join(tilesDir, 'valley.pmtiles');
    const archive = new PMTiles(new LocalFileSource(file));
    const h = await archive.getHeader();
    expect([h.minZoom, h.maxZoom, h.tileType, h.clustered]).toEqual([0, 13, TileType.Mvt, true]);
    expect([h.minLon, h.minLat, h.maxLon, h.maxLat]).toEqual([BOX.west, BOX.south, BOX.east, BOX.north]);
    expect(h.centerLon).toBeCloseTo(8.55, 6);
    expect(h.centerLat).toBeCloseTo(47.4, 6);
    expect(h.numTileContents).toBeLessThan(h.numAddressedTiles); // the earth's full tiles are one content

    const source = new PMTiles(new LocalFileSource(vectorFile));
    const got = await allTiles(file);
    let expected = 0;
    for (let z = 0; z <= 13; z++) {
      const r = tileRange(BOX, z);
      for (let x = r.minX; x <= r.maxX; x++)
        for (let y = r.minY; y <= r.maxY; y++) {
          const want = await source.getZxy(z, x, y);
          if (!want) continue;
          expected++;
          expect(got.get(`${z}/${x}/${y}`), `${z}/${x}/${y}`).toEqual(new Uint8Array(want.data));
        }
    }
    expect(got.size).toBe(expected);
    expect(h.numAddressedTiles).toBe(expected);
    for (const key of got.keys()) {
      const [z, x, y] = key.split('/').map(Number) as [number, number, number];
      expect(tileInBbox(BOX, z, x, y), key).toBe(true);
    }
    // Zoom 14 was left out by --maxzoom 13.
    expect(await source.getZxy(14, lonToTileX(8.55, 14), latToTileY(47.4, 14))).toBeDefined();
    expect(await archive.getZxy(14, lonToTileX(8.55, 14), latToTileY(47.4, 14))).toBeUndefined();
    expect(await archive.getMetadata()).toMatchObject({ vector_layers: expect.any(Array) });
  });

  it('cuts a terrain archive of terrarium PNG tiles and keeps its encoding', async () => {
    const run = await howl([
      'tiles',
      'extract',
      '--bbox',
      BOX_TEXT,
      '--from',
      terrainUrl,
      '-o',
      'valley-dem',
    ]);
    expect(run.code).toBe(0);
    const file = join(tilesDir, 'valley-dem.pmtiles');
    const archive = new PMTiles(new LocalFileSource(file));
    const h = await archive.getHeader();
    expect([h.minZoom, h.maxZoom, h.tileType]).toEqual([0, 12, TileType.Png]);
    expect(await archive.getMetadata()).toMatchObject({ encoding: 'terrarium' });
    const got = await allTiles(file);
    expect(got.size).toBe(h.numAddressedTiles);
    const png = got.get(`12/${lonToTileX(8.55, 12)}/${latToTileY(47.4, 12)}`) as Uint8Array;
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('extracts a whole archive from a local file, then lists and deletes the area', async () => {
    const run = await howl([
      'tiles',
      'extract',
      '--bbox',
      '8,47,9.5,48',
      '--from',
      vectorFile,
      '-o',
      'whole',
    ]);
    expect(run.code).toBe(0);
    const speed = /(\d+) tiles in ([\d.]+) s \((\d+) tiles\/s\)/.exec(run.stdout);
    expect(speed).not.toBeNull();
    console.log(`vector extract from a local file: ${speed?.[0]}`);
    const h = await new PMTiles(new LocalFileSource(join(tilesDir, 'whole.pmtiles'))).getHeader();
    const src = await new PMTiles(new LocalFileSource(vectorFile)).getHeader();
    expect(h.numAddressedTiles).toBe(src.numAddressedTiles);
    expect(h.numTileContents).toBe(src.numTileContents);
    const got = await allTiles(join(tilesDir, 'whole.pmtiles'));
    expect(got.size).toBe(src.numAddressedTiles);

    const list = await howl(['tiles', 'list']);
    expect(list.stdout).toMatch(
      /^valley\tvector\t[\d.]+ (kB|MB)\tzoom 0–13\t8\.5000,47\.3500,8\.6000,47\.4500$/m,
    );
    expect(list.stdout).toMatch(/^valley-dem\tterrain\t/m);
    expect(list.stdout).toMatch(/^whole\tvector\t/m);
    const del = await howl(['tiles', 'delete', 'whole']);
    expect(del.code).toBe(0);
    expect(existsSync(join(tilesDir, 'whole.pmtiles'))).toBe(false);
    const again = await howl(['tiles', 'delete', 'whole']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('tile area "whole" not found');
  });

  it('walks leaf directories: a zoom 0–15 archive of distinct tiles, cut to a smaller box', async () => {
    const many = join(dir, 'many.pmtiles');
    writeFileSync(many, manyTilesArchive(VECTOR_BOUNDS, 0, 15));
    const src = await new PMTiles(new LocalFileSource(many)).getHeader();
    expect(src.leafDirectoryLength).toBeGreaterThan(0);
    const run = await howl(['tiles', 'extract', '--bbox', '8,47,9.4,48', '--from', many, '-o', 'many']);
    expect(run.code).toBe(0);
    console.log(
      `distinct-tile extract from a local file: ${/\d+ tiles in .*tiles\/s\)/.exec(run.stdout)?.[0]}`,
    );
    const file = join(tilesDir, 'many.pmtiles');
    const h = await new PMTiles(new LocalFileSource(file)).getHeader();
    expect(h.leafDirectoryLength).toBeGreaterThan(0);
    expect([h.minZoom, h.maxZoom]).toEqual([0, 15]);
    const got = await allTiles(file);
    const wanted = [...tilesOver({ west: 8, south: 47, east: 9.4, north: 48 }, 0, 15)];
    expect(got.size).toBe(wanted.length);
    expect(h.numAddressedTiles).toBe(wanted.length);
    for (const { z, x, y } of wanted) {
      const text = new TextDecoder().decode(got.get(`${z}/${x}/${y}`)).replace(/\0+$/, '');
      expect(text).toBe(`${z}/${x}/${y}`);
    }
  });
});

describe('howl tiles extract across the antimeridian', () => {
  it('cuts both parts of a box whose west is east of its east, and nothing between', async () => {
    const world = join(dir, 'world.pmtiles');
    const WORLD = { west: -180, south: -60, east: 180, north: 60 };
    writeFileSync(world, manyTilesArchive(WORLD, 0, 6, 40));
    const run = await howl([
      'tiles',
      'extract',
      '--bbox',
      '170,-20,-170,20',
      '--from',
      world,
      '-o',
      'pacific',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const file = join(tilesDir, 'pacific.pmtiles');
    const h = await new PMTiles(new LocalFileSource(file)).getHeader();
    expect([h.minLon, h.maxLon, h.minLat, h.maxLat]).toEqual([-180, 180, -20, 20]);
    expect(Math.abs(h.centerLon)).toBe(180);
    const parts = [
      { west: 170, south: -20, east: 180, north: 20 },
      { west: -180, south: -20, east: -170, north: 20 },
    ];
    const wanted = new Set(parts.flatMap((b) => [...tilesOver(b, 0, 6)].map((t) => `${t.z}/${t.x}/${t.y}`)));
    const got = await allTiles(file);
    expect([...got.keys()].sort()).toEqual([...wanted].sort());
    for (const [key, data] of got) expect(new TextDecoder().decode(data).replace(/\0+$/, '')).toBe(key);
    // Nothing from the middle of the world: at zoom 6, the tile at 0°, 0° is not there.
    expect(got.has(`6/${lonToTileX(0, 6)}/${latToTileY(0, 6)}`)).toBe(false);
    expect(h.numAddressedTiles).toBe(wanted.size);
  });
});

describe('howl tiles extract refuses bad input and leaves nothing behind', () => {
  const refused = async (args: string[], message: RegExp | string) => {
    const before = existsSync(tilesDir) ? readdirSync(tilesDir).sort() : [];
    const run = await howl(['tiles', 'extract', ...args]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(existsSync(tilesDir) ? readdirSync(tilesDir).sort() : []).toEqual(before);
  };

  it('a bbox out of range, inverted, or not four numbers', async () => {
    await refused(['--bbox', '-200,47,8,48', '--from', vectorUrl, '-o', 'bad'], /--bbox: .*-180/);
    await refused(['--bbox', '8,47,9,89', '--from', vectorUrl, '-o', 'bad'], /--bbox: .*85\.05/);
    await refused(
      ['--bbox', '8,47,8,48', '--from', vectorUrl, '-o', 'bad'],
      '--bbox: west and east must differ',
    );
    await refused(
      ['--bbox', '8,48,9,47', '--from', vectorUrl, '-o', 'bad'],
      '--bbox: south must be less than north',
    );
    await refused(['--bbox', '8,47,9', '--from', vectorUrl, '-o', 'bad'], '--bbox: four numbers W,S,E,N');
    await refused(
      ['--bbox', '20,10,21,11', '--from', vectorUrl, '-o', 'bad'],
      "bbox: the box lies outside the archive's bounds",
    );
  });

  it('a bad zoom, name or size', async () => {
    await refused(['--bbox', BOX_TEXT, '--from', vectorUrl, '--maxzoom', '30'], /--maxzoom: .*22/);
    await refused(['--bbox', BOX_TEXT, '--from', vectorUrl, '-o', 'bad name!'], /-o: letters, digits/);
    await refused(
      ['--bbox', BOX_TEXT, '--from', vectorUrl, '--max-size', 'lots'],
      /--max-size: a number of bytes/,
    );
    await refused(['--bbox', BOX_TEXT, '--from', vectorUrl, '-o', 'valley'], /valley\.pmtiles exists/);
  });

  it('a source that is not a PMTiles archive, or not there', async () => {
    await refused(
      ['--bbox', BOX_TEXT, '--from', `${server.url}/notes.pmtiles`, '-o', 'notes'],
      /is not a PMTiles archive/,
    );
    await refused(
      ['--bbox', BOX_TEXT, '--from', `${server.url}/missing.pmtiles`, '-o', 'gone'],
      /answered 404/,
    );
    await refused(
      ['--bbox', BOX_TEXT, '--from', join(dir, 'nowhere.pmtiles'), '-o', 'gone'],
      /from: cannot open/,
    );
  });

  it('a source that disappears in the middle of the extract: the partial file is removed', async () => {
    const h = await new PMTiles(new LocalFileSource(vectorFile)).getHeader();
    const url = server.put('/vanishing.pmtiles', vectorBytes);
    server.vanishFrom('/vanishing.pmtiles', h.tileDataOffset);
    const before = server.requests.length;
    await refused(
      ['--bbox', BOX_TEXT, '--from', url, '-o', 'vanishing'],
      /answered 404; the partial file was removed/,
    );
    // The plan was read (header and directories) and the size announced before the source went away.
    expect(server.requests.length - before).toBeGreaterThan(1);
    expect(existsSync(join(tilesDir, 'vanishing.pmtiles.part'))).toBe(false);
  });

  it('an extract larger than --max-size', async () => {
    const run = await howl([
      'tiles',
      'extract',
      '--bbox',
      BOX_TEXT,
      '--from',
      vectorUrl,
      '-o',
      'big',
      '--max-size',
      '2K',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/about [\d.]+ (kB|MB)/);
    expect(run.stderr).toMatch(/--max-size: the extract needs [\d.]+ (kB|MB), above the limit of 2 kB/);
    expect(existsSync(join(tilesDir, 'big.pmtiles'))).toBe(false);
    expect(readFileSync(join(tilesDir, 'valley.pmtiles')).length).toBeGreaterThan(0);
  });
});
