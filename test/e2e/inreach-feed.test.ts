import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import { InReachPoller } from '../../src/gateways/inreach/poller.ts';
import { mapShareFeed } from '../fixtures/inreach/captures.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();

describe.skipIf(!executable)('a member’s MapShare feed in the console, in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let garmin: Server;
  let leader: Page;
  const auth: Array<string | undefined> = [];

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'inreach');
    ({ howl } = e2e);
    const when = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const kml = mapShareFeed([{ imei: '300434039999001', when, lat: 46.6, lon: 8.1 }]);
    garmin = createServer((req, res) => {
      auth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/vnd.google-earth.kml+xml' }).end(kml);
    });
    await new Promise<void>((r) => garmin.listen(0, '127.0.0.1', r));
  }, 180_000);

  afterAll(async () => {
    await new Promise((r) => garmin?.close(r));
    await e2e?.close();
  });

  it('sets the feed with its password in the member dialog; the poll stores the inReach’s point', async () => {
    leader = await leaderConsole(e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    const sat = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Sat',
      callsign: 'SAT',
      device: '300434039999001',
    });
    const row = leader.locator('[data-testid="member-row"][data-callsign="SAT"]');
    await row.waitFor();
    await row.locator('button[aria-label="Actions for SAT"]').click();
    await row.locator('[role="menuitem"]', { hasText: 'Edit' }).click();
    const url = `http://127.0.0.1:${(garmin.address() as AddressInfo).port}/Feed/Share/sat`;
    await leader.locator('input[name="mapshare-url"]').fill(url);
    await leader.locator('input[name="mapshare-password"]').fill('hunter2');
    await leader.locator('form button[type="submit"]', { hasText: 'Save' }).click();
    await leader.locator('input[name="mapshare-url"]').waitFor({ state: 'detached' });

    const feeds = await howl.services.inreach.feeds();
    expect(feeds.map((f) => [f.member_id, f.url, f.password])).toEqual([[sat.memberId, url, 'hunter2']]);
    await new InReachPoller(howl.services, {
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    }).pollAll();
    expect(auth).toEqual([`Basic ${Buffer.from(':hunter2').toString('base64')}`]);
    const latest = await howl.services.positions.latestList({ kind: 'admin' }, sat.teamId);
    expect(latest.find((p) => p.memberId === sat.memberId)).toMatchObject({
      lat: 46.6,
      lon: 8.1,
      source: 'inreach',
    });

    // Opened again: the URL is there, the password is not shown.
    await row.locator('button[aria-label="Actions for SAT"]').click();
    await row.locator('[role="menuitem"]', { hasText: 'Edit' }).click();
    // The dialog loads the member's feed after it opens.
    await expect.poll(() => leader.locator('input[name="mapshare-url"]').inputValue()).toBe(url);
    expect(await leader.locator('input[name="mapshare-password"]').inputValue()).toBe('');
    const dialog = leader.locator('form', { has: leader.locator('input[name="mapshare-url"]') });
    await expect.poll(() => dialog.textContent()).toContain('kept; type to replace');
  });

  it('shows the leader the team’s IPC Outbound URL with its secret in the team settings, on request', async () => {
    // The member dialog the first test left open closes first.
    await leader.locator('button', { hasText: 'Cancel' }).click();
    await leader.getByRole('button', { name: 'Settings', exact: true }).click();
    const box = leader.locator('[data-testid="inreach-outbound"]');
    expect(await box.locator('[data-testid="inreach-outbound-url"]').count()).toBe(0);
    await box.locator('button', { hasText: 'Show URL' }).click();
    const url = await box.locator('[data-testid="inreach-outbound-url"]').inputValue();
    const team = await howl.services.teams.resolveExisting(undefined);
    const secret = new URL(url).searchParams.get('secret') ?? '';
    expect(url).toContain('/api/inreach/outbound?secret=inreach_');
    expect(await howl.services.inreach.teamOfSecret(secret)).toBe(team.id);
    await box.locator('button', { hasText: 'New secret' }).click();
    await expect.poll(() => box.locator('[data-testid="inreach-outbound-url"]').inputValue()).not.toBe(url);
    expect(await howl.services.inreach.teamOfSecret(secret)).toBeUndefined();
  });
});
