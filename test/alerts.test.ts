import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/contract/alerts.ts';
import type { LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { buildOsmAndServer } from '../src/gateways/osmand/server.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });
const BASE = { lat: 47.37, lon: 8.54 };
const START = Date.parse('2026-11-25T16:00:00Z');

describe.each(engines)('alerts on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let osmand: FastifyInstance;
  let lead: AddedMember;
  let alfa: AddedMember;
  let bravo: AddedMember;
  let teamId: string;
  let live: LiveMessage[];

  beforeAll(async () => {
    osmand = await buildOsmAndServer(h.services.positions, { logger: false });
  });
  beforeEach(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    alfa = await h.addMember('Pack', 'ALFA');
    bravo = await h.addMember('Pack', 'BRAVO');
    teamId = lead.teamId;
    live = [];
    h.services.bus.subscribe(teamId, (m) => live.push(m));
  });
  afterAll(async () => {
    await osmand?.close();
  });

  const send = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    who: AddedMember | Headers,
    payload?: object,
  ) => h.app.inject({ method, url, headers: 'token' in who ? bearer(who as AddedMember) : who, payload });
  const post = (url: string, who: AddedMember, payload?: object) => send('POST', url, who, payload);
  const list = async (who: AddedMember = lead): Promise<Alert[]> => {
    const res = await send('GET', '/api/alerts', who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().alerts;
  };
  const contact = async (who: AddedMember, body: object = { count: 6 }): Promise<Alert> => {
    const res = await post('/api/alerts/contact', who, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const exercise = async (extra: object = {}) => {
    const res = await post('/api/operations', lead, { name: 'Mock attack at dusk', ...extra });
    expect(res.statusCode, res.body).toBe(201);
    const start = await post(`/api/operations/${res.json().id}/actions`, lead, { action: 'start' });
    expect(start.statusCode, start.body).toBe(200);
    return start.json() as { id: string };
  };
  const active = async () => (await send('GET', '/api/operations', lead)).json().active;
  const fix = (m: AddedMember, p = BASE, alarm?: string) =>
    h.services.positions.reportFromDevice({
      deviceId: m.device,
      time: clock.now(),
      lat: p.lat,
      lon: p.lon,
      source: 'osmand',
      alarm,
    });
  const count = async (table: 'alerts' | 'alert_acks' | 'contacts' | 'operations') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  const eventsAfter = (seq: number) =>
    d.db
      .selectFrom('events')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('seq', '>', seq)
      .orderBy('seq')
      .execute();
  const reminders = () => live.flatMap((m) => (m.type === 'alert.reminder' ? [m] : []));

  describe('listing', () => {
    it('lists active alerts first, then newest first, with type, mode, sender, time, position and acknowledgements', async () => {
      const a = await contact(alfa, { count: 6, position: BASE, direction: 'north-east, 200 m' });
      clock.ms += 60_000;
      const b = await contact(bravo, { count: 2 });
      clock.ms += 60_000;
      const c = await contact(lead, { count: 1, text: 'one more on the ridge' });
      expect((await post(`/api/alerts/${b.id}/cancel`, bravo, {})).statusCode).toBe(200);
      clock.ms += 5_000;
      expect((await post(`/api/alerts/${a.id}/ack`, lead)).statusCode).toBe(200);

      const alerts = await list(alfa);
      expect(alerts.map((x) => x.id)).toEqual([c.id, a.id, b.id]);
      expect(alerts.map((x) => x.state)).toEqual(['active', 'active', 'cancelled']);
      expect(alerts[1]).toEqual({
        id: a.id,
        type: 'contact',
        mode: 'real',
        state: 'active',
        operationId: null,
        senderId: alfa.memberId,
        sender: 'ALFA',
        subjectId: null,
        subject: null,
        time: new Date(START).toISOString(),
        position: BASE,
        count: 6,
        direction: 'north-east, 200 m',
        text: '',
        acknowledgements: [
          { memberId: lead.memberId, callsign: 'LEAD', time: new Date(START + 125_000).toISOString() },
        ],
        cancelledBy: null,
        cancelledAt: null,
        cancelReason: null,
      });
      expect(alerts[0]).toMatchObject({ sender: 'LEAD', text: 'one more on the ridge', position: null });
    });

    it("shows a team only its own alerts, and needs a member's token", async () => {
      await contact(alfa);
      const other = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
      expect(await list(other)).toEqual([]);
      expect((await send('GET', '/api/alerts', {})).statusCode).toBe(401);
      expect((await send('GET', '/api/alerts', { authorization: `Bearer ${ADMIN_SECRET}` })).statusCode).toBe(
        400,
      );
    });

    it('documents its routes in the OpenAPI document', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/alerts',
          '/api/alerts/sos',
          '/api/alerts/contact',
          '/api/alerts/{alertId}/ack',
          '/api/alerts/{alertId}/cancel',
          '/api/contacts',
          '/api/contacts/{contactId}',
        ]),
      );
      expect(doc.paths['/api/alerts'].get.tags).toEqual(['alerts']);
    });

    it('puts the active alerts in the live snapshot', async () => {
      const a = await contact(alfa);
      const b = await contact(bravo);
      await post(`/api/alerts/${b.id}/cancel`, bravo, {});
      const [snapshot] = await h.services.live.catchUp(
        { kind: 'member', memberId: lead.memberId, teamId, role: 'leader', tokenId: '', via: 'device' },
        teamId,
      );
      expect(snapshot?.type === 'snapshot' && snapshot.alerts.map((x) => x.id)).toEqual([a.id]);
    });
  });

  describe('SOS', () => {
    it('is real and escalates a running exercise, alerting everyone from the sender', async () => {
      const ex = await exercise();
      const seq = await lastSeq(d.db, teamId);
      const res = await post('/api/alerts/sos', alfa, { position: BASE, text: 'ankle, cannot walk' });
      expect(res.statusCode, res.body).toBe(201);
      const sos = res.json() as Alert;
      const incident = await active();
      expect(incident).toMatchObject({ kind: 'incident', state: 'open', escalatedFrom: ex.id });
      expect(sos).toMatchObject({
        type: 'sos',
        mode: 'real',
        state: 'active',
        sender: 'ALFA',
        senderId: alfa.memberId,
        position: BASE,
        text: 'ankle, cannot walk',
        operationId: incident.id,
      });
      const alerts = await list();
      expect(alerts.map((a) => [a.type, a.mode, a.sender])).toEqual([
        ['sos', 'real', 'ALFA'],
        ['escalation', 'real', 'ALFA'],
      ]);
      expect(alerts[1]).toMatchObject({ text: 'SOS from ALFA', position: BASE, operationId: incident.id });
      // Suspended, opened, the escalation and the SOS (and the roll call it starts): all real.
      const events = await eventsAfter(seq);
      expect(events.every((e) => e.mode === 'real')).toBe(true);
      expect(events.filter((e) => e.type !== 'rollcall.updated').map((e) => e.type)).toEqual([
        'operation.updated',
        'operation.updated',
        'alert.updated',
        'alert.updated',
      ]);
      const published = live.flatMap((m) => (m.type === 'event' && m.event.seq > seq ? [m.event.seq] : []));
      expect(published).toEqual(events.map((e) => Number(e.seq)));
    });

    it('opens an incident when none is open, and is one SOS however often it is pressed', async () => {
      await fix(alfa, { lat: 47.4, lon: 8.5 });
      const first = (await post('/api/alerts/sos', alfa, {})).json() as Alert;
      expect(first).toMatchObject({ mode: 'real', position: { lat: 47.4, lon: 8.5 } }); // last known position
      expect(await active()).toMatchObject({ kind: 'incident', escalatedFrom: null });
      const again = await post('/api/alerts/sos', alfa, {});
      expect(again.statusCode).toBe(201);
      expect(again.json().id).toBe(first.id);
      clock.ms += 1_000;
      const second = (await post('/api/alerts/sos', bravo, {})).json() as Alert;
      expect(second.operationId).toBe(first.operationId);
      expect(await count('operations')).toBe(1);
      expect((await list()).map((a) => `${a.type} ${a.sender}`)).toEqual([
        'sos BRAVO',
        'sos ALFA',
        'escalation ALFA',
      ]);
    });

    it("from a device's alarm=sos (OsmAnd) escalates a running exercise too", async () => {
      const ex = await exercise();
      const t = Math.floor(clock.ms / 1000);
      const res = await osmand.inject({
        method: 'GET',
        url: `/?id=${alfa.device}&lat=47.38&lon=8.55&timestamp=${t}&alarm=sos`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await active()).toMatchObject({ kind: 'incident', escalatedFrom: ex.id });
      const alerts = await list();
      expect(alerts.map((a) => [a.type, a.mode, a.sender])).toEqual([
        ['sos', 'real', 'ALFA'],
        ['escalation', 'real', 'ALFA'],
      ]);
      expect(alerts[0]?.position).toEqual({ lat: 47.38, lon: 8.55 });
      expect(alerts[1]?.text).toBe('SOS from ALFA');
      // The device keeps sending its alarm: still one SOS.
      await fix(alfa, BASE, 'sos');
      expect((await list()).filter((a) => a.type === 'sos')).toHaveLength(1);
    });

    it('ignores device alarms that are not a call for help', async () => {
      await exercise();
      await fix(alfa, BASE, 'lowBattery');
      await fix(alfa, BASE, 'powerCut');
      expect(await list()).toEqual([]);
      expect((await active()).kind).toBe('exercise');
      await fix(bravo, BASE, 'PANIC');
      expect((await list()).map((a) => a.type)).toEqual(['sos', 'escalation']);
    });
  });

  describe('contact reports', () => {
    it('are exercise traffic during a running exercise, with a marker', async () => {
      const ex = await exercise();
      const seq = await lastSeq(d.db, teamId);
      const a = await contact(alfa, { count: 6, position: BASE, direction: 'woods, north', text: 'armed' });
      expect(a).toMatchObject({ type: 'contact', mode: 'exercise', count: 6, operationId: ex.id });
      expect((await eventsAfter(seq)).map((e) => [e.type, e.mode])).toEqual([
        ['alert.updated', 'exercise'],
        ['contact.updated', 'exercise'],
      ]);
      const contacts = (await send('GET', '/api/contacts', bravo)).json().contacts;
      expect(contacts).toEqual([
        {
          id: expect.any(String),
          operationId: ex.id,
          count: 6,
          withdrawn: 0,
          position: BASE,
          direction: 'woods, north',
          text: 'armed',
          reportedBy: alfa.memberId,
          time: new Date(START).toISOString(),
          updatedAt: new Date(START).toISOString(),
        },
      ]);
    });

    it('are real outside an exercise', async () => {
      const a = await contact(alfa, { count: 2 });
      expect(a).toMatchObject({ mode: 'real', operationId: null });
      const ex = await exercise();
      await post(`/api/operations/${ex.id}/actions`, lead, { action: 'end' });
      expect((await contact(alfa, { count: 3 })).mode).toBe('real');
    });

    it('update the marker as reports come in: three of six withdrawing', async () => {
      await contact(alfa, { count: 6 });
      const [c] = (await send('GET', '/api/contacts', lead)).json().contacts;
      const seq = await lastSeq(d.db, teamId);
      clock.ms += 60_000;
      const res = await send('PATCH', `/api/contacts/${c.id}`, bravo, {
        withdrawn: 3,
        text: 'three withdrawing',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        count: 6,
        withdrawn: 3,
        text: 'three withdrawing',
        updatedAt: clock.now().toISOString(),
      });
      const events = await eventsAfter(seq);
      expect(events.map((e) => [e.type, e.mode])).toEqual([['contact.updated', 'real']]);

      for (const [body, field] of [
        [{ withdrawn: 7 }, 'withdrawn'],
        [{ count: 2 }, 'withdrawn'],
        [{ withdrawn: -1 }, 'withdrawn'],
        [{ count: 'six' }, 'count'],
        [{ position: { lat: 91, lon: 8 } }, 'position.lat'],
      ] as const) {
        const bad = await send('PATCH', `/api/contacts/${c.id}`, bravo, body);
        expect(bad.statusCode, JSON.stringify(body)).toBe(400);
        expect(bad.json().error.details.field).toBe(field);
        expect(bad.json().error.message).toMatch(new RegExp(`^${field}: `));
      }
      expect(
        (await send('PATCH', '/api/contacts/nope', bravo, { withdrawn: 1 })).json().error.details.field,
      ).toBe('contactId');
      const other = await h.addMember('Other pack', 'OTHER');
      expect((await send('PATCH', `/api/contacts/${c.id}`, other, { withdrawn: 1 })).statusCode).toBe(404);
      expect(await lastSeq(d.db, teamId)).toBe(seq + 1);
      expect((await send('GET', '/api/contacts', lead)).json().contacts[0]).toMatchObject({
        count: 6,
        withdrawn: 3,
      });
    });
  });

  describe('acknowledging', () => {
    it('records the caller only, once: a second ack changes nothing', async () => {
      const a = await contact(lead);
      const seq = await lastSeq(d.db, teamId);
      clock.ms += 3_000;
      // A body naming someone else is ignored: one acknowledges for oneself.
      const res = await post(`/api/alerts/${a.id}/ack`, alfa, { memberId: bravo.memberId });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().acknowledgements).toEqual([
        { memberId: alfa.memberId, callsign: 'ALFA', time: clock.now().toISOString() },
      ]);
      const events = await eventsAfter(seq);
      expect(events.map((e) => [e.type, e.mode, e.actor_id])).toEqual([
        ['alert.updated', 'real', alfa.memberId],
      ]);
      clock.ms += 3_000;
      const again = await post(`/api/alerts/${a.id}/ack`, alfa);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(res.json());
      expect(await lastSeq(d.db, teamId)).toBe(seq + 1);
      expect(await count('alert_acks')).toBe(1);
    });

    it("carries the alert's mode", async () => {
      await exercise();
      const a = await contact(alfa);
      const seq = await lastSeq(d.db, teamId);
      await post(`/api/alerts/${a.id}/ack`, bravo);
      expect((await eventsAfter(seq)).map((e) => e.mode)).toEqual(['exercise']);
    });

    it("answers 404 for another team's alert, 409 for a cancelled one, 400 for a malformed id", async () => {
      const a = await contact(alfa);
      const other = await h.addMember('Other pack', 'OTHER');
      const seq = await lastSeq(d.db, teamId);
      expect((await post(`/api/alerts/${a.id}/ack`, other)).statusCode).toBe(404);
      expect((await post('/api/alerts/00000000-0000-4000-8000-000000000000/ack', alfa)).statusCode).toBe(404);
      const bad = await post('/api/alerts/not-an-id/ack', alfa);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe('alertId');
      await post(`/api/alerts/${a.id}/cancel`, alfa, {});
      const late = await post(`/api/alerts/${a.id}/ack`, bravo);
      expect(late.statusCode).toBe(409);
      expect(late.json().error.details.field).toBe('alertId');
      expect(await count('alert_acks')).toBe(0);
      expect(await lastSeq(d.db, teamId)).toBe(seq + 1); // the cancel only
    });
  });

  describe('cancelling', () => {
    it('lets the sender close an alert as a false alarm, visibly to everyone', async () => {
      const sos = (await post('/api/alerts/sos', alfa, { position: BASE })).json() as Alert;
      const seq = await lastSeq(d.db, teamId);
      clock.ms += 4_000;
      const res = await post(`/api/alerts/${sos.id}/cancel`, alfa, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        state: 'cancelled',
        cancelledBy: alfa.memberId,
        cancelledAt: clock.now().toISOString(),
        cancelReason: 'cancelled — false alarm',
      });
      const events = await eventsAfter(seq);
      expect(events.map((e) => [e.type, e.mode])).toEqual([['alert.updated', 'real']]);
      expect(events[0]?.payload).toMatchObject({ change: 'cancelled', by: alfa.memberId });
      const seen = (await list(bravo)).find((a) => a.id === sos.id);
      expect(seen).toMatchObject({ state: 'cancelled', cancelReason: 'cancelled — false alarm' });
    });

    it('lets a leader cancel anyone’s alert, with a reason; others get 403; twice is 409', async () => {
      const a = await contact(alfa);
      const seq = await lastSeq(d.db, teamId);
      const denied = await post(`/api/alerts/${a.id}/cancel`, bravo, {});
      expect(denied.statusCode).toBe(403);
      expect(await lastSeq(d.db, teamId)).toBe(seq);
      expect((await list())[0]?.state).toBe('active');
      const res = await post(`/api/alerts/${a.id}/cancel`, lead, { reason: 'that was us' });
      expect(res.json()).toMatchObject({
        state: 'cancelled',
        cancelledBy: lead.memberId,
        cancelReason: 'that was us',
      });
      const twice = await post(`/api/alerts/${a.id}/cancel`, lead, {});
      expect(twice.statusCode).toBe(409);
      expect(await lastSeq(d.db, teamId)).toBe(seq + 1);
      const other = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
      const b = await contact(alfa);
      expect((await post(`/api/alerts/${b.id}/cancel`, other, {})).statusCode).toBe(404);
    });

    it('takes no body as the default reason', async () => {
      const a = await contact(alfa);
      const res = await post(`/api/alerts/${a.id}/cancel`, alfa);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().cancelReason).toBe('cancelled — false alarm');
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field and changes nothing', async () => {
      const a = await contact(alfa);
      const before = {
        alerts: await count('alerts'),
        contacts: await count('contacts'),
        seq: await lastSeq(d.db, teamId),
      };
      const cases: [string, object, string][] = [
        ['/api/alerts/sos', { position: { lat: 91, lon: 8 } }, 'position.lat'],
        ['/api/alerts/sos', { position: { lat: 47 } }, 'position.lon'],
        ['/api/alerts/sos', { text: 'x'.repeat(2001) }, 'text'],
        ['/api/alerts/contact', {}, 'count'],
        ['/api/alerts/contact', { count: 0 }, 'count'],
        ['/api/alerts/contact', { count: 2.5 }, 'count'],
        ['/api/alerts/contact', { count: '6' }, 'count'],
        ['/api/alerts/contact', { count: 6, direction: 'd'.repeat(201) }, 'direction'],
        ['/api/alerts/contact', { count: 6, position: { lat: 47, lon: 181 } }, 'position.lon'],
        [`/api/alerts/${a.id}/cancel`, { reason: '' }, 'reason'],
        [`/api/alerts/${a.id}/cancel`, { reason: '   ' }, 'reason'],
      ];
      for (const [url, payload, field] of cases) {
        const res = await post(url, alfa, payload);
        expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
        expect(res.json().error.details.field, `${url} ${JSON.stringify(payload)}`).toBe(field);
      }
      expect(await count('alerts')).toBe(before.alerts);
      expect(await count('contacts')).toBe(before.contacts);
      expect(await count('operations')).toBe(0);
      expect(await lastSeq(d.db, teamId)).toBe(before.seq);
      expect((await list())[0]?.state).toBe('active');
    });
  });

  describe('re-sending', () => {
    it('sends a real alert again every alertResendS to those who have not acknowledged it', async () => {
      const a = await contact(lead); // real: no exercise runs; its sender acknowledges too
      clock.ms += 10_000;
      await h.services.alerts.tick();
      expect(reminders()).toEqual([]);
      await post(`/api/alerts/${a.id}/ack`, alfa);
      const seq = await lastSeq(d.db, teamId);
      clock.ms += 20_000; // 30 s after it went out
      await h.services.alerts.tick();
      await h.services.alerts.tick();
      expect(reminders()).toEqual([
        {
          type: 'alert.reminder',
          alertId: a.id,
          memberIds: [bravo.memberId, lead.memberId], // by callsign
          alert: expect.objectContaining({ id: a.id }),
        },
      ]);
      expect(await lastSeq(d.db, teamId)).toBe(seq); // reminders are not logged events
      clock.ms += 15_000;
      await h.services.alerts.tick();
      expect(reminders()).toHaveLength(1);
      clock.ms += 15_000;
      await h.services.alerts.tick();
      expect(reminders()).toHaveLength(2);
      await post(`/api/alerts/${a.id}/ack`, bravo);
      clock.ms += 30_000;
      await h.services.alerts.tick();
      expect(reminders().at(-1)?.memberIds).toEqual([lead.memberId]);
      await post(`/api/alerts/${a.id}/ack`, lead);
      clock.ms += 60_000;
      await h.services.alerts.tick();
      expect(reminders()).toHaveLength(3);
    });

    it("follows the team's interval, and stops once the alert is cancelled", async () => {
      expect((await send('PATCH', '/api/team', lead, { alertResendS: 10 })).statusCode).toBe(200);
      const sos = (await post('/api/alerts/sos', alfa, {})).json() as Alert;
      clock.ms += 10_000;
      await h.services.alerts.tick();
      const sent = reminders().filter((r) => r.alertId === sos.id);
      expect(sent.map((r) => r.memberIds.sort())).toEqual([
        [lead.memberId, alfa.memberId, bravo.memberId].sort(),
      ]);
      await post(`/api/alerts/${sos.id}/cancel`, alfa, {});
      clock.ms += 60_000;
      await h.services.alerts.tick();
      expect(reminders().filter((r) => r.alertId === sos.id)).toHaveLength(1);
    });

    it('never re-sends exercise traffic', async () => {
      await exercise();
      await contact(alfa);
      clock.ms += 120_000;
      await h.services.alerts.tick();
      expect(reminders()).toEqual([]);
    });
  });

  it('raises one real alert when a member is reported missing', async () => {
    await fix(bravo, BASE);
    await post('/api/escalate', lead, { reason: 'hostiles in the woods' });
    const op = await active();
    const a = await h.services.alerts.raiseMissing(teamId, op.id, bravo.memberId, alfa.memberId);
    expect(a).toMatchObject({
      type: 'missing',
      mode: 'real',
      subject: 'BRAVO',
      sender: 'ALFA',
      position: BASE,
    });
    const again = await h.services.alerts.raiseMissing(teamId, op.id, bravo.memberId, lead.memberId);
    expect(again.id).toBe(a.id);
  });
});
