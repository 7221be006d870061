import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { namedFlavor } from '@protomaps/basemaps';
import { decode } from 'fast-png';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bbox, bboxAround, latToTileY, lonToTileX, tileCount } from '../../src/domain/tile-area.ts';
import { TRAIL_COLOURS } from '../../web/src/console/topo-colours.ts';
import { chromiumPath } from '../support/chromium.ts';
import { consoleAs, type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';
import { RangeServer } from '../support/range-server.ts';
import { elevationAt, TOWN, terrainArchive, vectorArchive } from '../support/tile-archives.ts';

const executable = chromiumPath();
const AREA = { west: 8.35, south: 47.25, east: 8.75, north: 47.55 };

type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Warm (brown to tan) pixels outside `skip`: the contour lines and their labels, the only warm colour of the
 * dark basemap, which is grey (the base's orange marker is skipped).
 */
function countWarm(png: Buffer, skip: Box): number {
  const img = decode(png);
  let n = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      if (x >= skip.x && x < skip.x + skip.w && y >= skip.y && y < skip.y + skip.h) continue;
      const i = (y * img.width + x) * img.channels;
      const [r, g, b] = [img.data[i] as number, img.data[i + 1] as number, img.data[i + 2] as number];
      if (r - b > 18 && r >= g && r > 60) n++;
    }
  return n;
}

/** Pixels of a screenshot within `tolerance` of a colour, in a box (the whole image by default). */
function countNear(png: Buffer, colour: Rgb, tolerance: number, box?: Box): number {
  const img = decode(png);
  const ch = img.channels;
  const x0 = box?.x ?? 0;
  const y0 = box?.y ?? 0;
  const x1 = Math.min(img.width, x0 + (box?.w ?? img.width));
  const y1 = Math.min(img.height, y0 + (box?.h ?? img.height));
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * ch;
      const d = Math.hypot(
        (img.data[i] as number) - colour[0],
        (img.data[i + 1] as number) - colour[1],
        (img.data[i + 2] as number) - colour[2],
      );
      if (d <= tolerance) n++;
    }
  return n;
}

