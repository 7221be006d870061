import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import type { SearchPlan } from '../../src/contract/search.ts';
import { formatDistance } from '../../src/domain/geo.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };

describe.skipIf(!executable)('search planning in the console in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let leader: Page;
  let scott: AddedMember;
  let stiles: AddedMember;
  let teamId: string;

  /** Reports a member's own position over the API, as the field page does. */
  const report = async (who: AddedMember, lat: number, lon: number, timeMs: number) => {
    const res = await fetch(`${howl.localUrl}/api/positions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lat, lon, time: new Date(timeMs).toISOString(), accuracy: 5 }),
    });
    expect(res.status, await res.text()).toBe(200);
  };

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'search');
    howl = e2e.howl;
    const team = await howl.services.teams.resolveExisting(undefined);
    teamId = team.id;
    scott = await howl.services.members.add({ kind: 'admin' }, team, { name: 'Scott', callsign: 'SCOTT' });
    stiles = await howl.services.members.add({ kind: 'admin' }, team, { name: 'Stiles', callsign: 'STILES' });
    // Both at the trailhead corners of the wood, a minute before the callout: the map fits around them.
    const before = Date.now() - 60_000;
    await report(scott, BASE.lat - 0.004, BASE.lon - 0.006, before);
    await report(stiles, BASE.lat + 0.004, BASE.lon + 0.006, before);
    await howl.services.operations.callout(
      { kind: 'admin' },
      team.id,
      'Missing walker, Hale woods',
      'overdue',
    );
    // The team's detection drill: everything within 12.5 m of the track found, nothing beyond: W = 25 m.
    await howl.services.sweepWidths.set({ kind: 'admin' }, team.id, {
      method: 'lateral_range',
      resourceType: 'grid ground',
      binM: 2.5,
      trials: Array.from({ length: 11 }, (_, i) => ({ lateralRangeM: i * 2.5, detected: i * 2.5 < 12.5 })),
    });
    leader = await leaderConsole(e2e);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('draws a segment, assigns two members, and shows the POD of their walks on the map and in the table', async () => {
    await leader
      .locator('[data-testid="member-marker"][data-callsign="STILES"]')
      .waitFor({ timeout: 15_000 });
    // Headless Chromium blocks sound until a click, as a browser does before the first one: enable it.
    const enable = leader.locator('[data-testid="enable-sound"]');
    if (await enable.isVisible()) await enable.click();
    // The leader acknowledges the callout's alert, as on any real incident.
    const alarm = leader.locator('[data-testid="console-alarm-real"]');
    if (await alarm.isVisible()) {
      await alarm.click();
      await leader.locator('[data-testid="alert-card"] button', { hasText: 'Acknowledge' }).first().click();
    }
    await expect.poll(() => leader.locator('[data-testid="console-alarm"]').count()).toBe(0);
    await leader.locator('[data-testid="tab-search"]').click();
    await leader.locator('[data-testid="search-tab"][data-mode="real"]').waitFor();

    // Draw the segment: four corners around the middle of the map.
    await leader.locator('input[name="segment-name"]').fill('North wood');
    await leader.locator('button', { hasText: 'Draw on the map' }).click();
    const map = leader.locator('[data-testid="map"]');
    const box = await map.boundingBox();
    if (!box) throw new Error('the map has no box');
    const cx = box.width / 2;
    const cy = box.height / 2;
    for (const [dx, dy] of [
      [-140, -90],
      [140, -90],
      [140, 90],
      [-140, 90],
    ] as const) {
      await map.click({ position: { x: cx + dx, y: cy + dy } });
    }
    await leader.locator('button', { hasText: 'Save segment' }).click();
    const row = leader.locator('[data-testid="search-row"][data-segment="North wood"]');
    await row.waitFor();

    // POA 60 %, the rest of the world 40 %.
    await leader.locator('input[name="poa-North wood"]').fill('60');
    await leader.locator('button', { hasText: 'Set POA' }).click();
    await expect.poll(() => row.locator('td').first().textContent()).toBe('60 %');

    // Assign SCOTT and STILES as a grid search.
    const form = leader.locator('[data-testid="assign-form"]');
    await form.locator('input[name="assign-member"][value="SCOTT"]').check();
    await form.locator('input[name="assign-member"][value="STILES"]').check();
    // The team's sweep width for grid search (fitted from its detection drill) fills in the width.
    expect(await form.locator('input[name="resource-type"]').inputValue()).toBe('grid ground');
    await expect.poll(() => form.locator('input[name="sweep-width"]').inputValue()).toBe('25');
    await form.locator('button', { hasText: 'Assign' }).click();
    await expect.poll(() => row.locator('.search-assigned').textContent()).toContain('STILES');

    // The segment as drawn (a rectangle on screen is one in longitude and latitude): each searcher walks two
    // north–south lanes across it, from outside to outside. The positions are 100 ms apart, so that all of them
    // are in the past by the time they are reported (the plan counts what was walked up to now).
    const operation = await howl.services.operations.activeOf(teamId);
    const plan: SearchPlan = await howl.services.search.plan({ kind: 'admin' }, teamId, operation?.id ?? '');
    const segment = plan.segments[0];
    const startMs = Date.parse(segment?.assignments[0]?.startedAt ?? '');
    const ring = segment?.polygon.coordinates[0] ?? [];
    const lons = ring.map((p) => p[0] ?? 0);
    const lats = ring.map((p) => p[1] ?? 0);
    const [west, east, south, north] = [
      Math.min(...lons),
      Math.max(...lons),
      Math.min(...lats),
      Math.max(...lats),
    ];
    const over = (north - south) * 0.1;
    const walkLanes = async (who: AddedMember, shares: readonly number[]) => {
      let t = startMs + 1000;
      for (const [i, share] of shares.entries()) {
        const lon = west + share * (east - west);
        const [from, to] = i % 2 === 0 ? [south - over, north + over] : [north + over, south - over];
        for (let k = 0; k <= 6; k++) {
          await report(who, from + ((to - from) * k) / 6, lon, t);
          t += 100;
        }
      }
    };
    await walkLanes(scott, [0.125, 0.375]);
    await walkLanes(stiles, [0.625, 0.875]);
    // Until the last position is in the past; then both stand where they came out, which the console follows.
    await leader.waitForTimeout(Math.max(0, startMs + 3000 - Date.now()));
    await report(scott, south - over, west + 0.375 * (east - west), Date.now());
    await report(stiles, south - over, west + 0.875 * (east - west), Date.now());

    // The figures the server computes from those tracks, and what the console shows of them.
    const after = await howl.services.search.plan({ kind: 'admin' }, teamId, operation?.id ?? '');
    const pod = after.segments[0]?.cumulativePod ?? 0;
    expect(pod).toBeGreaterThan(0);
    const shown = `${(pod * 100).toFixed(0)} %`;
    await expect
      // Followed live from the positions (the periodic load while searchers are out comes only every 15 s).
      .poll(() => row.locator('[data-testid="search-cumulative-pod"]').textContent(), { timeout: 10_000 })
      .toBe(shown);
    await expect.poll(() => row.locator('[data-testid="search-pod"]').textContent()).toBe(shown);
    const label = leader.locator('[data-testid="segment-label"][data-segment="North wood"]');
    await expect.poll(() => label.textContent()).toBe(`North wood · POD ${shown}`);
    await expect
      .poll(() => leader.locator('[data-testid="search-legend"]').textContent())
      .toContain('Cumulative POD');
    await row.scrollIntoViewIfNeeded();
    await leader.screenshot({ path: join(SHOTS, 'search-pod.png') });

    // SCOTT's phone, south of the wood, shows his assignment: where the segment lies and what he walked.
    const phone = await e2e.browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: south - 0.003, longitude: (west + east) / 2, accuracy: 5 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const field = await phone.newPage();
    await field.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(scott.token)}`);
    const card = field.locator('[data-testid="field-search"][data-mode="real"]');
    await card.waitFor({ timeout: 15_000 });
    // He acknowledges the callout's alert first (press and hold), which covers the page until then.
    await field.locator('[data-testid="ack-hold"]').hover();
    await field.mouse.down();
    await field.waitForTimeout(1800);
    await field.mouse.up();
    await expect.poll(() => field.locator('[data-testid="ack-hold"]').count()).toBe(0);
    expect(await card.locator('h2').textContent()).toBe('Search: North wood');
    await expect
      .poll(() => card.locator('[data-testid="field-search-where"]').textContent())
      .toMatch(/^North wood is 3\d\d m N of you\.$/);
    const walked = after.segments[0]?.assignments.find((a) => a.memberId === scott.memberId)?.lengthInsideM;
    expect(await card.locator('[data-testid="field-search-walked"]').textContent()).toContain(
      `You walked ${formatDistance(walked ?? 0)} inside it`,
    );
    await card.scrollIntoViewIfNeeded();
    await field.screenshot({ path: join(SHOTS, 'search-field.png') });

    // The sortie, out since the assignment, is ended as a whole: both searchers are called back.
    const sortie = leader.locator('[data-testid="search-sortie"]').first();
    expect(await sortie.getAttribute('data-state')).toBe('out');
    expect(await sortie.locator('[data-testid="sortie-pod"]').textContent()).toBe(shown);
    await sortie.locator('button', { hasText: 'End sortie' }).click();
    await expect.poll(() => sortie.getAttribute('data-state')).toBe('ended');
    await expect.poll(() => row.locator('.search-assigned').textContent()).not.toContain('out');
    const ended = await howl.services.search.plan({ kind: 'admin' }, teamId, operation?.id ?? '');
    expect(ended.segments[0]?.assignments.every((a) => a.endedAt !== null)).toBe(true);
    expect(ended.segments[0]?.cumulativePod).toBeCloseTo(pod, 6);
    // The phone hears of it live: the assignment card goes.
    await expect.poll(() => card.count()).toBe(0);
    await phone.close();

    // Coloured by where the probability now lies instead.
    await leader.locator('input[name="search-colouring"][value="poa"]').check();
    const poaNow = `${((after.segments[0]?.currentPoa ?? 0) * 100).toFixed(0)} %`;
    await expect.poll(() => label.textContent()).toBe(`North wood · POA ${poaNow}`);
    await expect
      .poll(() => leader.locator('[data-testid="search-legend"]').textContent())
      .toContain('POA now');
    await leader.screenshot({ path: join(SHOTS, 'search-poa.png') });
  });

  it('sets the POA by consensus of two planners’ rankings', async () => {
    const form = leader.locator('[data-testid="consensus-form"]');
    const row = leader.locator('[data-testid="search-row"][data-segment="North wood"]');
    // The first planner ranks North wood first (2 of 3 points), the second the rest of the world first.
    await form.locator('button', { hasText: 'Add planner' }).click();
    const second = form.locator('[data-testid="planner"][data-planner="2"]');
    await second.locator('button[aria-label="Move Rest of the world up"]').click();
    expect(
      await second
        .locator('[data-testid="ranked"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-item'))),
    ).toEqual(['Rest of the world', 'North wood']);
    // Each normalised (2/3 and 1/3), then averaged: 50 % each.
    await expect
      .poll(() => form.locator('[data-testid="consensus-preview"]').textContent())
      .toBe('Consensus: North wood 50 %, rest of the world 50 %');
    await form.locator('button', { hasText: 'Apply consensus' }).click();
    await expect.poll(() => row.locator('td').first().textContent()).toBe('50 %');
    const operation = await howl.services.operations.activeOf(teamId);
    const plan = await howl.services.search.plan({ kind: 'admin' }, teamId, operation?.id ?? '');
    expect(plan.poaMethod).toBe('consensus');
    expect(plan.restOfWorld).toBeCloseTo(0.5, 9);
  });

  it('uploads the team’s lost-person table and draws a category’s distance rings around a picked point', async () => {
    const form = leader.locator('[data-testid="rings-form"]');
    const file = form.locator('input[name="distance-table"]');
    // A bad table is refused naming its line; nothing is taken.
    await file.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('category,p50_km\nHiker,far\n'),
    });
    await expect.poll(() => form.locator('.form-error').textContent()).toContain('bad.csv, line 2: p50_km');
    await file.setInputFiles({
      name: 'team-stats.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(new URL('../../docs/lost-person-distances.example.csv', import.meta.url)),
    });
    await form.locator('select[name="ring-category"]').selectOption('Example child');
    await form.locator('button', { hasText: 'Pick on the map' }).click();
    const map = leader.locator('[data-testid="map"]');
    const box = await map.boundingBox();
    if (!box) throw new Error('the map has no box');
    // South of the segment (its label sits at the middle of the map).
    await map.click({ position: { x: box.width / 2 + 60, y: box.height / 2 + 130 } });
    await expect.poll(() => form.locator('[data-testid="ipp"]').textContent()).not.toContain('not set');
    await form.locator('button', { hasText: 'Draw rings' }).click();
    const labels = leader.locator('[data-testid="ring-label"]');
    await expect
      .poll(() => labels.allTextContents())
      .toEqual(['25 % within 0.5 km', '50 % within 1.0 km', '75 % within 2.0 km', '95 % within 3.5 km']);
    // The rings and the planning point are on the map's rings layer.
    const drawn = await leader.evaluate(() =>
      [...document.querySelectorAll('[data-testid="ring-label"]')].map(
        (el) => el.getBoundingClientRect().top,
      ),
    );
    // Each larger ring's label sits further north (higher on the screen) than the smaller one's.
    expect(drawn.every((top, i) => i === 0 || top < (drawn[i - 1] ?? 0))).toBe(true);
    await leader.screenshot({ path: join(SHOTS, 'search-rings.png') });
    await form.locator('button', { hasText: 'Clear rings' }).click();
    await expect.poll(() => labels.count()).toBe(0);
  });

  it('shows a segment another leader draws, at once', async () => {
    const operation = await howl.services.operations.activeOf(teamId);
    const ring = [
      [BASE.lon + 0.01, BASE.lat],
      [BASE.lon + 0.012, BASE.lat],
      [BASE.lon + 0.012, BASE.lat + 0.002],
      [BASE.lon + 0.01, BASE.lat],
    ];
    await howl.services.search.addSegment({ kind: 'admin' }, teamId, operation?.id ?? '', {
      name: 'East meadow',
      polygon: { type: 'Polygon', coordinates: [ring] },
    });
    await expect
      .poll(() => leader.locator('[data-testid="search-row"][data-segment="East meadow"]').count(), {
        timeout: 5000,
      })
      .toBe(1);
  });
});
