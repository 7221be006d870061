import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { chromiumPath } from '../support/chromium.ts';
import { consoleAs, type E2E, startE2E } from '../support/e2e.ts';

const executable = chromiumPath();
const ADMIN = { kind: 'admin' } as const;

/**
 * Markup that runs script if it is ever put into the page as HTML: each one, if it ran, would count in
 * `window.__xss`, and would leave an element with an event handler or a `javascript:` link in the DOM.
 */
const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '"><svg onload="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '<a href="javascript:window.__xss=1">link</a>',
  '{{constructor.constructor("window.__xss=1")()}}',
];
const P = (i: number, what: string) => `${what} ${PAYLOADS[i % PAYLOADS.length]}`;

/** Whether the page ran or built any of the payloads, and whether it shows them as text. */
async function inspect(page: Page): Promise<{ ran: unknown; injected: number; shown: boolean }> {
  return page.evaluate(() => ({
    ran: (window as unknown as { __xss?: unknown }).__xss,
    injected: document.querySelectorAll(
      '[onerror], [onload], img[src="x"], a[href^="javascript:"], body script:not([src])',
    ).length,
    shown: (document.body.textContent ?? '').includes('onerror="window.__xss'),
  }));
}

describe.skipIf(!executable)('user text in Chromium', () => {
  let e2e: E2E;
  let howl: RunningHowl;
  let member: AddedMember;
  const pages: Page[] = [];

  beforeAll(async () => {
    e2e = await startE2E(executable ?? '', 'xss');
    ({ howl } = e2e);
    const team = await howl.services.teams.resolveExisting(undefined);
    const lead = await howl.services.members.add(ADMIN, team, {
      name: P(0, 'Lead'),
      callsign: 'LEAD',
      role: 'leader',
    });
    member = await howl.services.members.add(ADMIN, team, { name: P(1, 'Runner'), callsign: 'RUNNER' });
    const api = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${howl.localUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    await api('PATCH', '/api/team', { name: P(2, 'Team').slice(0, 80) });
    await api('POST', '/api/skills', { name: P(3, 'Skill').slice(0, 80) });
    await api('POST', '/api/drills', {
      name: P(0, 'Drill').slice(0, 120),
      runnerId: member.memberId,
      trackerIds: [lead.memberId],
    });
    await api('POST', '/api/operations', {
      name: P(1, 'Exercise').slice(0, 120),
      scenario: P(2, 'Scenario'),
      injects: [{ offsetS: 60, message: P(3, 'Inject') }],
    });
    await api('POST', '/api/messages', { text: P(0, 'Message') });
    await api('POST', '/api/alerts/contact', { count: 2, text: P(1, 'Contact') });
  }, 180_000);

  afterAll(async () => {
    for (const p of pages) await p.close();
    await e2e?.close();
  });

  it('shows it as text in every console view, running none of it', async () => {
    const page = await consoleAs(e2e, 'LEAD', { width: 1440, height: 900 });
    pages.push(page);
    let shownSomewhere = false;
    const check = async (where: string) => {
      await page.waitForTimeout(400);
      const r = await inspect(page);
      expect(r.ran, where).toBeUndefined();
      expect(r.injected, where).toBe(0);
      shownSomewhere ||= r.shown;
    };
    await check('map');
    for (const tab of ['operation', 'alerts', 'messages', 'incident']) {
      const button = page.locator(`[data-testid="tab-${tab}"]`);
      if (await button.count()) {
        await button.click();
        await check(`tab ${tab}`);
      }
    }
    for (const view of ['drills', 'records', 'calendar', 'replay']) {
      await page.goto(`${howl.localUrl}/#/${view}`);
      await check(`view ${view}`);
    }
    await page.goto(`${howl.localUrl}/#/records/${member.memberId}`);
    await check('a member’s record');
    // Rendered, not dropped: the markup is on the page as the words typed.
    expect(shownSomewhere).toBe(true);
    // The check sees markup that was put in as HTML (and the CSP keeps its handler from running).
    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), PAYLOADS[0] ?? '');
    expect(await inspect(page)).toMatchObject({ ran: undefined, injected: 1 });
  });

  it('shows it as text on the field page, running none of it', async () => {
    const ctx = await e2e.browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await ctx.newPage();
    pages.push(page);
    await page.goto(`https://127.0.0.1:${howl.ports.https}/field#token=${encodeURIComponent(member.token)}`);
    await page.locator('.field-head .live-status.live-live').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(800);
    const r = await inspect(page);
    expect(r.ran).toBeUndefined();
    expect(r.injected).toBe(0);
    expect(r.shown).toBe(true);
  });
});
