import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { canRun } from './requirements.ts';

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
  const found = canRun(
    'browser tests',
    existsSync(path) ? undefined : `${path} does not exist`,
    'apt-get install chromium, or set HOWL_CHROMIUM',
    Boolean(process.env.HOWL_CHROMIUM),
  );
  return found ? path : undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}
