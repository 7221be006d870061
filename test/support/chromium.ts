import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Debian's Chromium (HOWL_CHROMIUM, else /usr/bin/chromium), or undefined with the reason printed. */
export function chromiumPath(): string | undefined {
  const path = process.env.HOWL_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.env.HOWL_CHROMIUM || process.env.HOWL_TEST_REQUIRE_ALL) {
    throw new Error(`Chromium is required for the browser tests but ${path} does not exist`);
  }
  console.warn(
    '[howl tests] browser tests skipped: no Chromium (apt-get install chromium, or set HOWL_CHROMIUM).',
  );
  return undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}
