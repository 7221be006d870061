import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TakApproved, TakEnrolment, TakPendingList } from '../src/contract/tak.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { atakGeoChat } from './fixtures/cot/geochat.ts';
import { FakeClock } from './support/clock.ts';
import { useCotServer } from './support/cot.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

/**
 * Unapproved TAK clients between teams: a client is on one team's list only when it sent that team's
 * enrolment code; a client that sent none is on no list, and a leader approves it only by typing its uid.
 */
describe.each(engines)('TAK devices waiting, between two teams, on $name', (engine) => {
  const clock = new FakeClock(Date.now());
  const { h } = useHarness(engine, { clock });
  const { logger, logs } = recordingLogger();
  let n = 0;

  const cot = useCotServer(h, { logger });

  /** Two teams, each with a signed-in leader, a plain member (signed in too) and a member with a TAK device. */
  const teams = async () => {
    const one = async (name: string) => {
      const team = `${name} ${++n}`;
      const leader = await h.addMember(team, `LEAD${n}`, { role: 'leader' });
      const member = await h.addMember(team, `MEM${n}`);
      const tak = await h.addMember(team, `TAK${n}`, { device: `ANDROID-teams-${engine.name}-${++n}` });
      return {
        leader,
        member,
        tak,
        cookie: await h.sessionCookie(team, leader.callsign),
        memberCookie: await h.sessionCookie(team, member.callsign),
      };
    };
    return { a: await one('Alpha'), b: await one('Bravo') };
  };
  const call = (cookie: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { cookie }, ...(payload && { payload }) });
  const pending = async (cookie: string) => {
    const res = await call(cookie, 'GET', '/api/tak/pending');
    expect(res.statusCode).toBe(200);
    return res.json<TakPendingList>().devices;
  };
  const codeOf = async (cookie: string) => {
    const res = await call(cookie, 'GET', '/api/tak/enrolment');
    expect(res.statusCode).toBe(200);
    return res.json<TakEnrolment>().code;
  };
  const approve = (cookie: string, uid: string, memberId: string) =>
    call(cookie, 'POST', `/api/tak/pending/${encodeURIComponent(uid)}/approve`, { memberId });
  const sa = (uid: string) =>
    retime(
      withUid(ATAK_SA_GEMINI, uid)
        .replace(/lat="[^"]*"/, 'lat="46.1"')
        .replace(/lon="[^"]*"/, 'lon="7.1"'),
    );
  /** An unknown TAK client: it sends `texts` as GeoChat messages, then its SA. */
  const unknownClient = async (...texts: string[]) => {
    const c = await cot.connect();
    const uid = `ANDROID-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    for (const text of texts) c.send(atakGeoChat({ uid, messageId: randomUUID(), xmlText: text }));
    c.send(sa(uid));
    await c.sync();
    return { c, uid };
  };

  it('gives each team its own code, to leaders only, and lists a client only on the team whose code it sent', async () => {
    const { a, b } = await teams();
    const codeA = await codeOf(a.cookie);
    const codeB = await codeOf(b.cookie);
    expect(codeA).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(codeB).not.toBe(codeA);
    expect(await codeOf(a.cookie)).toBe(codeA);
    expect((await call(a.memberCookie, 'GET', '/api/tak/enrolment')).statusCode).toBe(403);

    // Typed on a phone: lower case, without the dash, after the word "howl".
    const { uid } = await unknownClient(`howl ${codeA.toLowerCase().replace('-', ' ')}`);
    expect((await pending(a.cookie)).map((p) => p.uid)).toEqual([uid]);
    expect(await pending(b.cookie)).toEqual([]);
    // Team B's leader cannot act on it, even knowing the uid: it waits for team A, not for B.
    const byB = await approve(b.cookie, uid, b.member.memberId);
    expect(byB.statusCode).toBe(404);
    expect(byB.json().error.details).toEqual({ field: 'uid' });
    expect((await call(b.cookie, 'DELETE', `/api/tak/pending/${uid}`)).statusCode).toBe(404);
    // A plain member of team A can neither see nor approve it.
    expect((await call(a.memberCookie, 'GET', '/api/tak/pending')).statusCode).toBe(403);
    expect((await approve(a.memberCookie, uid, a.member.memberId)).statusCode).toBe(403);
    expect(cot.server.held().find((e) => e.uid === uid)).toMatchObject({ teamId: a.leader.teamId });
  });

  it("approves through the team's list: the open connection gets that team's picture, and nothing of the other's", async () => {
    const { a, b } = await teams();
    const { c, uid } = await unknownClient(await codeOf(a.cookie));
    for (const [m, lat] of [
      [a.tak, 46.3],
      [b.tak, 46.4],
    ] as const)
      await h.services.positions.reportFromDevice({
        deviceId: m.device,
        time: new Date(),
        lat,
        lon: 7.3,
        source: 'osmand',
      });

    const res = await approve(a.cookie, uid, a.member.memberId);
    expect(res.statusCode).toBe(200);
    expect(res.json<TakApproved>()).toMatchObject({ uid, memberId: a.member.memberId, connections: 1 });
    await c.waitFor((r) => r.attrs.type === 'a-f-G-U-C' && r.xml.includes(a.tak.callsign), {
      what: "team A's member",
    });
    await c.sync();
    expect(c.received.some((r) => r.xml.includes(b.tak.callsign))).toBe(false);
    expect(await pending(a.cookie)).toEqual([]);
    // Now a device of team A: team B cannot take it over.
    expect((await approve(b.cookie, uid, b.member.memberId)).statusCode).toBe(409);
  });

  it('lists a client that sent no code to no team: a leader approves it only by typing its uid exactly', async () => {
    const { a, b } = await teams();
    const { c, uid } = await unknownClient('hello?');
    await h.services.positions.reportFromDevice({
      deviceId: b.tak.device,
      time: new Date(),
      lat: 46.4,
      lon: 7.3,
      source: 'osmand',
    });
    expect(await pending(a.cookie)).toEqual([]);
    expect(await pending(b.cookie)).toEqual([]);
    // Nothing to pick, and nothing near it is taken for it.
    for (const guess of [uid.slice(0, -1), uid.toLowerCase(), `${uid}0`, 'ANDROID-0000000000000000']) {
      const r = await approve(b.cookie, guess, b.member.memberId);
      expect(r.statusCode, guess).toBe(404);
    }
    expect((await approve(b.memberCookie, uid, b.member.memberId)).statusCode).toBe(403);
    // Read off the device and typed: it binds to team B's member, at once.
    const res = await approve(b.cookie, uid, b.member.memberId);
    expect(res.statusCode).toBe(200);
    expect(res.json<TakApproved>().connections).toBe(1);
    await c.waitFor((r) => r.attrs.type === 'a-f-G-U-C' && r.xml.includes(b.tak.callsign), {
      what: "team B's member",
    });
  });

  it('does not attribute a wrong, expired or sixth code, and logs each try', async () => {
    const { a, b } = await teams();
    const codeA = await codeOf(a.cookie);
    const wrong = codeA.endsWith('A') ? codeA.replace(/.$/, 'B') : codeA.replace(/.$/, 'A');
    // Five wrong tries use up the connection's tries: the right code after them counts for nothing.
    const { uid } = await unknownClient(wrong, wrong, wrong, wrong, wrong, codeA);
    expect(await pending(a.cookie)).toEqual([]);
    expect(cot.server.held().find((e) => e.uid === uid)?.teamId).toBeUndefined();
    expect(logs.filter((l) => l.msg === 'cot: enrolment code unknown' && l.obj.uid === uid)).toHaveLength(5);

    // A code is good for an hour; the leader is given a new one before that.
    clock.ms += 50 * 60_000;
    const next = await codeOf(a.cookie);
    expect(next).not.toBe(codeA);
    expect((await unknownClient(codeA)).uid).toBeDefined();
    expect(await pending(a.cookie)).toHaveLength(1);
    clock.ms += 11 * 60_000;
    await unknownClient(codeA);
    expect(await pending(a.cookie)).toHaveLength(1);
    expect(await pending(b.cookie)).toEqual([]);
    clock.ms = clock.startMs;
  });
});
