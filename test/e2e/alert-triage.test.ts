// Alert triage in Chromium: a five-person drill on phones, escalated from one of them. The declaration
// reaches the other phones first and alone; the separations Howl raises afterwards queue behind it, grouped,
// for the leader and the member concerned only; a field-page SOS is red on the console, with sound and a
// flashing title.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { Alert } from '../../src/contract/alerts.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { destination, type Point } from '../../src/domain/geo.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, local, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };

describe.skipIf(!executable)('alert triage in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let browser: Browser;
  const m: Record<'sierra' | 'alfa' | 'bravo' | 'runner' | 'opfor', AddedMember> = {} as never;
  const phones: Record<string, { page: Page; ctx: BrowserContext; at: Point }> = {};
  const contexts: BrowserContext[] = [];
  let console_: Page;

  const asMember = async <T>(who: AddedMember, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${howl.localUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${who.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const alerts = async () => (await asMember<{ alerts: Alert[] }>(m.sierra, '/api/alerts')).alerts;

  const openPhone = async (name: string, who: AddedMember, at: Point): Promise<Page> => {
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: at.lat, longitude: at.lon, accuracy: 8 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    // To the browser, whatever a test reads on a page counts as a touch: read nothing before the page has
    // made its AudioContext (first render), which the live socket (opened just after) tells.
    const live = page.waitForEvent('websocket');
    await page.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(who.token)}`);
    await live;
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
    phones[name] = { page, ctx, at };
    return page;
  };
  /** Each phone reports again where it is (a hair's breadth apart, so that it is a new fix). */
  let wiggle = 0;
  const report = async () => {
    wiggle += 1;
    for (const { ctx, at } of Object.values(phones)) {
      await ctx.setGeolocation({ latitude: at.lat + wiggle * 1e-7, longitude: at.lon, accuracy: 8 });
    }
  };
  /** Waits `seconds` while the phones keep reporting every 5 s. */
  const drill = async (seconds: number) => {
    for (let s = 0; s < seconds; s += 5) {
      await report();
      await new Promise((r) => setTimeout(r, 5000));
    }
  };
  const phone = (name: string) => phones[name]?.page as Page;
  const overlay = (name: string) => phone(name).locator('[data-testid="real-alert"]');
  const hold = async (page: Page) => {
    await page.locator('[data-testid="ack-hold"]').hover();
    await page.mouse.down();
    await page.waitForTimeout(1800);
    await page.mouse.up();
  };

  /** The team's first leader at the console, with the Notification API recorded and the tab's visibility ours. */
  const openConsole = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    contexts.push(ctx);
    await ctx.addInitScript(() => {
      const w = window as unknown as { notes: string[]; hiddenTab: boolean };
      w.notes = [];

      // To the page, the tab stays in the background: every new real alert is a system notification.
      w.hiddenTab = true;
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = () => Promise.resolve('granted');
        onclick: (() => void) | null = null;
        constructor(title: string) {
          w.notes.push(title);
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: RecordedNotification });
      // How many oscillators are playing: the siren is two while it sounds, none when quiet.
      const a = window as unknown as { oscillators: number };
      a.oscillators = 0;
      const start = OscillatorNode.prototype.start;
      const stop = OscillatorNode.prototype.stop;
      OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
        a.oscillators++;
        return start.apply(this, args);
      };
      OscillatorNode.prototype.stop = function (...args: Parameters<typeof stop>) {
        a.oscillators--;
        return stop.apply(this, args);
      };
      Object.defineProperty(document, 'visibilityState', { get: () => (w.hiddenTab ? 'hidden' : 'visible') });
    });
    const team = await howl.services.teams.resolveExisting(undefined);
    const link = await howl.services.sessions.createLoginLink(team, undefined);
    // The leader puts setting a password off (as "Not now" does) without a click: a click would let sound through.
    const { members } = await asMember<{ members: Array<{ id: string; callsign: string }> }>(
      m.sierra,
      '/api/members',
    );
    const leaderId = members.find((x) => x.callsign === link.callsign)?.id ?? '';
    await ctx.addInitScript((id: string) => sessionStorage.setItem('howl.skipSetPassword', id), leaderId);
    const page = await ctx.newPage();
    const live = page.waitForEvent('websocket');
    await page.goto(local(link.url, howl.localUrl));
    await live; // the console is up, its AudioContext made before anything here counts as a click
    await page.locator('[data-testid="map"]').waitFor();
    return page;
  };

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'alert-triage');
    ({ howl, browser } = e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    const add = (name: string, role: 'leader' | 'member' = 'member') =>
      howl.services.members.add({ kind: 'admin' }, team, { name, callsign: name.toUpperCase(), role });
    m.sierra = await add('Sierra', 'leader');
    m.alfa = await add('Alfa');
    m.bravo = await add('Bravo');
    m.runner = await add('Runner');
    m.opfor = await add('Opfor');
    console_ = await openConsole();
    await openPhone('sierra', m.sierra, destination(BASE, 270, 60));
    await openPhone('alfa', m.alfa, BASE);
    await openPhone('bravo', m.bravo, destination(BASE, 90, 80));
    await openPhone('runner', m.runner, destination(BASE, 0, 2000));
    await openPhone('opfor', m.opfor, destination(BASE, 135, 1500));
  }, 180_000);

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await e2e?.close();
  });

  it('says on each phone, across the whole width, that the alarm sound waits for a first touch', async () => {
    const bar = phone('bravo').locator('[data-testid="alarm-unlock"]');
    await bar.waitFor({ timeout: 5000 });
    expect(await bar.textContent()).toContain('Tap to enable the alarm sound');
    expect((await bar.boundingBox())?.width).toBe(390);
    await phone('bravo').screenshot({ path: join(SHOTS, 'triage-alarm-blocked.png') });
    await bar.tap();
    await bar.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('says on the console that the browser blocks the alarm sound until a click, and lets it through', async () => {
    const enable = console_.locator('[data-testid="enable-sound"]');
    expect(await enable.textContent()).toContain('blocks the alarm sound');
    await console_.screenshot({ path: join(SHOTS, 'triage-console-sound-blocked.png') });
    await enable.click();
    await enable.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('runs the drill with no alert for the runner, the opposing force or the leader at the console', async () => {
    const res = await asMember<{ id: string }>(m.sierra, '/api/operations', {
      name: 'Runner and trackers at dusk',
      participants: [
        { memberId: m.sierra.memberId, role: 'controller' },
        { memberId: m.runner.memberId, role: 'runner' },
        { memberId: m.opfor.memberId, role: 'opposing_force' },
        { memberId: m.alfa.memberId, role: 'tracker' },
        { memberId: m.bravo.memberId, role: 'tracker' },
      ],
    });
    await asMember(m.sierra, `/api/operations/${res.id}/actions`, { action: 'start' });
    await phone('bravo').locator('[data-testid="exercise-watermark"]').waitFor({ timeout: 5000 });
    await drill(25);
    expect(await alerts()).toEqual([]);
  }, 60_000);

  it('brings the escalation from one phone first and alone to the others, the separations grouped behind it for the leader', async () => {
    const alfa = phone('alfa');
    await alfa.locator('[data-testid="escalate-button"]').click();
    await alfa.locator('textarea[name="reason"]').fill('Not practice: a walker fell at the quarry');
    await alfa.locator('[data-testid="escalate-confirm"]').click();
    for (const name of ['sierra', 'bravo', 'runner']) {
      await overlay(name).waitFor({ timeout: 5000 });
      expect(await overlay(name).getAttribute('data-kind')).toBe('howl');
      expect(await overlay(name).textContent()).toContain('REAL WORLD declared by ALFA');
    }
    // Twenty seconds beyond the limit later, Howl raises the runner's and the opposing force's separation.
    await drill(25);
    await expect
      .poll(
        async () =>
          (await alerts())
            .filter((a) => a.type === 'separation')
            .map((a) => a.subject)
            .sort(),
        {
          timeout: 10_000,
        },
      )
      .toEqual(['OPFOR', 'RUNNER']);
    // Still the declaration, alone: nothing counts the conditions behind it.
    const sierra = phone('sierra');
    expect(await overlay('sierra').getAttribute('data-kind')).toBe('howl');
    expect(await overlay('sierra').textContent()).not.toContain('more real alert');
    await sierra.screenshot({ path: join(SHOTS, 'triage-howl-first.png') });

    // The leader acknowledges it; the two separations come next, as one group, acknowledged with one hold.
    await hold(sierra);
    await expect.poll(() => overlay('sierra').getAttribute('data-kind'), { timeout: 5000 }).toBe('condition');
    expect(await overlay('sierra').getAttribute('data-count')).toBe('2');
    expect(await overlay('sierra').textContent()).toContain('2 members separated from the team');
    expect(await overlay('sierra').textContent()).toContain('HOLD TO ACKNOWLEDGE ALL 2');
    await sierra.screenshot({ path: join(SHOTS, 'triage-group.png') });
    await hold(sierra);
    await overlay('sierra').waitFor({ state: 'detached', timeout: 5000 });
    const separations = (await alerts()).filter((a) => a.type === 'separation');
    for (const a of separations) expect(a.acknowledgements.map((k) => k.callsign)).toEqual(['SIERRA']);

    // BRAVO is not a leader and not separated: after the declaration, nothing more takes the screen.
    await hold(phone('bravo'));
    await overlay('bravo').waitFor({ state: 'detached', timeout: 5000 });
    await phone('bravo').waitForTimeout(1500);
    expect(await overlay('bravo').count()).toBe(0);
    // The runner gets the declaration, then his own separation.
    await hold(phone('runner'));
    await expect
      .poll(() => overlay('runner').textContent(), { timeout: 5000 })
      .toContain('RUNNER is separated from the team');
    await phone('runner').screenshot({ path: join(SHOTS, 'triage-own-separation.png') });
  }, 90_000);

  it('shows a field-page SOS on the console in red with the SOS badge, a flashing title and a notification in the background', async () => {
    const page = console_;
    const bravo = phone('bravo');
    await bravo.locator('[data-testid="sos-button"]').click();
    await bravo.locator('[data-testid="sos-out"]').waitFor({ timeout: 10_000 });
    const row = page.locator('[data-testid="member-row"][data-callsign="BRAVO"]');
    await expect.poll(() => row.getAttribute('class'), { timeout: 5000 }).toContain('status-sos');
    expect(await row.locator('[data-testid="status-badge"]').textContent()).toBe('SOS');
    const marker = page.locator('[data-testid="member-marker"][data-callsign="BRAVO"]');
    expect(await marker.getAttribute('class')).toContain('status-sos');
    expect(await marker.textContent()).toContain('BRAVO · SOS');
    const dot = await marker.locator('.member-dot').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(dot).toBe('rgb(255, 59, 48)');

    const titles = new Set<string>();
    for (let i = 0; i < 6; i++) {
      titles.add(await page.title());
      await page.waitForTimeout(400);
    }
    expect([...titles].sort()).toEqual(['Howl console', '■ REAL — NOT A DRILL — SOS from BRAVO']);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { notes: string[] }).notes))
      .toContain('REAL — NOT A DRILL — SOS from BRAVO');
    await page.screenshot({ path: join(SHOTS, 'triage-console-sos.png') });

    // The siren sounds until acknowledged; "Silence 1 min" quiets it without acknowledging anything.
    const oscillators = () => page.evaluate(() => (window as unknown as { oscillators: number }).oscillators);
    await expect.poll(oscillators).toBeGreaterThan(0);
    await page.locator('[data-testid="silence"]').click();
    await expect.poll(oscillators).toBe(0);
    expect(await page.locator('[data-testid="silenced"]').textContent()).toMatch(
      /Siren silenced until \d\d:\d\d:\d\d/,
    );
    expect(await page.locator('[data-testid="console-alarm-real"]').count()).toBe(1);

    // Acknowledging what waits for this leader stops the alarm and the flashing.
    await page.locator('[data-testid="console-alarm-real"]').click();
    for (let i = 0; i < 10; i++) {
      const card = page.locator('[data-testid="alert-card"] button', { hasText: 'Acknowledge' }).first();
      const group = page.locator('[data-testid="ack-group"]').first();
      // A button busy with its acknowledgement, or gone once it is done, is looked for again next time round.
      const next = (await group.isVisible()) ? group : (await card.isVisible()) ? card : null;
      if (!next) break;
      await next.click({ timeout: 3000 }).catch(() => undefined);
      await page.waitForTimeout(300);
    }
    await page.locator('[data-testid="console-alarm-real"]').waitFor({ state: 'detached', timeout: 5000 });
    await expect.poll(() => page.title(), { timeout: 3000 }).toBe('Howl console');
  }, 60_000);
});
