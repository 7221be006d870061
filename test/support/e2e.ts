import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningHowl } from '../../src/app/start.ts';
import { ensureWebBuilt } from '../../src/cli/web-build.ts';
import { launchChromium } from './chromium.ts';
import { startServer } from './server.ts';

/** Where browser tests put their screenshots. */
export const SHOTS = join(process.cwd(), 'test-results');

export interface E2E {
  howl: RunningHowl;
  browser: Browser;
  /** The server's data folder (removed on close). */
  dataDir: string;
  close(): Promise<void>;
}

/** The built web app, a Howl on loopback ports of its own with a fresh data folder, and Chromium. */
export async function startE2E(executable: string, prefix: string): Promise<E2E> {
  await ensureWebBuilt(() => undefined);
  mkdirSync(SHOTS, { recursive: true });
  const server = await startServer('pglite', `e2e-${prefix}`, {}, { logger: false });
  const browser = await launchChromium(executable);
  return {
    howl: server.howl,
    browser,
    dataDir: server.dir,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A link printed for the LAN, pointed at this test's loopback server instead. */
export const local = (url: string, origin: string) => `${origin}${new URL(url).pathname}${new URL(url).hash}`;

const DESKTOP = { width: 1280, height: 800 };

/**
 * The first leader signs in with the first-start link and sets a password; returns the console page, in a
 * browser context of its own (closing the page closes it).
 */
export async function leaderConsole(e: E2E, viewport = DESKTOP): Promise<Page> {
  const page = await e.browser.newPage({ viewport });
  await page.goto(local(e.howl.firstLogin?.url ?? '', e.howl.localUrl));
  await page.locator('input[name="password"]').fill('correct horse battery');
  await page.locator('form button[type="submit"]').click();
  await page.locator('[data-testid="map"]').waitFor();
  return page;
}

/**
 * A member's console (the team's first leader by default) in a browser context of its own, signed in with
 * a new login link whatever earlier tests did: a leader still without a password puts that off.
 */
export async function consoleAs(e: E2E, callsign?: string, viewport = DESKTOP): Promise<Page> {
  const team = await e.howl.services.teams.resolveExisting(undefined);
  const link = await e.howl.services.sessions.createLoginLink(team, callsign);
  const page = await e.browser.newPage({ viewport });
  await page.goto(local(link.url, e.howl.localUrl));
  const map = page.locator('[data-testid="map"]');
  const notNow = page.getByRole('button', { name: 'Not now' });
  await map.or(notNow).waitFor();
  if (await notNow.isVisible()) await notNow.click();
  await map.waitFor();
  return page;
}
