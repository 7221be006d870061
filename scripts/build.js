#!/usr/bin/env node
// `npm run build`: the server and the CLI compiled by tsc from src/ into dist/ (what `howl` runs),
// the web app bundled by Vite into dist/web. `node scripts/build.js server` or `… web` builds one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const parts = process.argv.slice(2);
const wanted = (part) => parts.length === 0 || parts.includes(part);

/** The script behind a dev dependency's command, run with this Node (no shell, no PATH). */
function binOf(pkg, name) {
  const manifest = createRequire(join(root, 'package.json')).resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
}

function run(what, script, args) {
  const started = performance.now();
  const { status, error } = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (error || status !== 0) {
    console.error(`build: ${what} failed${error ? `: ${error.message}` : ''}`);
    process.exit(status || 1);
  }
  console.log(`build: ${what} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (wanted('server')) {
  // Compiled aside, then swapped in: a running `howl` never sees a half-written dist/, and the output of
  // deleted sources does not linger (tsc leaves it behind).
  const next = join(dist, '.next');
  rmSync(next, { recursive: true, force: true });
  run('server and CLI (tsc → dist/)', binOf('typescript', 'tsc'), [
    '-p',
    'tsconfig.build.json',
    '--outDir',
    next,
  ]);
  const built = readdirSync(next);
  for (const entry of readdirSync(dist))
    if (entry !== 'web' && entry !== '.next' && !built.includes(entry))
      rmSync(join(dist, entry), { recursive: true, force: true });
  for (const entry of built) {
    rmSync(join(dist, entry), { recursive: true, force: true });
    renameSync(join(next, entry), join(dist, entry));
  }
  rmSync(next, { recursive: true, force: true });
}
if (wanted('web')) run('web app (Vite → dist/web)', binOf('vite', 'vite'), ['build', '--logLevel', 'warn']);
