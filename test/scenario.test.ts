// The story of issue "exercise → real", replayed through the real HTTP API, OsmAnd gateway
// and WebSocket of a running server: a mock attack at dusk turns into a real incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../src/app/start.ts';
import type { Alert } from '../src/contract/alerts.ts';
import type { LiveEvent, LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { destination } from '../src/domain/geo.ts';
import { engines } from './support/engines.ts';
import { handOverTeam, startServer, type TestServer } from './support/server.ts';
import { type LiveClient, openLive } from './support/ws-client.ts';

const BASE = { lat: 45.5231, lon: -122.6765 };
const PACK = ['DEREK', 'SCOTT', 'ISAAC', 'STILES', 'ALLISON', 'LYDIA'] as const;
type Callsign = (typeof PACK)[number];

describe.each(engines)('the Hale House story on $name', ({ name }) => {
  let server: TestServer;
  let howl: RunningHowl;
  let api: string;
  let osmand: string;
  const m = {} as Record<Callsign, AddedMember>;
  const live = {} as Record<Callsign, LiveClient>;
  let exerciseId = '';
  let incidentId = '';
  let escalationAlert: Alert;

  const call = async (who: Callsign, method: string, path: string, body?: object) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${m[who].token}`,
        ...(body && { 'content-type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const ok = async (who: Callsign, method: string, path: string, body?: object) => {
    const r = await call(who, method, path, body);
    expect(r.status, `${who} ${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
    return r.json;
  };
  const at = async (who: Callsign, p: { lat: number; lon: number }, alarm = '') => {
    const t = Date.now();
    const res = await fetch(
      `${osmand}/?id=${m[who].device}&lat=${p.lat}&lon=${p.lon}&timestamp=${t}&accuracy=6${alarm}`,
    );
    expect(res.status).toBe(200);
  };
  const isEvent =
    <T extends LiveEvent['type']>(
      type: T,
      pred: (e: Extract<LiveEvent, { type: T }>) => boolean = () => true,
    ) =>
    (msg: LiveMessage) =>
      msg.type === 'event' && msg.event.type === type && pred(msg.event as Extract<LiveEvent, { type: T }>);

  beforeAll(async () => {
    server = await startServer(name, 'story', { HOWL_TEAM: 'Hale pack' });
    howl = server.howl;
    api = howl.localUrl;
    osmand = `http://127.0.0.1:${howl.ports.osmand}`;
    // The pack is the whole team: the leader made at first start hands over to Derek.
    Object.assign(m, await handOverTeam(howl, PACK, { leaders: ['DEREK'] }));
    for (const cs of PACK) {
      live[cs] = openLive(`${api.replace('http', 'ws')}/api/live?token=${encodeURIComponent(m[cs].token)}`);
      await live[cs].waitFor((x) => x.type === 'snapshot');
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of Object.values(live)) await c.close();
    await server?.close();
  });

  it('1. at dusk the pack starts a mock attack: everything is exercise', async () => {
    // Re-send real alerts every 5 s so that the test can watch a re-send happen.
    await ok('DEREK', 'PATCH', '/api/team', { base: BASE, alertResendS: 5 });
    for (const [i, cs] of PACK.entries()) await at(cs, destination(BASE, i * 60, 20));
    const ex = await ok('DEREK', 'POST', '/api/operations', {
      name: 'Mock attack at the old Hale House',
      scenario: 'Stiles evades alone; Scott and Isaac track him.',
      participants: [
        { memberId: m.STILES.memberId, role: 'runner' },
        { memberId: m.SCOTT.memberId, role: 'tracker' },
        { memberId: m.ISAAC.memberId, role: 'tracker' },
        { memberId: m.DEREK.memberId, role: 'controller' },
      ],
    });
    exerciseId = ex.id;
    const started = await ok('DEREK', 'POST', `/api/operations/${exerciseId}/actions`, { action: 'start' });
    expect(started).toMatchObject({ state: 'running', mode: 'exercise' });
    const seen = await live.STILES.waitFor(isEvent('operation.updated', (e) => e.change === 'started'));
    expect(seen.type === 'event' && seen.event.mode).toBe('exercise');
    await at('STILES', destination(BASE, 10, 80));
    const pos = await live.DEREK.waitFor(
      (x) =>
        x.type === 'position' && x.position.memberId === m.STILES.memberId && x.position.mode === 'exercise',
    );
    expect(pos.type).toBe('position');
  });

  it('2. the trackers lose the runner; Isaac reports contact, still inside the drill', async () => {
    await at('STILES', destination(BASE, 20, 900));
    await at('SCOTT', destination(BASE, 40, 400));
    await at('ISAAC', destination(BASE, 60, 350));
    const contact = await ok('ISAAC', 'POST', '/api/alerts/contact', {
      count: 6,
      direction: 'north-east, in the woods',
      position: destination(BASE, 30, 600),
      text: 'Six armed people, not ours',
    });
    // A contact report during a running exercise is exercise traffic: this is Stiles's confusion.
    expect(contact).toMatchObject({ type: 'contact', mode: 'exercise', count: 6 });
    const got = await live.STILES.waitFor(isEvent('alert.updated', (e) => e.alert.id === contact.id));
    expect(got.type === 'event' && got.event.mode).toBe('exercise');
  });

  it('3. Derek declares it real: the exercise is suspended, everyone is alerted and a roll call starts', async () => {
    const incident = await ok('DEREK', 'POST', '/api/escalate', {
      reason: 'Hostiles are real. This is not practice anymore.',
      position: BASE,
    });
    incidentId = incident.id;
    expect(incident).toMatchObject({
      kind: 'incident',
      state: 'open',
      mode: 'real',
      escalatedFrom: exerciseId,
    });
    for (const cs of PACK) {
      const msg = await live[cs].waitFor(
        isEvent('alert.updated', (e) => e.change === 'raised' && e.alert.type === 'escalation'),
        2000,
      );
      if (msg.type === 'event' && msg.event.type === 'alert.updated') {
        expect(msg.event.alert.mode).toBe('real');
        escalationAlert = msg.event.alert;
      }
    }
    const rc = await live.STILES.waitFor(isEvent('rollcall.updated'));
    expect(
      rc.type === 'event' && rc.event.type === 'rollcall.updated' && rc.event.rollCall.memberIds.length,
    ).toBe(6);
    const ex = await ok('SCOTT', 'GET', `/api/operations/${exerciseId}`);
    expect(ex).toMatchObject({ state: 'suspended', escalatedTo: incidentId });
    // Escalating twice is refused.
    const twice = await call('ISAAC', 'POST', '/api/escalate', { reason: 'again' });
    expect(twice.status).toBe(409);
  });

  it('4. members acknowledge; Stiles does not, and the alert is sent to him again until he does', async () => {
    for (const cs of ['SCOTT', 'ISAAC', 'ALLISON', 'LYDIA'] as const) {
      await ok(cs, 'POST', `/api/alerts/${escalationAlert.id}/ack`);
    }
    const reminder = await live.STILES.waitFor(
      (x) => x.type === 'alert.reminder' && x.alertId === escalationAlert.id,
      12_000,
    );
    if (reminder.type === 'alert.reminder') {
      expect(reminder.memberIds).toContain(m.STILES.memberId);
      expect(reminder.memberIds).toContain(m.DEREK.memberId);
      expect(reminder.memberIds).not.toContain(m.SCOTT.memberId);
    }
    // Nobody can acknowledge for him: an ack always counts for the caller.
    await ok('DEREK', 'POST', `/api/alerts/${escalationAlert.id}/ack`);
    const alerts = (await ok('DEREK', 'GET', '/api/alerts')).alerts as Alert[];
    const a = alerts.find((x) => x.id === escalationAlert.id);
    expect(a?.acknowledgements.map((k) => k.callsign).sort()).toEqual([
      'ALLISON',
      'DEREK',
      'ISAAC',
      'LYDIA',
      'SCOTT',
    ]);
    // Derek reaches him; now he acknowledges.
    await at('DEREK', destination(BASE, 20, 880));
    await ok('STILES', 'POST', `/api/alerts/${escalationAlert.id}/ack`);
    const after = ((await ok('STILES', 'GET', '/api/alerts')).alerts as Alert[]).find(
      (x) => x.id === escalationAlert.id,
    );
    expect(after?.acknowledgements).toHaveLength(6);
  });

  it('5. the hostile contact is tracked, Derek is hurt shielding Stiles, the hostiles withdraw', async () => {
    const real = await ok('ALLISON', 'POST', '/api/alerts/contact', {
      count: 6,
      position: destination(BASE, 25, 850),
      text: 'Six, closing on Derek and Stiles',
    });
    expect(real.mode).toBe('real');
    const contacts = (await ok('DEREK', 'GET', '/api/contacts')).contacts;
    const contact = contacts.find(
      (c: { count: number; operationId: string | null }) => c.operationId === incidentId,
    );
    expect(contact).toBeDefined();
    const casualty = await ok('SCOTT', 'POST', '/api/casualties', {
      memberId: m.DEREK.memberId,
      triage: 'red',
      injuries: 'Deep lacerations, left arm and back',
    });
    expect(casualty).toMatchObject({ triage: 'red' });
    await ok('ALLISON', 'PATCH', `/api/casualties/${casualty.id}`, { care: 'Pressure dressing applied' });
    const withdrawn = await ok('ISAAC', 'PATCH', `/api/contacts/${contact.id}`, { withdrawn: 3 });
    expect(withdrawn).toMatchObject({ count: 6, withdrawn: 3 });
    const seen = await live.LYDIA.waitFor(isEvent('contact.updated', (e) => e.contact.withdrawn === 3));
    expect(seen.type).toBe('event');
  });

  it('6. the pack accounts for everyone; the incident closes only when all are accounted for', async () => {
    const early = await call('DEREK', 'POST', `/api/operations/${incidentId}/close`, {
      summary: 'too early',
    });
    expect(early.status).toBe(409);
    expect(early.json.error.details.field).toBe('override');
    for (const cs of ['SCOTT', 'ISAAC', 'STILES', 'ALLISON', 'LYDIA'] as const) {
      await ok(cs, 'POST', '/api/rollcalls/answer', { status: 'ok' });
    }
    await ok('SCOTT', 'POST', '/api/rollcalls/answer', { status: 'injured', memberId: m.DEREK.memberId });
    const board = await ok('LYDIA', 'GET', '/api/incident');
    expect(board.rollCall.answers).toHaveLength(6);
  });

  it('7. Derek recovers overnight and the incident is closed with a hot wash', async () => {
    const board = await ok('DEREK', 'GET', '/api/incident');
    const casualty = board.casualties[0];
    await ok('ALLISON', 'PATCH', `/api/casualties/${casualty.id}`, {
      recovered: true,
      care: 'Healed overnight',
    });
    const closed = await ok('DEREK', 'POST', `/api/operations/${incidentId}/close`, {
      summary: 'Hot wash: the drill hid a real threat; escalate sooner.',
    });
    expect(closed).toMatchObject({ state: 'closed', closeOverride: null });
    const ops = await ok('SCOTT', 'GET', '/api/operations');
    expect(ops.active).toBeNull();
    // What was raised during the incident is over: no alert keeps ringing on a phone.
    const alerts = (await ok('SCOTT', 'GET', '/api/alerts')).alerts as Alert[];
    expect(alerts.filter((x) => x.state === 'active')).toEqual([]);
    // The exercise record is kept, suspended.
    expect(ops.operations.find((o: { id: string }) => o.id === exerciseId)).toMatchObject({
      state: 'suspended',
    });
    // Quiet again: positions are real.
    await at('SCOTT', BASE);
    const latest = await ok('SCOTT', 'GET', '/api/positions/latest');
    expect(
      latest.features.find((f: { properties: { callsign: string } }) => f.properties.callsign === 'SCOTT')
        .properties.mode,
    ).toBe('real');
  });
});
