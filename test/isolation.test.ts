import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { countPositions } from '../src/store/positions.repo.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const SINCE = encodeURIComponent('2000-01-01T00:00:00Z');

interface TeamFixture {
  lead: AddedMember;
  member: AddedMember;
  leadSession: Headers;
  memberSession: Headers;
}

describe.each(engines)('team isolation on $name', (engine) => {
  const { h, d } = useHarness(engine, { resetBeforeEach: true });
  let a: TeamFixture;
  let b: TeamFixture;
  beforeEach(async () => {
    a = await team('Alpha', 47);
    b = await team('Bravo', 46);
  });

  const call = (method: Method, url: string, headers: Headers, payload?: object) =>
    h.app.inject({ method, url, headers, payload });

  async function team(name: string, lat: number): Promise<TeamFixture> {
    const lead = await h.addMember(name, 'LEAD', { role: 'leader' });
    const member = await h.addMember(name, 'SCOUT');
    for (const [i, m] of [lead, member].entries()) {
      const res = await call('POST', '/api/positions', bearer(m.token), {
        lat: lat + i / 100,
        lon: 8,
        time: new Date(Date.now() - 1000).toISOString(),
      });
      expect(res.statusCode).toBe(200);
    }
    return {
      lead,
      member,
      leadSession: { cookie: await h.sessionCookie(name, 'LEAD') },
      memberSession: { cookie: await h.sessionCookie(name, 'SCOUT') },
    };
  }

  /** Everything of team B, as B's leader sees it and as stored. */
  async function stateOfB() {
    const get = async (url: string) => (await call('GET', url, b.leadSession)).json();
    const bIds = [b.lead.memberId, b.member.memberId];
    const tokens = await sql<{ kind: string; live: boolean }>`
      select kind, (revoked_at is null) as live from tokens
      where member_id in (${sql.join(bIds)}) order by id`.execute(d.db);
    return {
      team: await get('/api/team'),
      members: await get('/api/members'),
      latest: await get('/api/positions/latest'),
      trails: await get(`/api/positions/trails?since=${SINCE}`),
      seq: await lastSeq(d.db, b.lead.teamId),
      positions: await countPositions(d.db, b.lead.teamId),
      tokens: tokens.rows,
    };
  }

  /** A's callers: leader and member, each by console session and by device token. */
  const callersOfA = () => [
    { who: 'A leader session', headers: a.leadSession, leader: true },
    { who: 'A leader device token', headers: bearer(a.lead.token), leader: true },
    { who: 'A member session', headers: a.memberSession, leader: false },
    { who: 'A member device token', headers: bearer(a.member.token), leader: false },
  ];
  const idsOfA = () => [a.lead.memberId, a.member.memberId].sort();

  it('shows A its own team, members, latest positions and trails only', async () => {
    for (const { who, headers } of callersOfA()) {
      const teamRes = await call('GET', '/api/team', headers);
      expect(teamRes.json().id, who).toBe(a.lead.teamId);
      const members = (await call('GET', '/api/members', headers)).json().members as { id: string }[];
      expect(members.map((m) => m.id).sort(), who).toEqual(idsOfA());
      const latest = (await call('GET', '/api/positions/latest', headers)).json();
      expect(
        latest.features.map((f: { properties: { memberId: string } }) => f.properties.memberId).sort(),
        who,
      ).toEqual(idsOfA());
      expect(
        latest.features.every(
          (f: { geometry: { coordinates: number[] } }) => (f.geometry.coordinates[1] ?? 0) >= 47,
        ),
      ).toBe(true);
      const trails = (await call('GET', `/api/positions/trails?since=${SINCE}`, headers)).json().trails;
      expect(Object.keys(trails).sort(), who).toEqual(idsOfA());
      const me = (await call('GET', '/api/me', headers)).json();
      expect(me.teamId, who).toBe(a.lead.teamId);
    }
  });

  it("refuses A any change to B's members by id (404 for a leader, 403 for a member), changing nothing of B", async () => {
    const before = await stateOfB();
    for (const { who, headers, leader } of callersOfA()) {
      for (const id of [b.lead.memberId, b.member.memberId]) {
        for (const [method, url] of [
          ['DELETE', `/api/members/${id}`],
          ['POST', `/api/members/${id}/connection`],
          ['POST', `/api/members/${id}/revoke`],
        ] as const) {
          const res = await call(method, url, headers);
          expect(res.statusCode, `${who} ${method} ${url}`).toBe(leader ? 404 : 403);
          expect(res.body, who).not.toContain('token');
        }
      }
    }
    expect(await stateOfB()).toEqual(before);
    // B's credentials keep working.
    for (const headers of [bearer(b.lead.token), bearer(b.member.token), b.leadSession, b.memberSession]) {
      expect((await call('GET', '/api/me', headers)).statusCode).toBe(200);
    }
  });

  it("lets A's changes land in A only", async () => {
    const before = await stateOfB();
    const seqA = await lastSeq(d.db, a.lead.teamId);
    const patch = await call('PATCH', '/api/team', a.leadSession, {
      name: 'Alpha renamed',
      base: { lat: 1, lon: 2 },
      staleSeconds: 30,
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().id).toBe(a.lead.teamId);
    const added = await call('POST', '/api/members', bearer(a.lead.token), {
      name: 'New',
      callsign: 'NEWBIE',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().teamId).toBe(a.lead.teamId);
    const pos = await call('POST', '/api/positions', a.memberSession, {
      lat: 47.5,
      lon: 8.5,
      time: new Date().toISOString(),
    });
    expect(pos.statusCode).toBe(200);
    const conn = await call('POST', `/api/members/${a.member.memberId}/connection`, a.leadSession);
    expect(conn.statusCode).toBe(200);
    expect((await call('POST', `/api/members/${a.member.memberId}/revoke`, a.leadSession)).statusCode).toBe(
      204,
    );
    expect((await call('DELETE', `/api/members/${added.json().memberId}`, a.leadSession)).statusCode).toBe(
      204,
    );
    expect(await lastSeq(d.db, a.lead.teamId)).toBeGreaterThan(seqA);
    expect(await stateOfB()).toEqual(before);
  });

  it("refuses A's members any change to A's settings or members (403), and leaves B alone", async () => {
    const before = await stateOfB();
    for (const headers of [a.memberSession, bearer(a.member.token)]) {
      expect((await call('PATCH', '/api/team', headers, { name: 'Bravo' })).statusCode).toBe(403);
      expect((await call('POST', '/api/members', headers, { name: 'X', callsign: 'XRAY' })).statusCode).toBe(
        403,
      );
    }
    expect(await stateOfB()).toEqual(before);
  });

  it("refuses A's leader B's team name (409) without touching B", async () => {
    const before = await stateOfB();
    const res = await call('PATCH', '/api/team', a.leadSession, { name: 'bravo' });
    expect(res.statusCode).toBe(409);
    expect((await call('GET', '/api/team', a.leadSession)).json().name).toBe('Alpha');
    expect(await stateOfB()).toEqual(before);
  });

  it("keeps B's view free of A after A's members report and change", async () => {
    await call('POST', '/api/positions', bearer(a.lead.token), {
      lat: 47.9,
      lon: 8,
      time: new Date().toISOString(),
    });
    await call('POST', '/api/members', a.leadSession, { name: 'Another', callsign: 'ANOTHER' });
    const idsOfB = [b.lead.memberId, b.member.memberId].sort();
    for (const headers of [b.leadSession, bearer(b.member.token)]) {
      const members = (await call('GET', '/api/members', headers)).json().members as { id: string }[];
      expect(members.map((m) => m.id).sort()).toEqual(idsOfB);
      const latest = (await call('GET', '/api/positions/latest', headers)).json();
      expect(
        latest.features.map((f: { properties: { memberId: string } }) => f.properties.memberId).sort(),
      ).toEqual(idsOfB);
      const trails = (await call('GET', `/api/positions/trails?since=${SINCE}`, headers)).json().trails;
      expect(Object.keys(trails).sort()).toEqual(idsOfB);
    }
  });

  it("does not sign A's leader in to B with A's password and B's team name", async () => {
    await call('POST', '/api/auth/password', a.leadSession, { password: 'alpha password' });
    const res = await call(
      'POST',
      '/api/auth/login',
      {},
      { callsign: 'LEAD', password: 'alpha password', team: 'Bravo' },
    );
    expect(res.statusCode).toBe(401);
    const ok = await call(
      'POST',
      '/api/auth/login',
      {},
      { callsign: 'LEAD', password: 'alpha password', team: 'Alpha' },
    );
    expect(ok.json().teamId).toBe(a.lead.teamId);
  });
});
