import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/cli/web-build.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { loadConfig } from '../../src/server/config.ts';
import { type RunningHowl, startHowl } from '../../src/server/start.ts';
import { chromiumPath, launchChromium } from '../support/chromium.ts';

const executable = chromiumPath();
const SHOTS = join(process.cwd(), 'test-results');
const BASE = { lat: 51.0543, lon: -1.3188 };

/** A link printed for the LAN, pointed at this test's loopback server instead. */
const local = (url: string, origin: string) => `${origin}${new URL(url).pathname}${new URL(url).hash}`;

describe.skipIf(!executable)('the console and field page in Chromium', () => {
  let dir: string;
  let howl: RunningHowl;
  let browser: Browser;
  let leader: Page;
  let httpsOrigin: string;

  beforeAll(async () => {
    await ensureWebBuilt(() => undefined);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'howl-e2e-'));
    howl = await startHowl(
      loadConfig({
        PORT: '0',
        HOWL_HTTPS_PORT: '0',
        HOWL_OSMAND_PORT: '0',
        HOWL_DATA_DIR: dir,
        HOST: '127.0.0.1',
      }),
      { logger: false },
    );
    httpsOrigin = `https://127.0.0.1:${howl.ports.https}`;
    browser = await launchChromium(executable ?? '');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await howl?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs the leader in with a login link, sets a password, and shows an OsmAnd position live', async () => {
    const link = howl.firstLogin;
    expect(link).not.toBeNull();
    leader = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await leader.goto(local(link?.url ?? '', howl.localUrl));
    await leader.locator('input[name="password"]').fill('correct horse battery');
    await leader.locator('form button[type="submit"]').click();
    await leader.locator('[data-testid="map"]').waitFor();
    await expect.poll(() => leader.locator('[data-testid="live-status"]').textContent()).toMatch(/live/i);

    const team = await howl.services.teams.resolveExisting(undefined);
    const stiles: AddedMember = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Stiles',
      callsign: 'STILES',
      device: 'stiles-phone',
    });
    await leader.locator('[data-testid="member-row"][data-callsign="STILES"]').waitFor();

    const t = Math.floor(Date.now() / 1000);
    const res = await fetch(
      `http://127.0.0.1:${howl.ports.osmand}/?id=${stiles.device}&lat=${BASE.lat}&lon=${BASE.lon}&timestamp=${t}&accuracy=12&batt=76`,
    );
    expect(res.status).toBe(200);
    // No reload: the marker and the list update over the live feed.
    await leader
      .locator('[data-testid="member-marker"][data-callsign="STILES"]')
      .waitFor({ timeout: 10_000 });
    await expect
      .poll(() => leader.locator('[data-testid="member-row"][data-callsign="STILES"]').textContent())
      .toMatch(/76/);
    await leader.screenshot({ path: join(SHOTS, 'console.png') });
  });

  it('takes a position from the field page over HTTPS to the leader map', async () => {
    const team = await howl.services.teams.resolveExisting(undefined);
    const scott = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Scott',
      callsign: 'SCOTT',
    });
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: BASE.lat + 0.002, longitude: BASE.lon + 0.001, accuracy: 8 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const phone = await ctx.newPage();
    await phone.goto(`${httpsOrigin}/field#token=${encodeURIComponent(scott.token)}`);
    await expect
      .poll(async () => Number(await phone.locator('[data-testid="sent-count"]').textContent()), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await phone.screenshot({ path: join(SHOTS, 'field.png') });

    await leader.locator('[data-testid="member-marker"][data-callsign="SCOTT"]').waitFor({ timeout: 10_000 });
    const latest = await howl.services.positions.latest({ kind: 'admin' }, team.id);
    const f = latest.features.find((x) => x.properties.callsign === 'SCOTT');
    expect(f?.geometry.coordinates[1]).toBeCloseTo(BASE.lat + 0.002, 5);
    expect(f?.properties.accuracy).toBe(8);
    await leader.screenshot({ path: join(SHOTS, 'console-two-members.png') });
    await ctx.close();
  });
});
