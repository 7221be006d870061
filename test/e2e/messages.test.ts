import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type E2E, leaderConsole, SHOTS, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const BASE = { lat: 51.0543, lon: -1.3188 };
const ADMIN = { kind: 'admin' } as const;

describe.skipIf(!executable)('team messages in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let browser: Browser;
  let leader: Page;
  let alpha: AddedMember;
  let alphaPage: Page;
  let teamId: string;
  const contexts: BrowserContext[] = [];

  const openField = async (m: AddedMember): Promise<Page> => {
    const ctx = await browser.newContext({
      ignoreHTTPSErrors: true,
      permissions: ['geolocation'],
      geolocation: { latitude: BASE.lat, longitude: BASE.lon, accuracy: 8 },
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(m.token)}`);
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
    return page;
  };
  const rows = (page: Page) => page.locator('[data-testid="message-row"]');
  const send = async (page: Page, text: string) => {
    await page.locator('[data-testid="message-input"]').fill(text);
    await page.locator('[data-testid="message-send"]').click();
  };

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'messages');
    ({ howl, browser } = e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    teamId = team.id;
    alpha = await howl.services.members.add(ADMIN, team, { name: 'Alpha', callsign: 'ALPHA' });
    leader = await leaderConsole(e2e, { width: 1366, height: 860 });
    alphaPage = await openField(alpha);
  }, 180_000);

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await e2e?.close();
  });

  it('sends from the console; the field page sees it live, marked REAL, and answers', async () => {
    await leader.locator('[data-testid="tab-messages"]').click();
    await send(leader, 'Meet at the north gate at 18:00');
    await expect.poll(() => leader.locator('[data-testid="message-input"]').inputValue()).toBe('');

    const row = rows(alphaPage).first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-mode')).toBe('real');
    expect(await row.textContent()).toContain('Meet at the north gate at 18:00');
    expect(await row.textContent()).toContain('REAL');
    expect(await row.textContent()).not.toContain('EXERCISE');

    await send(alphaPage, 'On my way');
    await expect.poll(() => rows(leader).first().textContent(), { timeout: 10_000 }).toContain('On my way');
    expect(await rows(leader).first().textContent()).toContain('ALPHA');
  });

  it('marks messages during an exercise blue with the EXERCISE prefix, unlike real ones', async () => {
    const ex = await howl.services.operations.createExercise(ADMIN, teamId, {
      name: 'Evening drill',
      scenario: '',
      participants: [],
      injects: [],
    });
    await howl.services.operations.act(ADMIN, teamId, ex.id, 'start');
    await leader.locator('[data-testid="exercise-watermark"]').waitFor({ timeout: 10_000 });
    await send(leader, 'Runner released');
    const row = rows(alphaPage).filter({ hasText: 'Runner released' });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-mode')).toBe('exercise');
    expect(await row.locator('.message-text').textContent()).toBe(
      'EXERCISE EXERCISE EXERCISE — Runner released',
    );
    const real = rows(alphaPage).filter({ hasText: 'Meet at the north gate' });
    const look = (loc: typeof row) =>
      loc.evaluate((el) => {
        const s = getComputedStyle(el);
        return `${s.borderStyle} ${s.borderColor} ${s.backgroundImage}`;
      });
    expect(await look(row)).not.toBe(await look(real));
    expect(await alphaPage.locator('[data-testid="message-send"]').textContent()).toContain('exercise');
    await alphaPage.screenshot({ path: join(SHOTS, 'field-messages.png'), fullPage: true });
    await leader.screenshot({ path: join(SHOTS, 'console-messages.png') });
  });

  it('shows the server error and keeps the text when a message is refused', async () => {
    await leader.evaluate(() => {
      const orig = window.fetch;
      window.fetch = (input, init) =>
        String(input).includes('/api/messages') && init?.method === 'POST'
          ? Promise.resolve(
              new Response(
                JSON.stringify({ error: { code: 'invalid_input', message: 'text: must not be empty' } }),
                {
                  status: 400,
                  headers: { 'content-type': 'application/json' },
                },
              ),
            )
          : orig(input, init);
    });
    await send(leader, 'this one is refused');
    await leader.locator('.message-form .error', { hasText: 'text: must not be empty' }).waitFor();
    expect(await leader.locator('[data-testid="message-input"]').inputValue()).toBe('this one is refused');
  });
});
