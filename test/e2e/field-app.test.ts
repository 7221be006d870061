import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { alertPush } from '../../src/domain/push.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, SHOTS, startE2E } from '../support/e2e.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };
const SHELL_CACHE = 'howl-field-shell-v1';

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!executable)('the installable field app in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let browser: Browser;
  let alpha: AddedMember;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'field-app');
    ({ howl, browser } = e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    alpha = await howl.services.members.add({ kind: 'admin' }, team, { name: 'Alpha', callsign: 'ALPHA' });
    await howl.services.members.add({ kind: 'admin' }, team, { name: 'Bravo', callsign: 'BRAVO' });
    // Loopback over plain HTTP is a secure context: service workers and the manifest work as on HTTPS.
    ctx = await browser.newContext({
      permissions: ['geolocation'],
      geolocation: { latitude: BASE.lat, longitude: BASE.lon, accuracy: 8 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page = await ctx.newPage();
    await page.goto(`${howl.localUrl}/field#token=${encodeURIComponent(alpha.token)}`);
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await e2e?.close();
  });

  it('has a manifest Chromium finds installable, with the icons phones ask for', async () => {
    const cdp = await ctx.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: unknown[];
      data?: string;
    };
    expect(new URL(manifest.url).pathname).toBe('/field.webmanifest');
    expect(manifest.errors).toEqual([]);
    const data = JSON.parse(manifest.data ?? '{}') as {
      display: string;
      start_url: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(data.display).toBe('standalone');
    expect(data.start_url).toBe('/field');
    for (const icon of data.icons) {
      const res = await fetch(`${howl.localUrl}${icon.src}`);
      expect(res.headers.get('content-type')).toBe('image/png');
      const { width, height } = pngSize(Buffer.from(await res.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
    expect(data.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    const res = await fetch(`${howl.localUrl}/field.webmanifest`);
    expect(res.headers.get('content-type')).toContain('application/manifest+json');
    const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    expect(pngSize(Buffer.from(await (await fetch(`${howl.localUrl}${apple}`)).arrayBuffer()))).toEqual({
      width: 180,
      height: 180,
    });

    // Chromium's own verdict: nothing about the app stands in the way of installing it (a test's browser
    // context is an incognito one, which Chromium never installs from: that one is about the browser).
    await expect
      .poll(
        async () =>
          (
            (await cdp.send('Page.getInstallabilityErrors')) as {
              installabilityErrors: { errorId: string }[];
            }
          ).installabilityErrors
            .map((e) => e.errorId)
            .filter((id) => id !== 'in-incognito'),
        { timeout: 15_000 },
      )
      .toEqual([]);
  });

  it('registers a service worker that takes the page and keeps the app shell', async () => {
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/field');
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), {
        timeout: 10_000,
      })
      .toBe(`${howl.localUrl}/field-sw.js`);
    const kept = await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    }, SHELL_CACHE);
    expect(kept).toContain('/field');
    expect(kept).toContain('/field.webmanifest');
    expect(kept.some((p) => /^\/assets\/.+\.js$/.test(p))).toBe(true);
    expect(kept.some((p) => /^\/assets\/.+\.css$/.test(p))).toBe(true);
  });

  it('opens with no network, showing the team as last seen and how old that is', async () => {
    // The team as last seen is kept by the page (every 2 s while live).
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('howl.fieldState') !== null), { timeout: 10_000 })
      .toBe(true);
    await ctx.setOffline(true);
    await page.reload();
    await page.locator('.who strong', { hasText: 'ALPHA' }).waitFor({ timeout: 10_000 });
    const notice = page.locator('[data-testid="offline-notice"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toMatch(/Last heard \d+ s ago/);
    expect(await page.locator('.field-head .live-status').textContent()).toBe('offline');
    expect(await page.locator('body').textContent()).toContain('BRAVO');
    await page.screenshot({ path: join(SHOTS, 'field-offline.png') });

    // Closed and opened again while still offline: the app opens from the cache.
    await page.close();
    page = await ctx.newPage();
    await page.goto(`${howl.localUrl}/field`);
    await page.locator('.who strong', { hasText: 'ALPHA' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="offline-notice"]').waitFor({ timeout: 15_000 });

    // Back online: live again, and the notice goes.
    await ctx.setOffline(false);
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="offline-notice"]').waitFor({ state: 'detached', timeout: 5000 });
  });
  it('says it is offline within 30 s when the link goes silent without closing, and since when', async () => {
    // The phone's link through a proxy that stops carrying bytes, closing nothing: only the heartbeat tells.
    const port = Number(new URL(howl.localUrl).port);
    const proxy = await startTcpProxy('127.0.0.1', port);
    const silent = await ctx.newPage();
    try {
      await silent.goto(`http://127.0.0.1:${proxy.port}/field#token=${encodeURIComponent(alpha.token)}`);
      await silent.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
      const frozenAt = Date.now();
      proxy.freeze();
      await silent.locator('.field-head .live-status.live-offline').waitFor({ timeout: 40_000 });
      const noticedS = (Date.now() - frozenAt) / 1000;
      console.log(`[field e2e] a silent link was marked offline after ${noticedS.toFixed(1)} s`);
      expect(noticedS).toBeLessThan(30);
      const notice = silent.locator('[data-testid="offline-notice"]');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/Last heard \d+ s ago/);
      proxy.restore();
      await silent.locator('.field-head .live-status.live-live').waitFor({ timeout: 20_000 });
    } finally {
      await silent.close();
      await proxy.close();
    }
  }, 90_000);
  it('shows a pushed real alert as a notification with its actions, and an exercise one quietly', async () => {
    await ctx.grantPermissions(['geolocation', 'notifications'], { origin: howl.localUrl });
    const cdp = await ctx.newCDPSession(page);
    const registration = new Promise<string>((resolve) =>
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
          // This origin's (the silent-link test registered another through its proxy).
          const r = e.registrations.find((x) => !x.isDeleted && x.scopeURL === `${howl.localUrl}/field`);
          if (r) resolve(r.registrationId);
        },
      ),
    );
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const alert = {
      id: 'a-1',
      type: 'sos' as const,
      sender: 'BRAVO',
      subject: null,
      count: null,
      text: 'fell at the quarry',
    };
    const shown = async () =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return (await reg.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          requireInteraction: n.requireInteraction,
          silent: n.silent,
          actions: (n as unknown as { actions: { action: string; title: string }[] }).actions.map(
            (a) => a.action,
          ),
        }));
      });
    // One push at a time, each until its notification is up: DevTools may drop a push that reaches a worker
    // still starting, so an unanswered one is delivered again (its tag makes a second copy replace the first).
    for (const message of [
      alertPush({ ...alert, mode: 'real' }, false),
      alertPush({ ...alert, id: 'a-2', mode: 'exercise' }, false),
    ]) {
      for (let attempt = 0; ; attempt++) {
        await cdp.send('ServiceWorker.deliverPushMessage', {
          origin: howl.localUrl,
          registrationId,
          data: JSON.stringify(message),
        });
        const deadline = Date.now() + 3000;
        while (Date.now() < deadline && !(await shown()).some((n) => n.tag === message.tag))
          await page.waitForTimeout(100);
        if ((await shown()).some((n) => n.tag === message.tag)) break;
        if (attempt === 2) throw new Error(`the push ${message.tag} was never shown`);
      }
    }
    expect((await shown()).length).toBe(2);
    const [real, exercise] = [...(await shown())].sort((a, b) => a.tag.localeCompare(b.tag));
    expect(real).toEqual({
      title: 'REAL — NOT A DRILL',
      body: 'SOS from BRAVO: fell at the quarry',
      tag: 'alert-a-1',
      requireInteraction: true,
      silent: false,
      actions: ['ack'],
    });
    expect(exercise).toMatchObject({
      title: 'EXERCISE EXERCISE EXERCISE',
      silent: true,
      requireInteraction: false,
    });
    // The page says whether alerts reach it with the app closed (headless Chromium has no push service).
    expect(await page.locator('[data-testid="push-card"]').textContent()).toContain(
      'Alerts with the app closed',
    );
  });
  it('keeps an SOS pressed without signal, across closing the app, and sends it once when the signal returns', async () => {
    const team = await howl.services.teams.resolveExisting(undefined);
    await howl.services.teams.update({ kind: 'admin' }, team.id, { sosCountdownS: 0 });
    const soses = async () =>
      (await howl.services.alerts.list({ kind: 'admin' }, team.id)).filter(
        (a) => a.type === 'sos' && a.senderId === alpha.memberId,
      );
    const before = (await soses()).length;
    await page.reload();
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
    await ctx.setOffline(true);
    await page.waitForTimeout(300);
    await page.locator('[data-testid="sos-button"]').click();
    const queued = page.locator('[data-testid="sos-queued"]');
    await queued.waitFor({ timeout: 5000 });
    expect(await queued.textContent()).toContain('SOS NOT SENT YET — retrying');
    expect(await page.locator('[data-testid="outbox-pending"]').textContent()).toContain(
      '1 waiting to be sent',
    );
    // A message written without signal waits behind the SOS.
    await page.locator('[data-testid="message-input"]').fill('no signal in the quarry');
    await page.locator('[data-testid="message-send"]').click();
    await expect
      .poll(() => page.locator('[data-testid="outbox-pending"]').textContent())
      .toContain('2 waiting to be sent');
    await page.screenshot({ path: join(SHOTS, 'field-sos-queued.png') });
    // The app is closed and opened again, still without signal: the SOS is still waiting.
    await page.close();
    page = await ctx.newPage();
    await page.goto(`${howl.localUrl}/field`);
    await page.locator('[data-testid="sos-queued"]').waitFor({ timeout: 10_000 });
    // (Had the first try reached the server with its answer lost, the server holds it once already.)
    expect((await soses()).length).toBeLessThanOrEqual(before + 1);
    await ctx.setOffline(false);
    await page.locator('[data-testid="sos-out"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="outbox-pending"]').waitFor({ state: 'detached', timeout: 5000 });
    expect((await soses()).length).toBe(before + 1);
    const { messages } = await howl.services.messages.list({ kind: 'admin' }, team.id, { limit: 50 });
    expect(messages.filter((m) => m.text === 'no signal in the quarry')).toHaveLength(1);
  }, 60_000);
});
