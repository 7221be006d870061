#!/usr/bin/env node
// Howl runs the JavaScript compiled into dist/ by `npm run build` (which `npm install` runs too).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const mainUrl = new URL('../dist/cli/main.js', import.meta.url);
const main = fileURLToPath(mainUrl);

if (!existsSync(main)) {
  console.error(
    `howl: Howl is not built (no ${main}). Run \`npm run build\` in ${at('')} (or \`npm install\`).`,
  );
  process.exit(1);
}

/** Newest modification time of the files under a folder but tests, in ms (0 when it is missing). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let ms = 0;
  for (const file of readdirSync(dir, { recursive: true })) {
    if (/\.test\.tsx?$/.test(file)) continue;
    const stat = statSync(`${dir}/${file}`);
    if (stat.isFile()) ms = Math.max(ms, stat.mtimeMs);
  }
  return ms;
}

// Starting Howl from a source checkout, say when the build is older than the sources (after a
// `git pull` or an edit): Howl runs what was built, never builds itself. The one-shot verbs keep
// their output to what they were asked.
if (['serve', 'demo'].includes(process.argv[2] ?? '') && existsSync(at('src'))) {
  const web = at('dist/web/index.html');
  const stale =
    newest(at('src')) > statSync(main).mtimeMs ||
    (existsSync(web) && newest(at('web')) > statSync(web).mtimeMs);
  if (stale) console.error('howl: dist/ is older than the sources; run `npm run build` to run the changes.');
}

await import(mainUrl.href);
