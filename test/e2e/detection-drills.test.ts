import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionDrill } from '../../src/contract/detection-drills.ts';
import { localFrame } from '../../src/domain/search-geometry.fixtures.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const frame = localFrame({ lat: 51.0543, lon: -1.3188 });
const DISTANCES = [2, 5, 10, 20, 30];

describe.skipIf(!executable)('detection drills in Chromium', () => {
  let e2e: E2E;
  let leader: Page;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'detection');
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('ticks a find on the searcher’s phone and in the leader’s table, shows W and uses it for the sweep width', async () => {
    const { howl, browser } = e2e;
    leader = await leaderConsole(e2e, { width: 1400, height: 1000 });
    const team = await howl.services.teams.resolveExisting(undefined);
    const admin = { kind: 'admin' } as const;
    const scott = await howl.services.members.add(admin, team, { name: 'Scott', callsign: 'SCOTT' });
    const stiles = await howl.services.members.add(admin, team, { name: 'Stiles', callsign: 'STILES' });

    // The leader plans it in the console: searchers, and the objects typed into the table.
    await leader.goto(`${howl.localUrl}/#/drills`);
    await leader.getByRole('button', { name: 'New detection drill' }).click();
    const form = leader.locator('[data-testid="detection-drill-form"]');
    await form.locator('input[name="name"]').fill('Gloves in the wood');
    await form.locator('input[name="resourceType"]').fill('grid ground');
    await form.locator('input[name="binM"]').fill('7');
    await form.locator('input[name="searcher-SCOTT"]').check();
    await form.locator('input[name="searcher-STILES"]').check();
    for (const [i, d] of DISTANCES.entries()) {
      if (i > 0) await form.getByRole('button', { name: 'Add object' }).click();
      const at = frame.at(i % 2 ? d : -d, -150 + 60 * i);
      await form.getByLabel(`object ${i + 1} label`).fill(`glove ${d} m`);
      if (i === DISTANCES.length - 1) {
        // The last one the trainer places standing at it, with this device's position.
        await leader.context().grantPermissions(['geolocation']);
        await leader.context().setGeolocation({ latitude: at.lat, longitude: at.lon, accuracy: 4 });
        await form.getByRole('button', { name: `Object ${i + 1} here` }).click();
        await expect
          .poll(() => form.getByLabel(`object ${i + 1} latitude`).inputValue())
          .toBe(at.lat.toFixed(6));
        expect(await form.getByLabel(`object ${i + 1} longitude`).inputValue()).toBe(at.lon.toFixed(6));
      } else {
        await form.getByLabel(`object ${i + 1} latitude`).fill(String(at.lat));
        await form.getByLabel(`object ${i + 1} longitude`).fill(String(at.lon));
      }
    }
    await leader.screenshot({ path: join(SHOTS, 'detection-form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Plan drill' }).click();
    await leader.locator('[data-testid="detection-drill-detail"]').waitFor();
    const id = decodeURIComponent(new URL(leader.url()).hash).split('/').at(-1) ?? '';
    const drill: DetectionDrill = await howl.services.detectionDrills.get(admin, team.id, id);
    expect(drill.objects.map((o) => o.label)).toEqual(DISTANCES.map((d) => `glove ${d} m`));
    expect(drill.binM).toBe(7);
    await howl.services.operations.act(admin, team.id, id, 'start');
    // The leader watches the running drill's page: the lateral ranges fill in as the searchers walk.
    await leader.goto(`${howl.localUrl}/#/drills/detection/${id}`);
    await leader.locator('[data-testid="detection-drill-detail"]').waitFor();
    expect(await leader.locator('[data-testid="detection-table"]').textContent()).not.toMatch(/2\.0 m/);

    // Both searchers walk the lane north, as their phones would report it.
    const lane = frame.walk(
      [
        [0, -200],
        [0, 200],
      ],
      20,
    );
    for (const who of [scott, stiles]) {
      for (const p of lane) {
        const res = await fetch(`${howl.localUrl}/api/positions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ lat: p.lat, lon: p.lon, time: new Date().toISOString() }),
        });
        expect(res.status).toBe(200);
      }
    }
    await expect
      .poll(() => leader.locator('[data-testid="detection-table"]').textContent(), { timeout: 10_000 })
      .toMatch(/2\.0 m.*30\.0 m/);

    // Scott's phone: the labels to look for, no positions; he ticks the 2 m glove.
    const end = frame.at(0, 200);
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: end.lat, longitude: end.lon, accuracy: 5 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const phone = await ctx.newPage();
    await phone.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(scott.token)}`);
    const sheet = phone.locator('[data-testid="detection-sheet"]');
    await sheet.waitFor({ timeout: 15_000 });
    expect(await sheet.textContent()).not.toMatch(/51\.05/);
    const row = sheet.locator('li', { hasText: 'glove 2 m' });
    await row.getByRole('button', { name: 'Found' }).click();
    await expect.poll(() => row.getByRole('button').getAttribute('aria-pressed')).toBe('true');
    await sheet.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(SHOTS, 'detection-field.png') });
    await ctx.close();
    await howl.services.operations.act(admin, team.id, id, 'end');

    // The leader enters the rest afterwards: Scott also found the 5 m glove.
    await leader.goto(`${howl.localUrl}/#/drills/detection/${id}`);
    const detail = leader.locator('[data-testid="detection-drill-detail"]');
    await detail.waitFor();
    // Scott 2 of 2 and Stiles 0 of 2 within 7 m, nothing beyond: W = 2 × 7 m × 0.5 = 7 m.
    await leader.locator('[data-testid="toggle-glove 5 m-SCOTT"]').click();
    await expect
      .poll(() => leader.locator('[data-testid="sweep-width"]').textContent(), { timeout: 15_000 })
      .toBe('W = 7.0 m');
    await expect
      .poll(() => leader.locator('[data-testid="detection-table"]').textContent())
      .toMatch(/2\.0 m/);
    await leader.getByRole('button', { name: 'Use for grid ground sweep width' }).click();
    await expect
      .poll(() => leader.locator('[data-testid="sweep-width-saved"]').textContent())
      .toMatch(/grid ground: W = 7\.0 m saved/);
    const widths = await howl.services.sweepWidths.list(admin, team.id);
    expect(widths).toMatchObject([
      { resourceType: 'grid ground', source: 'detection_drills', sweepWidthM: 7 },
    ]);
    await leader.locator('[data-testid="detection-map"] canvas').waitFor();
    await leader.waitForTimeout(700); // the map's first frame
    await leader.screenshot({ path: join(SHOTS, 'detection.png'), fullPage: true });
  }, 120_000);
});
