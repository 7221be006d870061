import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/app/config.ts';
import { type RunningHowl, startHowl } from '../../src/app/start.ts';
import { ensureWebBuilt } from '../../src/cli/web-build.ts';
import { launchChromium } from './chromium.ts';

/** Where browser tests put their screenshots. */
export const SHOTS = join(process.cwd(), 'test-results');

export interface E2E {
  howl: RunningHowl;
  browser: Browser;
  close(): Promise<void>;
}

/** The built web app, a Howl on loopback ports of its own with a fresh data folder, and Chromium. */
export async function startE2E(executable: string, prefix: string): Promise<E2E> {
  await ensureWebBuilt(() => undefined);
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `howl-e2e-${prefix}-`));
  const howl = await startHowl(
    loadConfig({
      PORT: '0',
      HOWL_HTTPS_PORT: '0',
      HOWL_OSMAND_PORT: '0',
      HOWL_COT_PORT: '0',
      HOWL_DATA_DIR: dir,
      HOST: '127.0.0.1',
    }),
    { logger: false },
  );
  const browser = await launchChromium(executable);
  return {
    howl,
    browser,
    async close() {
      await browser.close();
      await howl.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A link printed for the LAN, pointed at this test's loopback server instead. */
export const local = (url: string, origin: string) => `${origin}${new URL(url).pathname}${new URL(url).hash}`;

/** The first leader signs in with the first-start link and sets a password; returns the console page. */
export async function leaderConsole(e: E2E, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await e.browser.newPage({ viewport });
  await page.goto(local(e.howl.firstLogin?.url ?? '', e.howl.localUrl));
  await page.locator('input[name="password"]').fill('correct horse battery');
  await page.locator('form button[type="submit"]').click();
  await page.locator('[data-testid="map"]').waitFor();
  return page;
}
