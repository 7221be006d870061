// The console on every screen: a phone (390 × 844), a tablet (820 × 1180) and a desktop. Nothing is wider
// than the screen, every header action can be reached and clicked, and each panel can be shown.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../support/chromium.ts';
import { consoleAs, type E2E, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 820, height: 1180 },
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

/** Elements wider than the viewport, or whose right edge is past it, as "tag.class" strings. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      // Inside a scrolling strip (tabs that scroll sideways) is fine: the strip itself must fit.
      if (el.closest('[data-scrolls="x"]') && !el.matches('[data-scrolls="x"]')) continue;
      if (r.right > w + 1 || r.left < -1)
        out.push(
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.left)}–${Math.round(r.right)})`,
        );
    }
    return [...new Set(out)].slice(0, 10);
  });
}

describe.skipIf(!executable)('the console at every width', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'widths');
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('never overlaps callsign labels, even with ten members bunched together', async () => {
    const { howl } = e2e;
    const team = await howl.services.teams.resolveExisting(undefined);
    for (let i = 0; i < 10; i++) {
      const m = await howl.services.members.add({ kind: 'admin' }, team, {
        name: `Bunch ${i}`,
        callsign: `BUNCH${i}`,
      });
      await howl.services.positions.reportFromDevice({
        deviceId: m.device,
        time: new Date(),
        lat: 51.05 + (i % 3) * 0.00004,
        lon: -1.31 + Math.floor(i / 3) * 0.00005,
        accuracyM: 5,
        source: 'osmand',
      });
    }
    const page = await consoleAs(e2e, undefined, { width: 1280, height: 800 });
    await expect.poll(() => page.locator('[data-testid="member-marker"]').count()).toBe(10);
    await page.waitForTimeout(800);
    const labels = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.member-label'))
        .filter((l) => l.offsetParent !== null)
        .map((l) => {
          const r = l.getBoundingClientRect();
          return { text: l.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
        }),
    );
    await page.screenshot({ path: join(SHOTS, 'console-labels.png') });
    expect(labels.length).toBeGreaterThan(2);
    const overlaps = labels.flatMap((a, i) =>
      labels
        .slice(i + 1)
        .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
        .map((b) => `${a.text}/${b.text}`),
    );
    expect(overlaps).toEqual([]);
    await page.context().close();
  });

  for (const size of WIDTHS) {
    it(`fits a ${size.name} (${size.width} px): nothing off-screen, every action reachable`, async () => {
      const page = await consoleAs(e2e, undefined, { width: size.width, height: size.height });
      await page.locator('[data-testid="live-status"]').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `console-${size.width}.png`) });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      expect(await overflowing(page)).toEqual([]);
      // Every header action is on the screen and answers a click (Settings opens its dialog).
      for (const name of ['Add member', 'TAK', 'Settings', 'Log out']) {
        const box = await page.getByRole('button', { name, exact: true }).boundingBox();
        expect(box, name).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= size.width, name).toBe(true);
        expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= size.height, name).toBe(true);
      }
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');
      // The panels: side by side on a desktop, one tab at a time below 900 px, each filling the width.
      const panels = { map: '.console-map', members: '.side-panel', ops: '.ops-panel' } as const;
      if (size.width <= 900) {
        for (const [pane, selector] of Object.entries(panels)) {
          await page.locator(`[data-testid="pane-${pane}"]`).click();
          const box = await page.locator(selector).boundingBox();
          expect(box?.width, pane).toBeGreaterThan(size.width - 2);
          expect(await overflowing(page), pane).toEqual([]);
          await page.screenshot({ path: join(SHOTS, `console-${size.width}-${pane}.png`) });
        }
      } else {
        expect(await page.locator('[data-testid="pane-map"]').isVisible()).toBe(false);
        for (const selector of Object.values(panels))
          expect(await page.locator(selector).isVisible()).toBe(true);
        expect((await page.locator('.console-map').boundingBox())?.width).toBeGreaterThan(size.width * 0.4);
      }
      await page.context().close();
    });
  }
});
