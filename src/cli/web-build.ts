import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, WEB_DIST } from '../server/paths.ts';

// For a source checkout only (the browser tests build the web app when its sources changed): Howl never
// builds at run time, `npm run build` does, so this file is not compiled into dist/ and Vite stays a dev
// dependency.

/** Newest modification time under a folder, in ms. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether the built web app is missing or older than its sources. */
export function webBuildNeeded(): boolean {
  const built = join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['web', 'src/contract', 'src/domain'].map((d) => join(PACKAGE_ROOT, d)).filter(existsSync);
  if (sources.length === 0) return false; // installed without sources: use what ships
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

/** Builds the web app with Vite (a dev dependency) when it is missing or older than its sources. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<void> {
  if (!webBuildNeeded()) return;
  log('Building the web app (missing, or older than its sources)…');
  const started = Date.now();
  const vite = await import('vite');
  await vite.build({ configFile: join(PACKAGE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
