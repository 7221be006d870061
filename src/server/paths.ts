import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled, this file is dist/server/paths.js; run from sources (tests), src/server/paths.ts: both two levels down.
/** The folder Howl is installed in (where package.json is). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The web app, built by Vite (`npm run build`); Howl serves it but never builds it. */
export const WEB_DIST = join(PACKAGE_ROOT, 'dist', 'web');
export const VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/** Whether the web app is built in `dir`. */
export function webAppBuilt(dir: string = WEB_DIST): boolean {
  return existsSync(join(dir, 'index.html'));
}
