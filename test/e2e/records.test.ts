import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const TMP = join(process.cwd(), 'tmp');

/** A `datetime-local` value in this machine's time zone (the browser runs here too). */
const localInput = (ms: number) =>
  new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

describe.skipIf(!executable)('training records and the calendar in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let leader: Page;

  beforeAll(async () => {
    mkdirSync(TMP, { recursive: true });
    e2e = await startE2E(executable ?? '', 'records');
    howl = e2e.howl;
    const team = await howl.services.teams.resolveExisting(undefined);
    const alfa = await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Alfa Smith',
      callsign: 'ALFA',
    });
    await howl.services.members.add({ kind: 'admin' }, team, {
      name: 'Rex',
      callsign: 'REX',
      kind: 'animal',
      handlerId: alfa.memberId,
    });
    leader = await leaderConsole(e2e);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('signs off a qualification that has expired: the matrix shows it red and the member not field-ready', async () => {
    await leader.evaluate(() => {
      window.location.hash = '#/records';
    });
    await leader.locator('[data-testid="readiness-matrix"]').waitFor();
    await leader.locator('[data-testid="manage-skills"]').click();
    await leader.locator('input[name="skill-name"]').fill('First aid');
    await leader.locator('input[name="skill-required"]').check();
    await leader.locator('input[name="skill-validity"]').fill('12');
    await leader.locator('.skill-form button[type="submit"]').click();
    await leader.locator('[data-testid="skill-row"][data-skill="First aid"]').waitFor();
    await leader.locator('.skill-form button', { hasText: 'Done' }).click();

    const ready = leader.locator('[data-testid="field-ready-ALFA"]');
    await expect.poll(() => ready.getAttribute('data-ready')).toBe('false');
    await expect
      .poll(() => leader.locator('[data-testid="qual-ALFA-First aid"]').getAttribute('data-status'))
      .toBe('missing');

    await leader.locator('[data-testid="readiness-row"][data-callsign="ALFA"] th button').click();
    await leader.locator('[data-testid="member-record"][data-callsign="ALFA"]').waitFor();
    const form = leader.locator('[data-testid="qualification-form"]');
    await form.locator('select[name="skill"]').selectOption({ label: 'First aid (required)' });
    await form.locator('input[name="signed-at"]').fill('2025-01-10');
    await form.locator('input[name="expires-at"]').fill('2025-07-10');
    await form.locator('input[name="note"]').fill('ERC course, Hale House');
    await form.locator('button[type="submit"]').click();
    await leader.locator('[data-testid="qualification-row"][data-skill="First aid"]').waitFor();
    await expect
      .poll(() => leader.locator('[data-testid="record-field-ready"]').getAttribute('data-ready'))
      .toBe('false');
    await expect
      .poll(() => leader.locator('[data-testid="not-ready-reasons"]').textContent())
      .toContain('First aid expired 2025-07-10');
    await leader.screenshot({ path: join(TMP, 'record.png'), fullPage: true });

    await leader.locator('button', { hasText: '← Readiness' }).click();
    await expect
      .poll(() => leader.locator('[data-testid="qual-ALFA-First aid"]').getAttribute('data-status'))
      .toBe('expired');
    const cell = leader.locator('[data-testid="qual-ALFA-First aid"]');
    const background = await cell.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(90, 35, 32)');
    expect(await ready.getAttribute('data-ready')).toBe('false');
    expect(
      await leader.locator('[data-testid="readiness-row"][data-callsign="REX"]').textContent(),
    ).toContain('K9');
  });

  it('creates a calendar session, takes attendance, and the hours table and CSV show the hours', async () => {
    await leader.evaluate(() => {
      window.location.hash = '#/calendar';
    });
    await leader.locator('[data-testid="calendar"]').waitFor();
    await leader.locator('[data-testid="new-session"]').click();
    const end = Date.now() - 3_600_000;
    const start = end - 2 * 3_600_000;
    await leader.locator('input[name="title"]').fill('Night navigation');
    await leader.locator('input[name="place"]').fill('Quarry, north gate');
    await leader.locator('input[name="starts-at"]').fill(localInput(start));
    await leader.locator('input[name="ends-at"]').fill(localInput(end));
    await leader.locator('textarea[name="notes"]').fill('Map and compass, no GPS.');
    await leader.locator('.dialog button[type="submit"]').click();

    const row = leader.locator('[data-testid="session-row"][data-title="Night navigation"]');
    await row.waitFor();
    const detail = leader.locator('[data-testid="session-detail"]');
    await detail.waitFor();
    for (const cs of ['ALFA', 'REX']) {
      await detail.locator(`[data-testid="attendance-${cs}"] button`, { hasText: 'present' }).click();
      await expect
        .poll(() => detail.locator(`[data-testid="attendance-${cs}"]`).getAttribute('data-status'))
        .toBe('present');
    }
    await leader.screenshot({ path: join(TMP, 'calendar.png'), fullPage: true });
    const saved = await howl.services.training.sessions(
      { kind: 'admin' },
      (await howl.services.teams.resolveExisting(undefined)).id,
      {},
    );
    expect(saved[0]?.attendance.filter((a) => a.status === 'present')).toHaveLength(2);

    await leader.evaluate(() => {
      window.location.hash = '#/records';
    });
    await expect.poll(() => leader.locator('[data-testid="hours-total-ALFA"]').textContent()).toBe('2.0');
    expect(await leader.locator('[data-testid="hours-total-REX"]').textContent()).toBe('2.0');
    await leader.screenshot({ path: join(TMP, 'records.png'), fullPage: true });

    const href = await leader.locator('[data-testid="hours-csv"]').getAttribute('href');
    const csv = await leader.evaluate(async (url) => {
      const res = await fetch(url ?? '');
      return {
        status: res.status,
        disposition: res.headers.get('content-disposition'),
        text: await res.text(),
      };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.disposition).toMatch(/^attachment; filename="howl-hours-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv"$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^member,callsign,(\d{4}-\d{2},){6}total$/);
    expect(lines.find((l) => l.startsWith('Alfa Smith,ALFA,'))).toMatch(/,2$/);
    expect(lines.find((l) => l.startsWith('Rex,REX,'))).toMatch(/,2$/);
  });

  it('marks members who are not field-ready and K9s in the console member list', async () => {
    await leader.evaluate(() => {
      window.location.hash = '#/';
    });
    await leader.reload();
    await leader.locator('[data-testid="not-ready-ALFA"]').waitFor({ timeout: 10_000 });
    const rex = leader.locator('[data-testid="member-row"][data-callsign="REX"]');
    await expect.poll(() => rex.textContent()).toContain('handler: ALFA');
    expect(await rex.textContent()).toContain('K9');
    await leader.screenshot({ path: join(TMP, 'records-members.png') });

    await leader.locator('button', { hasText: 'Add member' }).click();
    const dialog = leader.locator('dialog[open]');
    await dialog.locator('input[name="name"]').fill('Nala');
    await dialog.locator('input[name="callsign"]').fill('NALA');
    await dialog.locator('input[name="k9"]').check();
    await expect.poll(() => dialog.locator('select[name="handler"] option').count()).toBeGreaterThan(1);
    await dialog.locator('select[name="handler"]').selectOption({ label: 'ALFA · Alfa Smith' });
    await dialog.locator('button[type="submit"]').click();
    await dialog.locator('button', { hasText: 'Done' }).click();
    const nala = leader.locator('[data-testid="member-row"][data-callsign="NALA"]');
    await nala.waitFor();
    await expect.poll(() => nala.textContent()).toContain('handler: ALFA');

    // Changed afterwards: a new callsign and another handler, from the row's menu.
    await nala.locator('button[aria-label="Actions for NALA"]').click();
    await nala.locator('[role="menuitem"]', { hasText: 'Edit' }).click();
    const edit = leader.locator('dialog[open]');
    await edit.locator('input[name="callsign"]').fill('NALA-2');
    const handlers = edit.locator('select[name="handler"] option');
    await expect.poll(() => handlers.count()).toBeGreaterThan(1);
    const other = (await handlers.allTextContents()).find((t) => !t.startsWith('ALFA'));
    expect(other).toBeDefined();
    await edit.locator('select[name="handler"]').selectOption({ label: other ?? '' });
    await edit.locator('button[type="submit"]').click();
    const renamed = leader.locator('[data-testid="member-row"][data-callsign="NALA-2"]');
    await renamed.waitFor();
    await expect.poll(() => renamed.textContent()).toContain(`handler: ${other?.split(' · ')[0]}`);
    expect(await leader.locator('[data-testid="member-row"][data-callsign="NALA"]').count()).toBe(0);
  });
});
