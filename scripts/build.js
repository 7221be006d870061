#!/usr/bin/env node
// `npm run build`: the server and the CLI compiled by tsc from src/ into dist/ (what `howl` runs),
// the web app bundled by Vite into dist/web. `node scripts/build.js server` or `… web` builds one.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';

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
if (wanted('web')) {
  run('web app (Vite → dist/web)', binOf('vite', 'vite'), ['build', '--logLevel', 'warn']);
  precompress(join(dist, 'web'));
}

/**
 * Brotli and gzip copies of every text file of the web app, made once here so that the server sends them
 * as they are (no compression per request): `file.js.br` and `file.js.gz` beside `file.js`.
 */
function precompress(dir) {
  const started = performance.now();
  let raw = 0;
  let br = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, name);
    if (!/\.(js|mjs|css|html|svg|json|webmanifest)$/.test(file)) continue;
    const body = readFileSync(file);
    const b = brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } });
    writeFileSync(`${file}.br`, b);
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    raw += body.length;
    br += b.length;
  }
  console.log(
    `build: web app compressed (${(raw / 1e6).toFixed(2)} MB → ${(br / 1e6).toFixed(2)} MB brotli) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
