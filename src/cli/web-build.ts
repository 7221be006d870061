import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, WEB_DIST } from '../server/paths.ts';

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

/** Builds the web app with Vite when needed. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<void> {
  if (!webBuildNeeded()) return;
  log('Building the web app (first start, or its sources changed)…');
  const started = Date.now();
  const vite = await import('vite');
  await vite.build({ configFile: join(PACKAGE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
