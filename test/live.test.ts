import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { buildOsmAndServer } from '../src/gateways/osmand/server.ts';
import { CLOSE_UNAUTHORIZED } from '../src/server/live.routes.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';
import { isEvent, isPosition, isSnapshot, type LiveClient, openLive } from './support/ws-client.ts';

const A = 'Alpha team';
const B = 'Bravo team';

describe.each(engines)('live feed over WebSocket on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let osmand: FastifyInstance;
  let api: string;
  let ws: string;
  let gateway: string;
  let leaderA: AddedMember;
  let scoutA: AddedMember;
  let leaderB: AddedMember;
  let n = 0;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    api = await h.app.listen({ port: 0, host: '127.0.0.1' });
    ws = api.replace(/^http/, 'ws');
    osmand = await buildOsmAndServer(h.services.positions, { logger: false });
    gateway = await osmand.listen({ port: 0, host: '127.0.0.1' });
    leaderA = await h.addMember(A, 'LEAD-A', { role: 'leader' });
    scoutA = await h.addMember(A, 'SCOUT-A');
    leaderB = await h.addMember(B, 'LEAD-B', { role: 'leader' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await osmand.close();
  });

  const live = (query = '', headers: Record<string, string> = {}): LiveClient => {
    const c = openLive(`${ws}/api/live${query}`, headers);
    clients.push(c);
    return c;
  };
  const withToken = (m: AddedMember, extra = '') => live(`?token=${encodeURIComponent(m.token)}${extra}`);
  /** Adds a member through the REST API as a leader, over the real socket. */
  const addViaApi = async (leader: AddedMember, callsign = `NEW-${++n}`) => {
    const res = await fetch(`${api}/api/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${leader.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `${callsign} name`, callsign }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as AddedMember;
  };
  const report = async (m: AddedMember, lat: number) => {
    const t = Math.floor(Date.now() / 1000) - 5;
    const res = await fetch(`${gateway}/?id=${m.device}&lat=${lat}&lon=8.5&timestamp=${t}`);
    expect(res.status).toBe(200);
  };
  const eventSeqs = (c: LiveClient) => c.messages.filter(isEvent).map((m) => m.event.seq);
  const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

  it('sends a snapshot first to a console session cookie', async () => {
    const c = live('', { cookie: await h.sessionCookie(A, 'LEAD-A') });
    const snap = await c.waitFor(isSnapshot);
    expect(c.messages[0]).toBe(snap);
    expect(snap.team.name).toBe(A);
    expect(snap.members.map((m) => m.callsign).sort()).toEqual(['LEAD-A', 'SCOUT-A']);
    expect(Array.isArray(snap.positions)).toBe(true);
    expect(snap.seq).toBeGreaterThanOrEqual(2);
  });

  it('sends a snapshot first to a device token in ?token=, with the latest positions', async () => {
    await report(scoutA, 47.01);
    const c = withToken(scoutA);
    const snap = await c.waitFor(isSnapshot);
    expect(c.messages[0]).toBe(snap);
    expect(snap.positions).toEqual([expect.objectContaining({ memberId: scoutA.memberId, lat: 47.01 })]);
  });

  it('delivers a position posted over OsmAnd as a position message', async () => {
    const c = withToken(leaderA);
    await c.waitFor(isSnapshot);
    await report(scoutA, 47.02);
    // (A position of an earlier test may still be in the team's tick: wait for this one.)
    const msg = await c.waitFor(
      (m): m is Extract<LiveMessage, { type: 'position' }> => isPosition(m) && m.position.lat === 47.02,
    );
    expect(msg.position).toMatchObject({ memberId: scoutA.memberId, lat: 47.02, lon: 8.5, source: 'osmand' });
  });

  it('delivers an added member as an event numbered snapshot seq + 1', async () => {
    const c = withToken(leaderA);
    const snap = await c.waitFor(isSnapshot);
    const added = await addViaApi(leaderA);
    const msg = await c.waitFor(isEvent);
    expect(msg.event).toMatchObject({
      type: 'member.added',
      seq: snap.seq + 1,
      mode: 'real',
      member: { id: added.memberId, callsign: added.callsign },
    });
  });

  it('resumes from ?after=SEQ with exactly the missed events in order, then a fresh snapshot', async () => {
    const first = withToken(leaderA);
    const s0 = (await first.waitFor(isSnapshot)).seq;
    await first.close();
    const missed = [await addViaApi(leaderA), await addViaApi(leaderA), await addViaApi(leaderA)];

    const c = withToken(leaderA, `&after=${s0 + 1}`);
    const snap = await c.waitFor(isSnapshot);
    expect(snap.seq).toBe(s0 + 3);
    expect(c.messages.map((m) => m.type)).toEqual(['event', 'event', 'snapshot']);
    expect(c.messages.filter(isEvent).map((m) => m.event)).toEqual([
      expect.objectContaining({
        type: 'member.added',
        seq: s0 + 2,
        member: expect.objectContaining({ id: missed[1]?.memberId }),
      }),
      expect.objectContaining({
        type: 'member.added',
        seq: s0 + 3,
        member: expect.objectContaining({ id: missed[2]?.memberId }),
      }),
    ]);
    expect(snap.members.map((m) => m.id)).toEqual(expect.arrayContaining(missed.map((m) => m.memberId)));

    // The next event arrives once, after the catch-up.
    await addViaApi(leaderA);
    await c.waitFor((m) => isEvent(m) && m.event.seq === s0 + 4);
    await settle();
    expect(eventSeqs(c)).toEqual([s0 + 2, s0 + 3, s0 + 4]);
  });

  it('resumes after 25,000 missed events, every one once and in order, paged with backpressure', async () => {
    const first = withToken(leaderA);
    const s0 = (await first.waitFor(isSnapshot)).seq;
    await first.close();
    // A long time away: the log grows by 25,000 events (copies of the last one, renumbered).
    const MISSED = 25_000;
    await sql`insert into events (team_id, seq, time, type, mode, actor_id, payload)
      select e.team_id, e.seq + g.i, e.time, e.type, e.mode, e.actor_id, e.payload
      from events e, generate_series(1, ${MISSED}) as g(i)
      where e.team_id = ${leaderA.teamId} and e.seq = ${s0}`.execute(d.db);
    await sql`update teams set last_seq = last_seq + ${MISSED} where id = ${leaderA.teamId}`.execute(d.db);

    const c = withToken(leaderA, `&after=${s0}`);
    // A change made while the client catches up arrives once, after the snapshot.
    const during = addViaApi(leaderA);
    const snap = await c.waitFor(isSnapshot, 60_000);
    await during;
    await c.waitFor((m) => isEvent(m) && m.event.seq === s0 + MISSED + 1);
    await settle();
    const seqs = eventSeqs(c);
    expect(seqs.length).toBe(MISSED + 1);
    expect(seqs.every((seq, i) => seq === s0 + 1 + i)).toBe(true);
    expect(snap.seq).toBeGreaterThanOrEqual(s0 + MISSED);
    await c.close();
  }, 120_000);

  it('sends only a snapshot to a client that is already up to date', async () => {
    const first = withToken(leaderA);
    const seq = (await first.waitFor(isSnapshot)).seq;
    const c = withToken(leaderA, `&after=${seq}`);
    await c.waitFor(isSnapshot);
    await settle();
    expect(c.messages.map((m) => m.type)).toEqual(['snapshot']);
  });

  it.each([
    ['no token', () => ''],
    ['an unknown token', () => '?token=howl_not-a-real-token'],
    ['the admin secret (not a member)', () => `?token=${ADMIN_SECRET}`],
  ])('closes with 4001 for %s and sends nothing', async (_, query) => {
    const c = live(query());
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE_UNAUTHORIZED);
    expect(c.messages).toEqual([]);
  });

  it('closes with 4001 for a session cookie that does not exist', async () => {
    const c = live('', { cookie: 'howl_session=hs_forged' });
    expect((await c.closed).code).toBe(CLOSE_UNAUTHORIZED);
    expect(c.messages).toEqual([]);
  });

  it("closes an open socket with 4001 promptly when a leader revokes the member's tokens", async () => {
    const member = await addViaApi(leaderA);
    const victim = withToken(member);
    const bystander = withToken(leaderA);
    await victim.waitFor(isSnapshot);
    await bystander.waitFor(isSnapshot);

    const res = await fetch(`${api}/api/members/${member.memberId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${leaderA.token}` },
    });
    expect(res.status).toBe(204);
    // At once, by the revocation itself, not at the next reconnect or token check.
    expect(await victim.closed).toMatchObject({ code: CLOSE_UNAUTHORIZED, reason: 'token revoked' });

    // The others stay connected and see the revocation; the token no longer opens the feed.
    const ev = await bystander.waitFor((m) => isEvent(m) && m.event.type === 'token.revoked');
    expect(ev).toMatchObject({ event: { memberId: member.memberId, mode: 'real' } });
    const again = withToken(member);
    expect((await again.closed).code).toBe(CLOSE_UNAUTHORIZED);
    await report(scoutA, 47.03);
    await bystander.waitFor((m) => isPosition(m) && m.position.lat === 47.03);
  });

  it('closes a console socket with 4001 when its session logs out', async () => {
    const cookie = await h.sessionCookie(A, 'LEAD-A');
    const c = live('', { cookie });
    await c.waitFor(isSnapshot);
    const res = await fetch(`${api}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(204);
    expect((await c.closed).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it("refuses the revoke from a member who is not a leader, and the member's socket stays open", async () => {
    const member = await addViaApi(leaderA);
    const c = withToken(member);
    await c.waitFor(isSnapshot);
    const res = await fetch(`${api}/api/members/${member.memberId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scoutA.token}` },
    });
    expect(res.status).toBe(403);
    await report(scoutA, 47.04);
    await c.waitFor((m) => isPosition(m) && m.position.lat === 47.04);
  });

  it('keeps no subscription for a client that leaves while its token is being checked', async () => {
    const { bus, ticks, tokens } = h.services;
    const subscribe = ticks.subscribe.bind(ticks);
    const onRevoked = bus.onRevoked.bind(bus);
    const authenticate = tokens.authenticate.bind(tokens);
    let open = 0;
    const counted = (unsubscribe: () => void) => {
      open++;
      return () => {
        open--;
        unsubscribe();
      };
    };
    ticks.subscribe = (teamId, listener) => counted(subscribe(teamId, listener));
    bus.onRevoked = (listener) => counted(onRevoked(listener));
    let checked = 0;
    tokens.authenticate = async (...args) => {
      await settle(300);
      const auth = await authenticate(...args);
      checked++;
      return auth;
    };
    try {
      const quitters = [withToken(leaderA), withToken(scoutA)];
      await Promise.all(quitters.map((c) => c.opened));
      await Promise.all(quitters.map((c) => c.close()));
      await vi.waitFor(() => expect(checked).toBe(2), { timeout: 5000 });
      await settle(50);
      expect(open).toBe(0);
      // A client that stays is subscribed, and let go when it closes.
      const stayer = withToken(leaderA);
      await stayer.waitFor(isSnapshot);
      expect(open).toBe(2);
      await stayer.close();
      await vi.waitFor(() => expect(open).toBe(0), { timeout: 5000 });
    } finally {
      ticks.subscribe = subscribe;
      bus.onRevoked = onRevoked;
      tokens.authenticate = authenticate;
    }
  });

  it("never sends team A's positions or events to team B", async () => {
    const a = withToken(leaderA);
    const b = withToken(leaderB);
    const snapB = await b.waitFor(isSnapshot);
    await a.waitFor(isSnapshot);
    expect(snapB.team.name).toBe(B);
    expect(snapB.members.map((m) => m.callsign)).toEqual(['LEAD-B']);
    expect(snapB.positions).toEqual([]);

    await report(scoutA, 47.05);
    const addedA = await addViaApi(leaderA);
    await a.waitFor((m) => isPosition(m) && m.position.lat === 47.05);
    await a.waitFor((m) => isEvent(m) && m.event.type === 'member.added');

    // Team B's own traffic comes after A's on the one in-order bus: once it is here, A's would be too.
    const addedB = await addViaApi(leaderB);
    await report(leaderB, 12.5);
    await b.waitFor((m) => isPosition(m) && m.position.memberId === leaderB.memberId);
    const aIds = new Set([leaderA.memberId, scoutA.memberId, addedA.memberId]);
    const leaked = b.messages.filter((m: LiveMessage) => JSON.stringify(m).includes(A) || touches(m, aIds));
    expect(leaked).toEqual([]);
    expect(b.messages.filter(isEvent).map((m) => m.event)).toEqual([
      expect.objectContaining({
        type: 'member.added',
        seq: snapB.seq + 1,
        member: expect.objectContaining({ id: addedB.memberId }),
      }),
    ]);
  });
});

/** Whether a live message names one of the members. */
function touches(m: LiveMessage, ids: ReadonlySet<string>): boolean {
  switch (m.type) {
    case 'snapshot':
      return m.members.some((x) => ids.has(x.id)) || m.positions.some((p) => ids.has(p.memberId));
    case 'position':
      return ids.has(m.position.memberId);
    case 'positions':
      return m.positions.some((p) => ids.has(p.memberId));
    case 'alert.reminder':
      return m.memberIds.some((id) => ids.has(id));
    case 'event': {
      const e = m.event;
      return 'member' in e ? ids.has(e.member.id) : 'memberId' in e ? ids.has(e.memberId) : false;
    }
    case 'heartbeat':
      return false;
    default: {
      const never: never = m;
      return never;
    }
  }
}