describe.skipIf(!executable)('the offline topographic map in Chromium', () => {
  let e2e: E2E;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'offline-map');
    const tiles = join(e2e.dataDir, 'tiles');
    mkdirSync(tiles, { recursive: true });
    writeFileSync(join(tiles, 'valley.pmtiles'), vectorArchive(AREA, 0, 14));
    writeFileSync(join(tiles, 'valley-dem.pmtiles'), terrainArchive(AREA, 0, 12));
    // The team's base at the town: the console opens there at zoom 14.
    const team = await e2e.howl.services.teams.resolveExisting(undefined);
    await e2e.howl.services.teams.update({ kind: 'admin' }, team.id, {
      base: { lat: TOWN.lat, lon: TOWN.lon },
    });
  }, 240_000);

  afterAll(async () => {
    await page?.context().close();
    await e2e?.close();
  });

  it('draws the basemap with place and trail names, contours with elevations, and the pointer in MGRS', async () => {
    page = await leaderConsole(e2e);
    const map = page.locator('[data-testid="map"]');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(e2e.howl.localUrl) && !/^(data|blob):/.test(r.url())) external.push(r.url());
    });
    const dark = namedFlavor('dark');
    const size = await map.boundingBox();
    const w = Math.round(size?.width ?? 0);
    const h = Math.round(size?.height ?? 0);
    // The town's name is drawn at the base, the middle of the map.
    const middle = { x: Math.round(w / 2) - 150, y: Math.round(h / 2) - 60, w: 300, h: 120 };
    let shot: Buffer = Buffer.alloc(0);
    let counts = { label: 0, contour: 0 };
    for (let i = 0; i < 40; i++) {
      await page.waitForTimeout(500);
      shot = await map.screenshot();
      counts = {
        label: countNear(shot, rgb(dark.city_label), 24, middle),
        contour: countWarm(shot, middle),
      };
      if (counts.label > 40 && counts.contour > 400) break;
    }
    writeFileSync(join(SHOTS, 'offline-map-dark.png'), shot);
    expect(counts.label, 'pixels of the town label').toBeGreaterThan(40);
    expect(counts.contour, 'pixels of contour lines and their labels').toBeGreaterThan(400);

    // The pointer's position, in degrees and MGRS.
    await map.hover({ position: { x: w / 2, y: h / 2 } });
    const readout = page.locator('[data-testid="pointer-readout"]');
    // And its elevation, decoded from the terrain tile under it.
    const readoutPattern = /^(47\.\d{5})° N {2}(8\.\d{5})° E {2}· {2}32T MT \d{5} \d{5} {2}· {2}([\d,]+) m$/;
    await expect.poll(() => readout.textContent()).toMatch(readoutPattern);
    const [, lat, lon, metres] = readoutPattern.exec((await readout.textContent()) ?? '') ?? [];
    expect(Math.abs(Number(metres?.replace(',', '')) - elevationAt(Number(lon), Number(lat)))).toBeLessThan(
      10,
    );

    // Zoomed out one step: the trail west of the town comes into view, dashed and named along its line.
    await page.getByRole('button', { name: 'Zoom out' }).click();
    let trail = 0;
    for (let i = 0; i < 20 && trail <= 150; i++) {
      await page.waitForTimeout(500);
      trail = countNear(await map.screenshot(), rgb(TRAIL_COLOURS.dark), 40);
    }
    const z13 = await map.screenshot({ path: join(SHOTS, 'offline-map-dark-z13.png') });
    expect(trail, 'pixels of the trail and its name').toBeGreaterThan(150);
    expect(countWarm(z13, middle)).toBeGreaterThan(400);
    await page.screenshot({ path: join(SHOTS, 'offline-map-dark-page.png') });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it("keeps the base area's tiles on the phone, says how many, and serves them with no network", async () => {
    const team = await e2e.howl.services.teams.resolveExisting(undefined);
    const scout = await e2e.howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Scout',
      callsign: 'SCOUT',
      device: 'scout-phone',
    });
    const field = await e2e.browser.newPage({ viewport: { width: 400, height: 800 } });
    try {
      await field.goto(`${e2e.howl.localUrl}/field#token=${encodeURIComponent(scout.token)}`);
      await expect
        .poll(() => field.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), {
          timeout: 15_000,
        })
        .toBe(`${e2e.howl.localUrl}/field-sw.js`);
      const card = field.locator('[data-testid="offline-map"]');
      await expect
        .poll(() => card.locator('[data-testid="offline-map-status"]').textContent())
        .toMatch(/^0 map tiles/);
      await card.getByRole('button', { name: "Keep the base area's map" }).click();
      // The base ± 0.05°, inside both prepared areas: vector tiles to zoom 14, terrain to zoom 12.
      const box = bboxAround([TOWN], 0.05) as Bbox;
      const expected = tileCount(box, 0, 14) + tileCount(box, 0, 12);
      await expect
        .poll(() => card.locator('[data-testid="offline-map-status"]').textContent(), { timeout: 120_000 })
        .toMatch(
          new RegExp(
            `^${expected.toLocaleString('en-US')} map tiles kept on this phone \\([\\d.]+ MB used by Howl\\)\\.$`,
          ),
        );
      await field.screenshot({ path: join(SHOTS, 'offline-map-field-card.png'), fullPage: true });

      // No network: the kept tiles still come, from the service worker.
      await field.context().setOffline(true);
      const z = 14;
      const path = `/tiles/%40vector/${z}/${lonToTileX(TOWN.lon, z)}/${latToTileY(TOWN.lat, z)}.mvt`;
      const got = await field.evaluate(async (p) => {
        const res = await fetch(p);
        return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
      }, path);
      expect(got.status).toBe(200);
      expect(got.bytes).toBeGreaterThan(0);

      // Opened again with no network: the page, the map and its tiles all come from the phone.
      await field.reload();
      const fieldMap = field.locator('[data-testid="field-map"]');
      await fieldMap.scrollIntoViewIfNeeded();
      let warm = 0;
      for (let i = 0; i < 30 && warm <= 200; i++) {
        await field.waitForTimeout(500);
        warm = countWarm(await fieldMap.screenshot(), { x: 0, y: 0, w: 0, h: 0 });
      }
      await fieldMap.screenshot({ path: join(SHOTS, 'offline-map-field-offline.png') });
      expect(warm, 'contour pixels on the field map with no network').toBeGreaterThan(200);
    } finally {
      await field.context().close();
    }
  });

  it('lists the areas in the settings, cuts a box drawn on the map from a URL with its size and progress, and deletes it', async () => {
    const source = await new RangeServer().start();
    try {
      const url = source.put('/dem.pmtiles', terrainArchive(AREA, 0, 11));
      const leader = await consoleAs(e2e);
      await leader.getByRole('button', { name: 'Settings', exact: true }).click();
      await leader.locator('[data-testid="open-map-areas"]').click();
      const list = leader.locator('[data-testid="map-areas"]');
      await expect
        .poll(() => list.locator('[data-testid="map-area"]').allTextContents())
        .toEqual([
          expect.stringMatching(/^valley map[\d.]+ (MB|kB) · zoom 0–14 · [\d,]+ tiles/),
          expect.stringMatching(/^valley-dem terrain[\d.]+ (MB|kB) · zoom 0–12 · [\d,]+ tiles/),
        ]);
      await leader.locator('input[name="tiles-from"]').fill(url);
      await leader.locator('input[name="tiles-name"]').fill('drawn');
      await leader.locator('input[name="tiles-maxzoom"]').fill('11');

      // Drawn on the map: the dialog gives way, a box is dragged, and the dialog comes back with it.
      await leader.locator('[data-testid="draw-map-area"]').click();
      await expect
        .poll(() => leader.locator('[data-testid="map-hint"]').textContent())
        .toMatch(/^Drag a box/);
      const map = leader.locator('[data-testid="map"]');
      const frame = (await map.boundingBox()) as { x: number; y: number; width: number; height: number };
      const from = { x: frame.x + frame.width / 2 - 120, y: frame.y + frame.height / 2 + 80 };
      const to = { x: frame.x + frame.width / 2 + 100, y: frame.y + frame.height / 2 - 90 };
      const at = async (p: { x: number; y: number }) => {
        await leader.mouse.move(p.x, p.y);
        const readout = leader.locator('[data-testid="pointer-readout"]');
        await expect.poll(() => readout.textContent()).toMatch(/^47\.\d{5}° N {2}8\.\d{5}° E/);
        const [lat, lon] = ((await readout.textContent()) ?? '').match(/\d+\.\d{5}/g)?.map(Number) ?? [];
        return { lat: lat as number, lon: lon as number };
      };
      const sw = await at(from);
      const ne = await at(to);
      await leader.mouse.move(from.x, from.y);
      await leader.mouse.down();
      await leader.mouse.move(to.x, to.y, { steps: 10 });
      await leader.mouse.up();
      const bboxInput = leader.locator('input[name="tiles-bbox"]');
      await bboxInput.waitFor();
      const drawnBox = (await bboxInput.inputValue()).split(',').map(Number);
      const expected = [sw.lon, sw.lat, ne.lon, ne.lat];
      expect(drawnBox).toEqual(expected.map((v) => expect.closeTo(v, 3)));
      // The same box by two clicks, one at each corner.
      await leader.locator('[data-testid="draw-map-area"]').click();
      await leader.locator('[data-testid="map-hint"]').waitFor();
      await bboxInput.waitFor({ state: 'detached' });
      await leader.mouse.click(to.x, to.y);
      await leader.mouse.click(from.x, from.y);
      await bboxInput.waitFor();
      const clicked = (await bboxInput.inputValue()).split(',').map(Number);
      expect(clicked).toEqual(expected.map((v) => expect.closeTo(v, 3)));
      // The form kept what was typed, and the size is read from the source's directories.
      expect(await leader.locator('input[name="tiles-from"]').inputValue()).toBe(url);
      expect(await leader.locator('input[name="tiles-name"]').inputValue()).toBe('drawn');
      const [west, south, east, north] = drawnBox as [number, number, number, number];
      const count = tileCount({ west, south, east, north }, 0, 11);
      await expect
        .poll(() => leader.locator('[data-testid="tiles-estimate"]').textContent())
        .toMatch(new RegExp(`^${count.toLocaleString('en-US')} tiles, zoom 0–11: [\\d.]+ (kB|MB)\\.$`));
      await leader.screenshot({ path: join(SHOTS, 'offline-map-areas-drawn.png') });
      await leader.getByRole('button', { name: 'Cut the area' }).click();
      const drawn = list.locator('[data-testid="map-area"]', { hasText: 'drawn' });
      await drawn.waitFor({ timeout: 30_000 });
      expect(await drawn.textContent()).toMatch(/zoom 0–11/);
      await leader.screenshot({ path: join(SHOTS, 'offline-map-areas-dialog.png') });
      await drawn.getByRole('button', { name: 'Delete' }).click();
      await leader.locator('[data-testid="confirm-dialog"]').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => list.locator('[data-testid="map-area"]').count()).toBe(2);
      await leader.context().close();
    } finally {
      await source.stop();
    }
  });

  it("shows each member's elevation from the terrain area in the member list", async () => {
    const team = await e2e.howl.services.teams.resolveExisting(undefined);
    const ridge = await e2e.howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Ridge',
      callsign: 'RIDGE',
    });
    // On the hill's eastern slope, about 1180 m up.
    const at = { lat: 47.43, lon: 8.58 };
    const res = await fetch(`${e2e.howl.localUrl}/api/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...at, time: new Date().toISOString(), accuracy: 5 }),
    });
    expect(res.status, await res.text()).toBe(200);
    const leader = await consoleAs(e2e);
    try {
      const elevation = leader.locator(
        '[data-testid="member-row"][data-callsign="RIDGE"] [data-testid="elevation"]',
      );
      await expect.poll(() => elevation.textContent(), { timeout: 30_000 }).toMatch(/^[\d,]+ m$/);
      const shown = Number((await elevation.textContent())?.replace(/[, m]/g, ''));
      expect(Math.abs(shown - elevationAt(at.lon, at.lat)), `${shown} m shown`).toBeLessThan(10);
      expect(shown).toBeGreaterThan(1100);
      await leader.screenshot({ path: join(SHOTS, 'offline-map-member-elevation.png') });
    } finally {
      await leader.context().close();
    }
  });
});
