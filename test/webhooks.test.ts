import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Outbound webhooks against a real HTTP receiver on loopback that checks signatures and can fail on purpose. */
describe.each(engines)('webhooks on $name', (engine) => {
  const clock = new FakeClock(Date.parse('2026-12-04T10:00:00Z'));
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  const received: Received[] = [];
  /** Answers per path and event ("/sms real_alert"), used in turn (then 200). */
  const answers = new Map<string, number[]>();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const path = req.url ?? '';
        received.push({ path, headers: req.headers, body });
        const event = String(req.headers['x-howl-event']);
        res.writeHead(answers.get(`${path} ${event}`)?.shift() ?? 200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${who.token}` }, payload });
  const at = (path: string) => received.filter((r) => r.path === path);
  const verified = (r: Received, secret: string) => {
    const [t, v1] = String(r.headers['x-howl-signature'])
      .split(',')
      .map((p) => p.split('=')[1]);
    return createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex') === v1;
  };

  it('posts a real alert signed with the secret, and retries after a 500 until it is taken', async () => {
    const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    const scott = await h.addMember('Pack', 'SCOTT');
    const created = await call('POST', '/api/webhooks', lead, {
      url: `${base}/sms`,
      events: ['real_alert', 'callout'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json();
    expect(secret).toMatch(/^whsec_/);
    answers.set('/sms real_alert', [500]);
    await call('POST', '/api/alerts/sos', scott, { text: 'fell', position: { lat: 51.05, lon: -1.31 } });
    // The SOS opened an incident: its callout goes too; the SOS is refused once and waits for its retry.
    await expect.poll(() => at('/sms').length).toBe(2);
    // The refusal is recorded (with its retry time, from the clock) before the clock moves on.
    const sosAttempts = async () => {
      const hooks = (await call('GET', '/api/webhooks', lead)).json().webhooks;
      const recent = hooks.find((w: { id: string }) => w.id === id).recent;
      return recent.find((r: { event: string }) => r.event === 'real_alert')?.attempts;
    };
    await expect.poll(sosAttempts).toBe(1);
    clock.ms += 6000;
    await h.services.webhooks.pump();
    const sos = at('/sms').filter((r) => JSON.parse(r.body).event === 'real_alert');
    expect(sos).toHaveLength(2);
    expect(sos[0]?.body).toBe(sos[1]?.body);
    for (const r of at('/sms')) expect(verified(r, secret)).toBe(true);
    const body = JSON.parse(sos[1]?.body ?? '{}');
    expect(body).toMatchObject({
      event: 'real_alert',
      mode: 'real',
      team: { name: 'Pack' },
      text: 'REAL — NOT A DRILL — SOS from SCOTT: fell (51.05000, -1.31000)',
      alert: { type: 'sos', sender: 'SCOTT' },
    });
    expect(sos[1]?.headers['x-howl-event']).toBe('real_alert');
    const hooks = (await call('GET', '/api/webhooks', lead)).json().webhooks;
    const recent = hooks.find((w: { id: string }) => w.id === id).recent;
    expect(recent.find((r: { event: string }) => r.event === 'real_alert')).toMatchObject({
      state: 'delivered',
      attempts: 2,
      lastStatus: 200,
    });
    expect(JSON.stringify(hooks)).not.toContain(secret);
  });

  it('marks an exercise alert as exercise, and sends only the events a webhook asked for', async () => {
    const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    const scott = await h.addMember('Pack', 'SCOTT');
    await call('POST', '/api/webhooks', lead, { url: `${base}/chat`, events: ['exercise_alert'] });
    await call('POST', '/api/webhooks', lead, { url: `${base}/pager`, events: ['rollcall'] });
    const ex = (await call('POST', '/api/operations', lead, { name: 'Drill' })).json();
    await call('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'start' });
    await call('POST', '/api/alerts/contact', scott, { count: 3, position: { lat: 51.05, lon: -1.31 } });
    await h.services.webhooks.pump();
    await expect.poll(() => at('/chat').length).toBe(1);
    const body = JSON.parse(at('/chat')[0]?.body ?? '{}');
    expect(body.mode).toBe('exercise');
    expect(body.text).toMatch(/^EXERCISE EXERCISE EXERCISE — CONTACT: 3 hostiles reported by SCOTT/);
    expect(at('/pager')).toEqual([]);
  });

  it('gives up after the last attempt, and refuses bad webhooks and plain members; nothing is stored', async () => {
    const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    const scott = await h.addMember('Pack', 'SCOTT');
    await call('POST', '/api/webhooks', lead, { url: `${base}/down`, events: ['real_alert'] });
    answers.set('/down real_alert', Array(20).fill(503));
    await call('POST', '/api/alerts/sos', scott, {});
    const tries = () => at('/down').filter((r) => JSON.parse(r.body).event === 'real_alert').length;
    await expect.poll(tries).toBe(1);
    for (let i = 0; i < 10; i++) {
      await h.services.webhooks.pump();
      clock.ms += 3_600_000;
    }
    expect(tries()).toBe(8);
    const rows = await d.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event', '=', 'real_alert')
      .execute();
    expect(rows.map((r) => [r.state, r.attempts, r.last_error])).toEqual([['failed', 8, 'HTTP 503']]);

    const before = (await d.db.selectFrom('webhooks').selectAll().execute()).length;
    const cases: Array<[object, string]> = [
      [{ url: 'ftp://example.org/x', events: ['real_alert'] }, 'url'],
      [{ url: 'javascript:alert(1)', events: ['real_alert'] }, 'url'],
      [{ url: `${base}/x`, events: [] }, 'events'],
      [{ url: `${base}/x`, events: ['everything'] }, 'events.0'],
      [{ url: `${base}/x`, events: ['real_alert'], secret: 'short' }, 'secret'],
      [{ url: `${base}/${'x'.repeat(2100)}`, events: ['real_alert'] }, 'url'],
    ];
    for (const [payload, field] of cases) {
      const res = await call('POST', '/api/webhooks', lead, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    expect(
      (await call('POST', '/api/webhooks', scott, { url: `${base}/x`, events: ['real_alert'] })).statusCode,
    ).toBe(403);
    expect((await call('GET', '/api/webhooks', scott)).statusCode).toBe(403);
    expect((await d.db.selectFrom('webhooks').selectAll().execute()).length).toBe(before);
  });
});
