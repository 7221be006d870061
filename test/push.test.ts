import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { type TestPushService as PushStandIn, TestPushService } from './support/push-service.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });

/**
 * Web Push end to end with real encryption: Howl signs with its VAPID key and encrypts for each subscription;
 * a push service on loopback over HTTPS checks the signature and decrypts, as a browser's would.
 */
describe.each(engines)('Web Push on $name', (engine) => {
  const stand: PushStandIn = new TestPushService();
  const allowed: string[] = [];
  const clock = new FakeClock(Date.parse('2026-12-04T10:00:00Z'));
  beforeAll(async () => {
    await stand.start();
    allowed.push(stand.origin);
  });
  const { h, d } = useHarness(engine, {
    clock,
    push: { allowedOrigins: allowed, agent: () => stand.agent },
  });
  afterAll(async () => {
    await stand.close();
  });

  let n = 0;
  const team = async () => {
    const name = `Push ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const scott = await h.addMember(name, `SCOTT${n}`);
    const stiles = await h.addMember(name, `STILES${n}`);
    return { lead, scott, stiles };
  };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who: AddedMember | null, payload?: object) =>
    h.app.inject({ method, url, headers: who ? bearer(who) : {}, payload });
  const subscribe = async (who: AddedMember) => {
    const sub = stand.subscription();
    const res = await call('POST', '/api/push/subscriptions', who, sub.json);
    expect(res.statusCode, res.body).toBe(201);
    return sub;
  };
  const subscriptions = () => d.db.selectFrom('push_subscriptions').selectAll().execute();

  it('pushes a real alert to the phones of the team, signed with the VAPID key it publishes, but not to the sender', async () => {
    const { lead, scott, stiles } = await team();
    const key = (await call('GET', '/api/push/vapid-public-key', scott, undefined)).json().publicKey;
    expect(Buffer.from(key, 'base64url')).toHaveLength(65);
    const [leadSub, stilesSub, scottSub] = [
      await subscribe(lead),
      await subscribe(stiles),
      await subscribe(scott),
    ];
    const started = Date.now();
    const sos = await call('POST', '/api/alerts/sos', scott, {
      text: 'twisted ankle',
      position: { lat: 51.05, lon: -1.31 },
    });
    expect(sos.statusCode, sos.body).toBe(201);
    const sosId = sos.json().id;
    const ofSos = (sub: typeof scottSub) => stand.of(sub).filter((p) => p.payload.alertId === sosId);
    await expect.poll(() => ofSos(stilesSub).length, { interval: 5 }).toBe(1);
    console.log(`[push] SOS → decrypted on the test push service: ${Date.now() - started} ms`);
    const [push] = ofSos(stilesSub);
    await stand.waitFor(leadSub);
    await h.services.push.settled();
    // An SOS opens an incident: its roll call asks everyone, the SOS itself goes to the others only.
    expect(ofSos(scottSub)).toEqual([]);
    expect(push?.vapidKey).toBe(key);
    expect(push?.claims.aud).toBe(stand.origin);
    expect(push?.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(push?.claims.sub).toMatch(/^(https:|mailto:)/);
    expect(push?.headers.urgency).toBe('high');
    expect(push?.payload).toMatchObject({
      title: 'REAL — NOT A DRILL',
      body: `SOS from SCOTT${n}: twisted ankle`,
      requireInteraction: true,
      actions: [{ action: 'ack', title: 'Acknowledge' }],
      alertId: sos.json().id,
    });
    const status = (await call('GET', '/api/push/status', lead)).json().members;
    expect(status.find((m: { memberId: string }) => m.memberId === stiles.memberId)).toMatchObject({
      subscriptions: 1,
      lastError: null,
      lastDeliveredAt: expect.any(String),
    });
  });

  it('pushes each re-send of an unacknowledged real alert to those who have not acknowledged it', async () => {
    const { lead, scott, stiles } = await team();
    const [leadSub, stilesSub] = [await subscribe(lead), await subscribe(stiles)];
    const sos = (await call('POST', '/api/alerts/sos', scott, { text: '' })).json();
    const ofSos = (sub: typeof leadSub) => stand.of(sub).filter((p) => p.payload.alertId === sos.id);
    await expect.poll(() => ofSos(stilesSub).length + ofSos(leadSub).length).toBe(2);
    expect((await call('POST', `/api/alerts/${sos.id}/ack`, lead)).statusCode).toBe(200);
    clock.ms += 31_000;
    await h.services.alerts.tick();
    await h.services.push.settled();
    await expect.poll(() => ofSos(stilesSub).length).toBe(2);
    expect(ofSos(stilesSub)[1]?.payload.body).toBe(`SOS from SCOTT${n} (not acknowledged yet)`);
    expect(ofSos(leadSub)).toHaveLength(1);
  });

  it('makes an exercise alert quiet and prefixed, and sends a condition only to the leader and the member it is about', async () => {
    const { lead, scott, stiles } = await team();
    const subs = {
      lead: await subscribe(lead),
      scott: await subscribe(scott),
      stiles: await subscribe(stiles),
    };
    const ex = (await call('POST', '/api/operations', lead, { name: 'Dusk drill' })).json();
    await call('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'start' });
    await call('POST', '/api/alerts/contact', scott, { count: 6, position: { lat: 51.05, lon: -1.31 } });
    const [contact] = await stand.waitFor(subs.stiles);
    expect(contact?.payload).toMatchObject({
      title: 'EXERCISE EXERCISE EXERCISE',
      body: `CONTACT: 6 hostiles reported by SCOTT${n}`,
      silent: true,
      requireInteraction: false,
    });
    expect(contact?.headers.urgency).toBe('normal');
    await h.services.alerts.raise(lead.teamId, {
      type: 'separation',
      mode: 'exercise',
      operationId: ex.id,
      senderId: null,
      subjectId: scott.memberId,
      text: 'SCOTT is 420 m from the nearest member',
    });
    await h.services.push.settled();
    const separated = (s: keyof typeof subs) =>
      stand.of(subs[s]).filter((p) => String(p.payload.body).includes('separated'));
    expect(separated('lead')).toHaveLength(1);
    expect(separated('scott')).toHaveLength(1);
    expect(separated('stiles')).toEqual([]);
  });

  it('asks whether you are coming on a callout, and whether you are OK on its roll call', async () => {
    const { lead, stiles } = await team();
    const sub = await subscribe(stiles);
    expect(
      (await call('POST', '/api/callouts', lead, { name: 'Missing walker', reason: 'Quarry' })).statusCode,
    ).toBe(201);
    const pushes = await stand.waitFor(sub, 2);
    const bodies = pushes.map((p) => p.payload);
    expect(bodies).toContainEqual(
      expect.objectContaining({
        title: 'REAL — NOT A DRILL',
        actions: [
          { action: 'responding', title: 'Responding' },
          { action: 'unavailable', title: 'Unavailable' },
        ],
      }),
    );
    expect(bodies).toContainEqual(
      expect.objectContaining({ body: 'ROLL CALL: are you OK?', rollCallId: expect.any(String) }),
    );
  });

  it('deletes a subscription its push service says is gone (410), and a member may unsubscribe', async () => {
    const { scott, stiles, lead } = await team();
    const gone = await subscribe(stiles);
    const kept = await subscribe(lead);
    stand.answer(gone, 410);
    await call('POST', '/api/alerts/sos', scott, { text: '' });
    await stand.waitFor(kept);
    await h.services.push.settled();
    expect((await subscriptions()).map((s) => s.endpoint)).not.toContain(gone.json.endpoint);
    const off = await call('DELETE', '/api/push/subscriptions', lead, { endpoint: kept.json.endpoint });
    expect(off.statusCode).toBe(204);
    expect((await subscriptions()).map((s) => s.endpoint)).not.toContain(kept.json.endpoint);
    const again = await call('DELETE', '/api/push/subscriptions', lead, { endpoint: kept.json.endpoint });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.details.field).toBe('endpoint');
  });

  it('refuses unknown push services, malformed subscriptions and strangers; nothing is stored', async () => {
    const { scott, lead } = await team();
    const good = stand.subscription().json;
    const before = (await subscriptions()).length;
    const cases: Array<[object, string]> = [
      [{ ...good, endpoint: 'https://evil.example/push/1' }, 'endpoint'],
      [{ ...good, endpoint: 'http://fcm.googleapis.com/fcm/send/1' }, 'endpoint'],
      [{ ...good, endpoint: 'https://169.254.169.254/latest' }, 'endpoint'],
      [{ ...good, endpoint: 'not a url' }, 'endpoint'],
      [{ ...good, endpoint: `https://fcm.googleapis.com/${'x'.repeat(2100)}` }, 'endpoint'],
      [{ ...good, keys: { p256dh: 'short', auth: good.keys.auth } }, 'keys.p256dh'],
      [{ ...good, keys: { p256dh: good.keys.p256dh, auth: 'not base64 !' } }, 'keys.auth'],
      [{ endpoint: good.endpoint }, 'keys'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/push/subscriptions', scott, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    expect((await call('POST', '/api/push/subscriptions', null, good)).statusCode).toBe(401);
    expect((await call('GET', '/api/push/status', scott)).statusCode).toBe(403);
    expect((await call('GET', '/api/push/vapid-public-key', null)).statusCode).toBe(401);
    expect((await subscriptions()).length).toBe(before);
    expect((await call('GET', '/api/push/status', lead)).json().members).toEqual([]);
  });
});
