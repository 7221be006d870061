#!/usr/bin/env node
// Draws the field app's icons (PNG) into web/public/icons: the amber moon of the favicon with a dark "H",
// on Howl's night background. Run once when the design changes; the PNGs are committed, so neither the
// build nor a running server draws or downloads anything. `node scripts/make-icons.js`
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'icons');
const BG = [0x10, 0x16, 0x1e];
const MOON = [0xf7, 0xb3, 0x2b];
const WHITE = [0xff, 0xff, 0xff];
const SS = 4; // samples per pixel side, for smooth edges

/**
 * The colour at (x, y) in a unit square: `moonR` is the moon's radius (the maskable icon keeps it inside
 * the 80 % safe zone), `corner` the background's corner radius (0: full bleed, as maskable icons must be);
 * a `badge` is the white moon alone on transparency.
 */
function shade(x, y, moonR, corner, badge) {
  if (corner > 0) {
    const cx = Math.min(Math.max(x, corner), 1 - corner);
    const cy = Math.min(Math.max(y, corner), 1 - corner);
    if ((x - cx) ** 2 + (y - cy) ** 2 > corner ** 2) return null; // outside the rounded square
  }
  const dx = x - 0.5;
  const dy = y - 0.5;
  if (dx * dx + dy * dy > moonR * moonR) return badge ? null : BG;
  // The "H": two posts and a bar, in the moon's middle.
  const u = dx / moonR;
  const v = dy / moonR;
  const post = Math.abs(v) < 0.5 && Math.abs(Math.abs(u) - 0.3) < 0.09;
  const bar = Math.abs(u) < 0.3 && Math.abs(v) < 0.075;
  if (badge) return post || bar ? null : WHITE;
  return post || bar ? BG : MOON;
}

function icon(size, { moonR, corner, badge = false }) {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = shade((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size, moonR, corner, badge);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
  return PNG.sync.write(png);
}

mkdirSync(out, { recursive: true });
const plain = { moonR: 0.36, corner: 0.18 };
const maskable = { moonR: 0.3, corner: 0 };
const files = {
  'icon-192.png': icon(192, plain),
  'icon-512.png': icon(512, plain),
  'maskable-512.png': icon(512, maskable),
  'maskable-192.png': icon(192, maskable),
  // iOS draws its own rounded corners and shows transparency as black: full bleed.
  'apple-touch-icon.png': icon(180, { moonR: 0.34, corner: 0 }),
  // Android's status-bar badge: a white silhouette on transparency.
  'badge-96.png': icon(96, { moonR: 0.46, corner: 0, badge: true }),
};
for (const [name, data] of Object.entries(files)) writeFileSync(join(out, name), data);
console.log(`icons written to ${out}: ${Object.keys(files).join(', ')}`);
