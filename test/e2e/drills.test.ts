import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point } from '../../src/domain/geo.ts';
import { writeGpx } from '../../src/formats/gpx-write.ts';
import { chromiumPath } from '../support/chromium.ts';
import { offsetLine } from '../support/drill-tracks.ts';
import { type E2E, leaderConsole, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const ORIGIN: Point = { lat: 51.0543, lon: -1.3188 };
const SHOT_DIR = join(process.cwd(), 'tmp');

describe.skipIf(!executable)('tracking drills in Chromium', () => {
  let e2e: E2E;
  let leader: Page;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'drills');
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('records a drill from uploaded GPX files, shows the overlay and scores, then the tracker’s progress', async () => {
    const { howl } = e2e;
    leader = await leaderConsole(e2e, { width: 1400, height: 950 });
    const team = await howl.services.teams.resolveExisting(undefined);
    for (const callsign of ['STILES', 'SCOTT']) {
      await howl.services.members.add({ kind: 'admin' }, team, { name: callsign, callsign });
    }
    await leader.goto(`${howl.localUrl}/#/drills`);
    await leader.locator('[data-testid="drills"]').waitFor();
    await leader.getByRole('button', { name: 'New drill' }).click();
    const form = leader.locator('[data-testid="drill-form"]');
    await form.locator('input[name="name"]').fill('Forest trail');
    await form.locator('select[name="runner"]').selectOption({ label: 'STILES' });
    await form.locator('input[name="tracker-SCOTT"]').check();
    await form.locator('input[name="terrain"]').fill('forest floor');
    await form.locator('input[name="trailAgeMin"]').fill('30');
    await expect.poll(() => form.locator('input[name="recorded"]').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Record drill' }).click();
    await leader.locator('[data-testid="drill-detail"]').waitFor();

    // A tracker walking 8 m beside the runner's kilometre, an hour later.
    const { runner, tracker } = offsetLine(ORIGIN, 8);
    const file = (name: string, points: typeof runner) => ({
      name,
      mimeType: 'application/gpx+xml',
      buffer: Buffer.from(writeGpx([{ name, points }])),
    });
    await leader.locator('[data-testid="upload-STILES"]').setInputFiles(file('stiles.gpx', runner));
    await expect
      .poll(() => leader.locator('[data-testid="participant-STILES"]').textContent())
      .toMatch(/1001 points/);
    await leader.locator('[data-testid="upload-SCOTT"]').setInputFiles(file('scott.gpx', tracker));
    await expect
      .poll(() => leader.locator('[data-testid="score-trail-followed"]').first().textContent(), {
        timeout: 15_000,
      })
      .toMatch(/100\.0 %/);
    await leader.locator('[data-testid="drill-map"] canvas').waitFor();
    await expect.poll(() => leader.locator('[data-testid="drill-legend"] li').count()).toBe(2);
    await expect.poll(() => leader.locator('[data-testid="drill-light"]').textContent()).toMatch(/Day \(sun/);
    await leader.waitForTimeout(500); // the map's first frame
    await leader.screenshot({ path: join(SHOT_DIR, 'drill.png') });

    await leader.locator('[data-testid="score-table"] thead a', { hasText: 'SCOTT' }).click();
    await leader.locator('[data-testid="progress-chart"]').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => leader.locator('[data-testid="progress-points"]').textContent())
      .toMatch(/^1 scored drill/);
    await leader.locator('[data-testid="progress-chart"] canvas').first().waitFor();
    await leader.screenshot({ path: join(SHOT_DIR, 'drill-progress.png'), fullPage: true });

    // A month later, a closer drill: the chart shows two points and the trend between them.
    const teamId = team.id;
    const admin = { kind: 'admin' } as const;
    const members = await howl.services.members.list(admin, teamId);
    const id = (callsign: string) => members.find((m) => m.callsign === callsign)?.id ?? '';
    const next = await howl.services.drills.create(admin, teamId, {
      name: 'Forest trail II',
      runnerId: id('STILES'),
      trackerIds: [id('SCOTT')],
      recorded: true,
    });
    const month = 30 * 86_400_000;
    const later = offsetLine(ORIGIN, 3);
    for (const [who, points] of [
      ['STILES', later.runner],
      ['SCOTT', later.tracker],
    ] as const) {
      const moved = points.map((p) => ({ ...p, timeMs: p.timeMs + month }));
      await howl.services.drills.uploadTrack(admin, teamId, next.operation.id, id(who), {
        data: Buffer.from(writeGpx([{ points: moved }])),
      });
    }
    await leader.reload();
    await expect
      .poll(() => leader.locator('[data-testid="progress-points"]').textContent(), { timeout: 15_000 })
      .toMatch(/^2 scored drills/);
    await leader.waitForTimeout(300);
    await leader.screenshot({ path: join(SHOT_DIR, 'drill-progress-2.png'), fullPage: true });
  }, 120_000);

  it('gives a tracker in a running drill a big Found button on the field page', async () => {
    const { howl, browser } = e2e;
    const team = await howl.services.teams.resolveExisting(undefined);
    const lead = { kind: 'admin' } as const;
    const derek = await howl.services.members.add(lead, team, { name: 'Derek', callsign: 'DEREK' });
    const malia = await howl.services.members.add(lead, team, { name: 'Malia', callsign: 'MALIA' });
    const drill = await howl.services.drills.create(lead, team.id, {
      name: 'Live trail',
      runnerId: derek.memberId,
      trackerIds: [malia.memberId],
    });
    await howl.services.operations.act(lead, team.id, drill.operation.id, 'start');
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: ORIGIN.lat, longitude: ORIGIN.lon, accuracy: 8 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const phone = await ctx.newPage();
    await phone.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(malia.token)}`);
    const card = phone.locator('[data-testid="find-button"]');
    await card.getByRole('button', { name: 'Found' }).click({ timeout: 15_000 });
    await expect.poll(() => card.textContent()).toMatch(/Found at .* recorded/);
    const after = await howl.services.drills.get(lead, team.id, drill.operation.id);
    expect(after.finds).toMatchObject([{ trackerId: malia.memberId, source: 'button' }]);
    await card.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(SHOT_DIR, 'drill-field.png') });
    await ctx.close();
  }, 60_000);
});
