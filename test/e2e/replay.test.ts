// The replay page in Chromium: an exercise that turns real, recorded over half a minute of real time
// (members reporting every second), opened from the past operations, scrubbed, an event clicked.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../../src/contract/members.ts';
import { destination } from '../../src/domain/geo.ts';
import type { MemberAuth } from '../../src/services/core/auth.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };
const PACK = ['SCOTT', 'STILES', 'ISAAC', 'LYDIA'] as const;
type Callsign = (typeof PACK)[number];
const admin = { kind: 'admin' } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets a range input as a user's drag would, so React sees the input event. */
async function scrubTo(scrubber: Locator, tMs: number): Promise<void> {
  await scrubber.evaluate((el, value) => {
    const input = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, String(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, tMs);
}

describe.skipIf(!executable)('the replay page in Chromium', () => {
  let e2e: E2E;
  let leader: Page;
  const m = {} as Record<Callsign, AddedMember>;
  const as = {} as Record<Callsign, MemberAuth>;
  let escalatedAt = 0;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'replay');
    const { howl } = e2e;
    leader = await leaderConsole(e2e, { width: 1440, height: 900 });
    const team = await howl.services.teams.resolveExisting(undefined);
    for (const cs of PACK) {
      m[cs] = await howl.services.members.add(admin, team, { name: cs, callsign: cs });
      const auth = await howl.services.tokens.authenticate(m[cs].token, ['device']);
      if (!auth) throw new Error(`no auth for ${cs}`);
      as[cs] = auth;
    }
    // The story, in real time: every member reports each second, walking out fast from the base.
    const ex = await howl.services.operations.createExercise(admin, team.id, { name: 'Night trail' });
    await howl.services.operations.act(admin, team.id, ex.id, 'start');
    const t0 = Date.now();
    for (let s = 0; s <= 26; s++) {
      for (const [i, cs] of PACK.entries()) {
        const p = destination(BASE, 40 + i * 75, 30 + s * (6 + i * 2));
        await howl.services.positions.reportFromDevice({
          deviceId: m[cs].device,
          time: new Date(),
          ...p,
          accuracyM: 5,
          source: 'osmand',
        });
      }
      if (s === 6)
        await howl.services.contacts.report(as.ISAAC, team.id, {
          count: 3,
          position: destination(BASE, 10, 200),
        });
      if (s === 12) {
        await howl.services.operations.escalate(as.SCOTT, team.id, 'Real hostiles on the trail', BASE);
        escalatedAt = Date.now();
      }
      if (s === 15) {
        const alert = (await howl.services.alerts.list(admin, team.id)).find((a) => a.type === 'escalation');
        for (const cs of PACK) if (alert) await howl.services.alerts.acknowledge(as[cs], alert.id);
      }
      if (s === 18)
        for (const cs of PACK)
          await howl.services.incidents.answerRollCall(as[cs], team.id, { status: 'ok' });
      await sleep(Math.max(0, t0 + (s + 1) * 1000 - Date.now()));
    }
    const incident = await howl.services.operations.activeOf(team.id);
    if (incident)
      await howl.services.operations.close(admin, team.id, incident.id, 'All safe', 'the leader is safe too');
  }, 240_000);

  afterAll(async () => {
    await leader?.context().close();
    await e2e?.close();
  });

  it('opens a replay from the past operations, scrubs, jumps to an event, follows the map and the list', async () => {
    // From the operation panel's past operations to the replay.
    await leader.reload();
    await leader.locator('[data-testid="past-operations"] [data-testid="replay-link"]').first().click();
    const page = leader.locator('[data-testid="replay-page"]');
    await page.waitFor();
    await leader.locator('[data-testid="replay-map"] canvas').waitFor();
    // It opens at STARTEX, before anyone's first fix; a few seconds in, everyone is on the map.
    expect(await leader.locator('[data-testid="replay-member"]').count()).toBe(0);
    const scrubber = leader.locator('[data-testid="replay-scrubber"]');
    const from = Number(await scrubber.getAttribute('min'));
    await scrubTo(scrubber, from + 3000);
    await expect.poll(() => leader.locator('[data-testid="replay-member"]').count()).toBe(PACK.length);
    await expect
      .poll(() => leader.locator('[data-testid="replay-title"]').textContent())
      .toMatch(/^EXERCISE: Night trail → REAL WORLD: /);
    const events = leader.locator('[data-testid="replay-event"]');
    expect(await events.count()).toBeGreaterThan(8);
    await expect(leader.locator('[data-testid="replay-phase-exercise"]').count()).resolves.toBe(1);
    await expect(leader.locator('[data-testid="replay-phase-incident"]').count()).resolves.toBe(1);

    // At the start: exercise, the watermark on, the first event current.
    const mode = leader.locator('[data-testid="replay-mode"]');
    await expect.poll(() => mode.textContent()).toBe('REPLAY · EXERCISE');
    await leader.locator('[data-testid="exercise-watermark"]').waitFor();
    const stiles = leader.locator('[data-testid="replay-member"][data-callsign="STILES"]');
    const startPlace = await stiles.evaluate((el) => (el as HTMLElement).style.transform);
    const clock = leader.locator('[data-testid="replay-time"]');
    const startClock = await clock.textContent();

    // Scrub to just before the escalation: the members have moved, the list has moved on, still exercise.
    await scrubTo(scrubber, escalatedAt - 2000);
    await expect.poll(() => clock.textContent()).not.toBe(startClock);
    await expect
      .poll(() => stiles.evaluate((el) => (el as HTMLElement).style.transform))
      .not.toBe(startPlace);
    const current = leader.locator('[data-testid="replay-event"][data-current="true"]');
    await expect.poll(() => current.textContent()).toMatch(/EXERCISE CONTACT|EXERCISE Contact/);
    expect(await mode.textContent()).toBe('REPLAY · EXERCISE');
    await expect
      .poll(() => leader.locator('[data-testid="replay-map"] [data-testid="contact-marker"]').count())
      .toBe(1);

    // Click the escalation in the list: the moment jumps there, the banner turns REAL WORLD.
    await events.filter({ hasText: 'REAL WORLD declared by SCOTT' }).first().click();
    await expect.poll(() => current.textContent()).toMatch(/Roll call|REAL WORLD declared by SCOTT/);
    await expect.poll(() => mode.textContent()).toBe('REPLAY · REAL');
    await leader.locator('[data-testid="mode-banner"]').waitFor();
    await expect.poll(() => leader.locator('[data-testid="exercise-watermark"]').count()).toBe(0);
    await expect.poll(() => leader.locator('[data-testid="replay-alert-marker"]').count()).toBeGreaterThan(0);
    // A moment later the roll call is out: nobody has answered yet.
    await scrubTo(scrubber, escalatedAt + 1500);
    await expect
      .poll(() => leader.locator('[data-testid="replay-accounted"]').textContent())
      .toBe('0 of 5 accounted');

    // Play at 10×: the clock runs; the next-event button stops at the acknowledgements.
    await leader.locator('[data-testid="replay-speed"]').selectOption('10');
    const before = await clock.textContent();
    await leader.locator('[data-testid="replay-play"]').click();
    await expect.poll(() => clock.textContent(), { timeout: 5000 }).not.toBe(before);
    // Pause, unless the play has already reached the end and stopped by itself (a slow machine).
    const play = leader.locator('[data-testid="replay-play"]');
    if ((await play.getAttribute('aria-pressed')) === 'true') await play.click();
    await expect.poll(() => play.getAttribute('aria-pressed')).toBe('false');
    await scrubTo(scrubber, escalatedAt + 500);
    await leader.locator('[data-testid="replay-next"]').click();
    await expect.poll(() => current.textContent()).toMatch(/acknowledged/);

    // Follow Stiles, and chart the distance between Scott and Stiles.
    await leader.locator('[data-testid="replay-follow-STILES"]').click();
    await leader.locator('[data-testid="replay-compare-SCOTT"]').check();
    await leader.locator('[data-testid="replay-compare-STILES"]').check();
    await leader.locator('[data-testid="replay-distance"] canvas').first().waitFor();
    await expect
      .poll(() => leader.locator('[data-testid="replay-distance-now"]').textContent())
      .toMatch(/\d+ m/);
    await leader.waitForTimeout(400); // the map's last frame
    await leader.screenshot({ path: join(SHOTS, 'replay.png') });
    expect(await leader.locator('[data-testid="replay-map"] [data-testid="contact-marker"]').count()).toBe(1);

    // The statistics of the same operation: every member in the table, the real alert acknowledged by
    // all four, everyone accounted for, and the three plots drawn.
    await leader.locator('[data-testid="replay-view-stats"]').click();
    await leader.locator('[data-testid="replay-stats"]').waitFor();
    expect(await leader.locator('[data-testid="stats-member"]').count()).toBeGreaterThanOrEqual(PACK.length);
    for (const cs of PACK) {
      const row = leader.locator(`[data-testid="stats-member"][data-callsign="${cs}"]`);
      await expect.poll(() => row.locator('td').nth(2).textContent()).toMatch(/^\d+ s$/);
      await expect.poll(() => row.locator('td').nth(1).textContent()).toMatch(/\d+ m/);
    }
    expect(await leader.locator('[data-testid="stats-real-at"]').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    for (const chart of ['stats-ack-chart', 'stats-accounted-chart'])
      await leader.locator(`[data-testid="${chart}"] canvas`).waitFor();
    await leader.screenshot({ path: join(SHOTS, 'replay-stats.png'), fullPage: true });
    // The report and the events are a click away, with the console's own session.
    const fetched = await leader.evaluate(async () => {
      const get = async (id: string) => {
        const a = document.querySelector(`[data-testid="${id}"]`) as HTMLAnchorElement;
        const r = await fetch(a.href);
        return [
          r.status,
          r.headers.get('content-type'),
          new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)),
        ];
      };
      return [await get('replay-report-pdf'), await get('replay-export-csv')];
    });
    expect(fetched).toEqual([
      [200, 'application/pdf', '%PDF-'],
      [200, 'text/csv; charset=utf-8', 'time,'],
    ]);
    // The hot wash: written, an action given to Scott, kept across a reload and listed as open.
    await leader.locator('[data-testid="replay-view-hotwash"]').click();
    await leader.locator('[data-testid="hotwash-went-well"]').fill('Everyone acknowledged within seconds.');
    await leader.locator('[data-testid="hotwash-to-improve"]').fill('The leader had no phone.');
    await leader.locator('[data-testid="hotwash-save"]').click();
    await expect.poll(() => leader.locator('[data-testid="hotwash-save"]').textContent()).toBe('Saved');
    await leader.locator('[data-testid="action-text"]').fill('Carry a phone at the console');
    await leader.locator('[data-testid="action-owner"]').selectOption({ label: 'SCOTT' });
    await leader.locator('[data-testid="action-due"]').fill('2027-01-15');
    await leader.locator('[data-testid="action-add"]').click();
    await leader.locator('[data-testid="hotwash-action"]').waitFor();
    await leader.screenshot({ path: join(SHOTS, 'replay-hotwash.png') });
    await leader.reload();
    await leader.locator('[data-testid="replay-view-hotwash"]').click();
    await expect
      .poll(() => leader.locator('[data-testid="hotwash-went-well"]').inputValue())
      .toBe('Everyone acknowledged within seconds.');
    expect(await leader.locator('[data-testid="hotwash-action"]').textContent()).toMatch(
      /Carry a phone at the console.*SCOTT · due 2027-01-15/,
    );
    await leader.goto(`${e2e.howl.localUrl}/#/replay`);
    await expect
      .poll(() => leader.locator('[data-testid="open-actions"]').textContent())
      .toMatch(/Carry a phone at the console/);
  }, 120_000);

  it('lists the replays under the Replay tab and refuses an unknown operation plainly', async () => {
    await leader.goto(`${e2e.howl.localUrl}/#/replay`);
    await expect.poll(() => leader.locator('[data-testid="replay-op"]').count()).toBe(2);
    await leader.goto(`${e2e.howl.localUrl}/#/replay/5b1d1f0e-8c5e-4c39-9a2f-1f6f4a1f2b3c`);
    await expect
      .poll(() => leader.locator('[data-testid="replay-error"]').textContent())
      .toMatch(/operation not found/);
  });
});
