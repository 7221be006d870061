import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import { ATAK_SA_GEMINI, retime, withUid } from '../fixtures/cot/captures.ts';
import { atakGeoChat } from '../fixtures/cot/geochat.ts';
import { TakClient } from '../fixtures/cot/tak-client.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();

describe.skipIf(!executable)('TAK onboarding in the console, in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let leader: Page;
  let tak: TakClient | undefined;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'tak');
    ({ howl } = e2e);
  }, 180_000);

  afterAll(async () => {
    tak?.close();
    await e2e?.close();
  });

  it('shows host, ports and QR, lists a waiting TAK device, and approves it for a member', async () => {
    leader = await leaderConsole(e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    const river = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'River',
      callsign: 'RIVER',
    });
    await leader.locator('[data-testid="member-row"][data-callsign="RIVER"]').waitFor();

    // A TAK client nobody registered connects and reports.
    const uid = 'ANDROID-e2e-waiting-0001';
    tak = await TakClient.connect(howl.ports.cot);
    const sa = (lat: number) =>
      retime(
        withUid(ATAK_SA_GEMINI, uid)
          .replace(/lat="[^"]*"/, `lat="${lat}"`)
          .replace(/lon="[^"]*"/, 'lon="-1.31"'),
      );
    tak.send(sa(51.05));
    await tak.sync();

    await leader.getByRole('button', { name: 'Actions for RIVER' }).click();
    await leader.getByRole('menuitem', { name: /Connect/ }).click();
    await leader.locator('[data-testid="open-tak"]').click();
    const dialog = leader.locator('[data-testid="tak-dialog"]');
    await dialog.waitFor();
    await expect
      .poll(() => dialog.locator('[data-testid="tak-tcp-port"]').textContent())
      .toBe(String(howl.ports.cot));
    expect(await dialog.locator('[data-testid="tak-tls-port"]').textContent()).toBe(
      String(howl.ports.cotTls),
    );
    expect(await dialog.locator('[data-testid="tak-host"]').textContent()).toBe(
      new URL(howl.urls.publicUrl).hostname,
    );
    await dialog.locator('[data-testid="tak-qr"] svg').waitFor();
    expect(await dialog.locator('[data-testid="tak-package-tls"]').getAttribute('href')).toBe(
      '/api/tak/package.zip?tls=1',
    );

    // Nothing a TAK client sends names a team: its user sends the team's enrolment code, shown here, as a
    // chat message, and only then does the device wait in this team's list.
    const code = (await dialog.locator('[data-testid="tak-enrolment-code"]').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    tak.send(atakGeoChat({ uid, messageId: 'e2e-enrolment-1', xmlText: code }));
    await tak.sync();
    const row = dialog.locator(`[data-testid="tak-pending-row"][data-uid="${uid}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toMatch(/GEMINI/);
    expect(await row.locator('[data-testid="tak-pending-position"]').textContent()).toMatch(/51\.05/);
    // Opened from RIVER's Connect dialog: RIVER is preselected.
    expect(await row.locator('[data-testid="tak-approve-member"]').inputValue()).toBe(river.memberId);
    await leader.screenshot({ path: join(SHOTS, 'tak-dialog.png') });
    await row.locator('[data-testid="tak-approve"]').click();
    await expect
      .poll(() => dialog.locator('[data-testid="tak-approved"]').textContent())
      .toMatch(/now a device of RIVER/);
    await dialog.locator(`[data-testid="tak-pending-row"][data-uid="${uid}"]`).waitFor({ state: 'detached' });

    // The same connection, not reconnected, now reports as RIVER: the leader's map shows it.
    tak.send(sa(51.06));
    await tak.sync();
    const latest = await howl.services.positions.latest({ kind: 'admin' }, team.id);
    const f = latest.features.find((x) => x.properties.callsign === 'RIVER');
    expect(f?.geometry.coordinates[1]).toBeCloseTo(51.06, 5);
  });
});
