import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { chromiumPath } from '../support/chromium.ts';
import { consoleAs, type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };

describe.skipIf(!executable)('the console and field page in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let browser: Browser;
  let httpsOrigin: string;
  /** Each test's own pages, closed after it whatever happened. */
  const pages: Page[] = [];
  const own = (page: Page) => {
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'console');
    ({ howl, browser } = e2e);
    httpsOrigin = `https://127.0.0.1:${howl.ports.https}`;
  }, 180_000);

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.context().close();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('logs the leader in with a login link, sets a password, and shows an OsmAnd position live', async () => {
    const link = howl.firstLogin;
    expect(link).not.toBeNull();
    const leader = own(await leaderConsole(e2e));
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
    const leader = own(await consoleAs(e2e));
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
    const phone = own(await ctx.newPage());
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
  });
  it('sets the team up: a name and the base typed as MGRS, a name kept while the base is picked on the map', async () => {
    const leader = own(await consoleAs(e2e));
    // A grid-only map says how to get a real one, until dismissed.
    const note = leader.locator('[data-testid="no-tiles-note"]');
    await note.waitFor();
    expect(await note.textContent()).toContain('HOWL_TILES');

    await leader.locator('button', { hasText: 'Settings' }).click();
    const dialog = leader.locator('dialog[open]');
    await dialog.locator('input[name="name"]').fill('Hampshire SAR');
    await dialog.locator('input[name="base"]').fill('30U XB 1845 5674');
    await expect
      .poll(() => dialog.locator('[data-testid="base-preview"]').textContent())
      .toMatch(/= 51\.\d{5}, -1\.\d{5} \(MGRS\)/);
    await dialog.locator('input[name="base"]').fill('30U XI 1845 5674');
    expect(await dialog.locator('[data-testid="base-preview"]').textContent()).toContain('row letter');
    await dialog.locator('input[name="base"]').fill('30UXB1845556743');
    await leader.screenshot({ path: join(SHOTS, 'console-settings-base.png') });
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    const team = await howl.services.teams.resolveExisting(undefined);
    const saved = await howl.services.teams.get({ kind: 'admin' }, team.id);
    expect(saved.name).toBe('Hampshire SAR');
    expect(saved.base?.lat).toBeCloseTo(51.05, 4);
    expect(saved.base?.lon).toBeCloseTo(-1.31, 4);

    // A name typed, then "Set base on the map": the name is saved before the map takes the click.
    await leader.locator('button', { hasText: 'Settings' }).click();
    await dialog.locator('input[name="name"]').fill('Hampshire Search');
    await dialog.locator('button', { hasText: 'Set base on the map' }).click();
    await leader.locator('[data-testid="map-hint"]').waitFor();
    await leader.screenshot({ path: join(SHOTS, 'console-pick-base.png') });
    await leader.locator('[data-testid="map"]').click({ position: { x: 200, y: 200 } });
    await expect
      .poll(async () => (await howl.services.teams.get({ kind: 'admin' }, team.id)).base?.lat)
      .not.toBeCloseTo(saved.base?.lat ?? 0, 6);
    expect((await howl.services.teams.get({ kind: 'admin' }, team.id)).name).toBe('Hampshire Search');
    await note.locator('button', { hasText: 'Got it' }).click();
    await note.waitFor({ state: 'detached' });
  });
  it('adds a webhook from the settings, shows its secret once and lists it', async () => {
    const leader = own(await consoleAs(e2e));
    await leader.locator('button', { hasText: 'Settings' }).click();
    await leader.locator('[data-testid="open-webhooks"]').click();
    const dialog = leader.locator('dialog[open]');
    await dialog.locator('input[name="webhook-url"]').fill('http://192.168.1.40:8099/');
    await dialog.locator('input[name="event-rollcall"]').check();
    await dialog.locator('button[type="submit"]').click();
    const hook = dialog.locator('[data-testid="webhook"]');
    await hook.waitFor();
    expect(await hook.textContent()).toContain('http://192.168.1.40:8099/');
    expect(await hook.textContent()).toContain('Real alerts, Callouts, Roll calls');
    expect(await dialog.textContent()).toMatch(/Signing secret \(shown once\)/);
    await leader.screenshot({ path: join(SHOTS, 'console-webhooks.png') });
  });
});
