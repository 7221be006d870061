import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import type { Message, MessageList } from '../src/contract/messages.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';
import { isEvent, openLive } from './support/ws-client.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });
const START = Date.parse('2026-11-25T16:00:00Z');
const ADMIN = { kind: 'admin' } as const;

describe.each(engines)('team messages on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let alfa: AddedMember;
  let other: AddedMember;
  let ws: string;

  beforeAll(async () => {
    ws = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  });
  beforeEach(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    alfa = await h.addMember('Pack', 'ALFA');
    other = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
  });

  const post = (who: AddedMember | Headers, payload: unknown) =>
    h.app.inject({
      method: 'POST',
      url: '/api/messages',
      headers: 'token' in who ? bearer(who as AddedMember) : (who as Headers),
      payload: payload as object,
    });
  const posted = async (who: AddedMember | Headers, text: string): Promise<Message> => {
    const res = await post(who, { text });
    expect(res.statusCode, res.body).toBe(201);
    clock.ms += 1000;
    return res.json();
  };
  const list = async (who: AddedMember, query = ''): Promise<MessageList> => {
    const res = await h.app.inject({ method: 'GET', url: `/api/messages${query}`, headers: bearer(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const stored = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from messages`.execute(d.db)).rows[0]?.n);
  const messageEvents = () =>
    d.db.selectFrom('events').selectAll().where('type', '=', 'message.posted').orderBy('seq').execute();
  const startExercise = async (teamId: string) => {
    const ex = await h.services.operations.createExercise(ADMIN, teamId, {
      name: 'Dusk drill',
      scenario: '',
      participants: [],
      injects: [],
    });
    return h.services.operations.act(ADMIN, teamId, ex.id, 'start');
  };

  describe('posting and listing', () => {
    it('stores a message from the field page with sender, callsign, real mode and a logged event', async () => {
      const m = await posted(alfa, '  at the ridge, heading north  ');
      expect(m).toEqual({
        id: expect.any(String),
        teamId: alfa.teamId,
        senderId: alfa.memberId,
        senderCallsign: 'ALFA',
        text: 'at the ridge, heading north',
        mode: 'real',
        operationId: null,
        time: new Date(START).toISOString(),
        source: 'field',
        position: null,
      });
      const events = await messageEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ team_id: alfa.teamId, mode: 'real', actor_id: alfa.memberId });
    });

    it('marks a message sent with a console session as from the console, and keeps a position', async () => {
      const cookie = await h.sessionCookie('Pack', 'LEAD');
      const res = await post(
        { cookie },
        { text: 'RV at the car park', position: { lat: 51.05, lon: -1.31 } },
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ source: 'console', position: { lat: 51.05, lon: -1.31 } });
    });

    it('lists the team messages newest first, and pages exactly with before and beforeId', async () => {
      const texts = ['one', 'two', 'three', 'four', 'five'];
      for (const t of texts) await posted(t === 'three' ? lead : alfa, t);
      const all = await list(lead);
      expect(all.messages.map((m) => m.text)).toEqual([...texts].reverse());
      expect(all.next).toBeNull();

      const first = await list(alfa, '?limit=2');
      expect(first.messages.map((m) => m.text)).toEqual(['five', 'four']);
      expect(first.next).not.toBeNull();
      const q = `?limit=2&before=${encodeURIComponent(first.next?.before ?? '')}&beforeId=${first.next?.beforeId}`;
      const second = await list(alfa, q);
      expect(second.messages.map((m) => m.text)).toEqual(['three', 'two']);
      const byTime = await list(alfa, `?before=${encodeURIComponent(all.messages[3]?.time ?? '')}`);
      expect(byTime.messages.map((m) => m.text)).toEqual(['one']);
    });

    it('pages through messages sent in the same millisecond without losing one', async () => {
      for (const t of ['a', 'b', 'c']) {
        const res = await post(alfa, { text: t });
        expect(res.statusCode).toBe(201);
      }
      const seen: string[] = [];
      let query = '?limit=1';
      for (let i = 0; i < 5; i++) {
        const page = await list(alfa, query);
        seen.push(...page.messages.map((m) => m.text));
        if (!page.next) break;
        query = `?limit=1&before=${encodeURIComponent(page.next.before)}&beforeId=${page.next.beforeId}`;
      }
      expect(seen.sort()).toEqual(['a', 'b', 'c']);
    });

    it('keeps each team to its own messages', async () => {
      await posted(alfa, 'pack only');
      await posted(other, 'other pack only');
      expect((await list(lead)).messages.map((m) => m.text)).toEqual(['pack only']);
      expect((await list(other)).messages.map((m) => m.text)).toEqual(['other pack only']);
    });

    it("stamps the team's mode: exercise while an exercise runs, with its operation, real again after ENDEX", async () => {
      const op = await startExercise(lead.teamId);
      const during = await posted(alfa, 'runner spotted');
      expect(during).toMatchObject({ mode: 'exercise', operationId: op.id });
      expect((await messageEvents())[0]?.mode).toBe('exercise');
      await h.services.operations.act(ADMIN, lead.teamId, op.id, 'end');
      const after = await posted(alfa, 'all back at base');
      expect(after).toMatchObject({ mode: 'real', operationId: null });
      // Another team's mode is its own.
      expect(await posted(other, 'quiet here')).toMatchObject({ mode: 'real' });
    });
  });

  describe('bad input changes nothing', () => {
    const refused = async (who: AddedMember | Headers, payload: unknown, status: number, field?: string) => {
      const res = await post(who, payload);
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json();
      if (field) {
        expect(body.error.details.field).toBe(field);
        expect(body.error.message).toContain(field);
      }
      return body;
    };

    it('refuses empty, blank, too long, missing, mistyped and unknown fields, naming the field', async () => {
      expect((await refused(alfa, { text: '' }, 400, 'text')).error.message).toMatch(/empty/);
      await refused(alfa, { text: '   \n ' }, 400, 'text');
      expect((await refused(alfa, { text: 'x'.repeat(2001) }, 400, 'text')).error.message).toMatch(/2000/);
      expect((await refused(alfa, {}, 400, 'text')).error.message).toMatch(/required/);
      await refused(alfa, { text: 42 }, 400, 'text');
      await refused(alfa, { text: 'hi', position: { lat: 91, lon: 0 } }, 400, 'position.lat');
      await refused(alfa, { text: 'hi', channel: 'ops' }, 400);
      const notJson = await h.app.inject({
        method: 'POST',
        url: '/api/messages',
        headers: { ...bearer(alfa), 'content-type': 'application/json' },
        payload: '{"text":',
      });
      expect(notJson.statusCode).toBe(400);
      expect(await stored()).toBe(0);
      expect(await messageEvents()).toHaveLength(0);
    });

    it('accepts exactly 2000 characters', async () => {
      expect((await posted(alfa, 'y'.repeat(2000))).text).toHaveLength(2000);
    });

    it("refuses another team's token for this team, an unknown token and no token", async () => {
      const body = await refused(other, { text: 'hello pack', teamId: lead.teamId }, 403);
      expect(body.error.code).toBe('forbidden');
      const listRes = await h.app.inject({
        method: 'GET',
        url: `/api/messages?teamId=${lead.teamId}`,
        headers: bearer(other),
      });
      expect(listRes.statusCode).toBe(403);
      await refused({ authorization: 'Bearer not-a-token' }, { text: 'hi' }, 401);
      await refused({}, { text: 'hi' }, 401);
      expect(await stored()).toBe(0);
    });

    it('refuses bad list queries, naming the parameter', async () => {
      for (const [query, field] of [
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?before=yesterday', 'before'],
        ['?before=2026-11-25T16:00:00Z&beforeId=nope', 'beforeId'],
        ['?beforeId=7f1c7d6e-54a4-4f53-9d1e-3c2b8a9e0f11', 'beforeId'],
      ] as const) {
        const res = await h.app.inject({
          method: 'GET',
          url: `/api/messages${query}`,
          headers: bearer(alfa),
        });
        expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
        expect(res.json().error.message).toContain(field);
      }
    });
  });

  describe('live', () => {
    it('sends message.posted over the real WebSocket to the team only, and replays it on resume', async () => {
      const mine = openLive(`${ws}/api/live?token=${encodeURIComponent(lead.token)}`);
      const theirs = openLive(`${ws}/api/live?token=${encodeURIComponent(other.token)}`);
      const snapshot = await mine.waitFor((m) => m.type === 'snapshot');
      await theirs.waitFor((m) => m.type === 'snapshot');
      const m = await posted(alfa, 'moving to checkpoint 2');
      const got = await mine.waitFor(
        (x) => isEvent(x) && x.event.type === 'message.posted' && x.event.message.id === m.id,
      );
      const event = (got as { event: LiveEvent }).event;
      expect(event).toMatchObject({ type: 'message.posted', mode: 'real', message: m });
      await posted(other, 'their news');
      await theirs.waitFor((x) => isEvent(x) && x.event.type === 'message.posted');
      expect(mine.messages.filter((x) => isEvent(x) && x.event.type === 'message.posted')).toHaveLength(1);
      await mine.close();
      await theirs.close();

      // A client back from a gap gets the message it missed, from its last sequence number.
      const resumed = openLive(
        `${ws}/api/live?token=${encodeURIComponent(lead.token)}&after=${(snapshot as { seq: number }).seq}`,
      );
      await resumed.waitFor(
        (x) => isEvent(x) && x.event.type === 'message.posted' && x.event.message.id === m.id,
      );
      await resumed.close();
    });
  });
});
