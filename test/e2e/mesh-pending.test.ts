import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import { enrolmentCodeIn } from '../../src/services/devices/tak.service.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();

describe.skipIf(!executable)('Meshtastic radios waiting, in the console, in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let leader: Page;

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'mesh');
    ({ howl } = e2e);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('lists a held node that sent the team’s code, and approves it for a member', async () => {
    leader = await leaderConsole(e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    const river = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'River',
      callsign: 'RIVER',
    });
    await leader.getByRole('button', { name: 'Actions for RIVER' }).click();
    await leader.getByRole('menuitem', { name: /Connect/ }).click();
    await leader.locator('[data-testid="open-tak"]').click();
    const dialog = leader.locator('[data-testid="tak-dialog"]');
    const code = (await dialog.locator('[data-testid="tak-enrolment-code"]').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // What the gateway does with a text from an unknown node carrying the code (see meshtastic-mqtt.test.ts).
    const teamId = howl.services.tak.claim(enrolmentCodeIn(code) ?? '');
    expect(teamId).toBe(team.id);
    howl.services.meshtastic.hold({
      uid: '!0badcafe',
      type: 'text',
      remote: 'msh/EU_868/2/json/SAR/!0a0b0c0d',
      position: { lat: 46.5, lon: 7.9, time: new Date() },
      name: 'River radio',
      teamId,
    });
    const row = dialog.locator('[data-testid="mesh-pending-row"][data-node="!0badcafe"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('River radio');
    await row.locator('button', { hasText: 'Approve' }).click();
    await dialog.locator('[data-testid="mesh-approved"]').waitFor();
    expect(await dialog.locator('[data-testid="mesh-approved"]').textContent()).toBe(
      '!0badcafe is now a device of RIVER.',
    );
    expect(await howl.services.devices.owner('!0badcafe')).toMatchObject({ memberId: river.memberId });
  });
});
