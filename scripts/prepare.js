#!/usr/bin/env node
// npm's `prepare` step (after `npm install` and `npm ci`): build dist/ from a source checkout. Where
// the dev dependencies are left out (`npm ci --omit=dev` on a built tree), or there are no sources
// (an unpacked package), the shipped dist/ is used as it is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const installed = (pkg) => {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch (e) {
    return e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'; // there, but it does not export its package.json
  }
};

const tools = ['typescript', 'vite', '@vitejs/plugin-react'].every(installed);
const sources = existsSync(join(root, 'src')) && existsSync(join(root, 'web'));
const built =
  existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'web', 'index.html'));

if (tools && sources) {
  const { status } = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(status ?? 1);
}
if (built) {
  console.log('howl: using the built dist/ (no build: the dev dependencies or the sources are not here).');
} else {
  console.error(
    'howl: dist/ is not built, and it cannot be built here: the build needs the sources and the dev\n' +
      '  dependencies. Build it with `npm install` (or `npm run build`) where they are, then use that tree.',
  );
  process.exit(1);
}
