import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { traccarClientConfigUrl } from '../src/services/teams/members.service.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { countPositions } from '../src/store/positions.repo.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET, TEST_URLS } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const ADMIN: Headers = { authorization: `Bearer ${ADMIN_SECRET}` };
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

describe.each(engines)('API members on $name', (engine) => {
  const { h, d } = useHarness(engine, { resetBeforeEach: true });

  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: object,
  ) => h.app.inject({ method, url, headers, payload });
  const listMembers = async (headers: Headers) => {
    const res = await req('GET', '/api/members', headers);
    expect(res.statusCode).toBe(200);
    return res.json().members as { id: string; callsign: string; devices: string[]; role: string }[];
  };
  const callsigns = async (headers: Headers) => (await listMembers(headers)).map((m) => m.callsign);
  const me = (headers: Headers) => req('GET', '/api/me', headers);
  const countRows = async (table: 'members' | 'devices' | 'tokens' | 'teams') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );

  /** Team Alpha with a leader (session cookie) and a member. */
  async function alpha() {
    const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
    const member = await h.addMember('Alpha', 'ALFA');
    const cookie = { cookie: await h.sessionCookie('Alpha', 'LEAD') };
    return { lead, member, cookie };
  }

  describe('adding', () => {
    it('lets a leader add a member, returning a working token and an unguessable device id', async () => {
      const { lead, cookie } = await alpha();
      const res = await req('POST', '/api/members', cookie, { name: 'Bravo Two', callsign: 'bravo-2' });
      expect(res.statusCode).toBe(201);
      const added = res.json();
      expect(added).toMatchObject({
        teamId: lead.teamId,
        team: 'Alpha',
        name: 'Bravo Two',
        callsign: 'BRAVO-2',
        role: 'member',
      });
      expect(added.device).toMatch(/^hd-[A-Za-z0-9]{16}$/);
      expect(added.token).toMatch(/^howl_[A-Za-z0-9_-]{43}$/);
      const who = await me(bearer(added.token));
      expect(who.statusCode).toBe(200);
      expect(who.json()).toMatchObject({ memberId: added.memberId, callsign: 'BRAVO-2' });
      const listed = (await listMembers(cookie)).find((m) => m.id === added.memberId);
      expect(listed).toMatchObject({ callsign: 'BRAVO-2', role: 'member', devices: [added.device] });
      expect(await callsigns(cookie)).toEqual(['ALFA', 'BRAVO-2', 'LEAD']);
    });

    it('generates a different device id and token for every member', async () => {
      const { cookie } = await alpha();
      const devices = new Set<string>();
      const tokens = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const res = await req('POST', '/api/members', cookie, { name: `M ${i}`, callsign: `M${i}` });
        expect(res.statusCode).toBe(201);
        devices.add(res.json().device);
        tokens.add(res.json().token);
      }
      expect(devices.size).toBe(12);
      expect(tokens.size).toBe(12);
    });

    it('takes a given device id and role', async () => {
      const { cookie } = await alpha();
      const res = await req('POST', '/api/members', cookie, {
        name: 'Deputy',
        callsign: 'DEP',
        device: 'traccar-123456',
        role: 'leader',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ device: 'traccar-123456', role: 'leader' });
    });

    it('refuses a callsign already in the team (any case) with 409 naming `callsign`, adding nothing', async () => {
      const { cookie } = await alpha();
      const before = {
        members: await countRows('members'),
        seq: await lastSeq(d.db, (await me(cookie)).json().teamId),
      };
      for (const callsign of ['ALFA', 'alfa', ' Alfa ']) {
        const res = await req('POST', '/api/members', cookie, { name: 'Again', callsign });
        expect(res.statusCode, callsign).toBe(409);
        expect(res.json().error.details).toEqual({ field: 'callsign' });
        expect(res.json().error.message).toMatch(/^callsign: /);
      }
      expect(await countRows('members')).toBe(before.members);
      expect(await lastSeq(d.db, (await me(cookie)).json().teamId)).toBe(before.seq);
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD']);
    });

    it('accepts the same callsign in another team', async () => {
      const { cookie } = await alpha();
      await h.addMember('Bravo', 'BOSS', { role: 'leader' });
      const bravo = { cookie: await h.sessionCookie('Bravo', 'BOSS') };
      const res = await req('POST', '/api/members', bravo, { name: 'Other Alfa', callsign: 'ALFA' });
      expect(res.statusCode).toBe(201);
      expect(await callsigns(bravo)).toEqual(['ALFA', 'BOSS']);
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD']);
    });

    it('refuses a device id registered in any team with 409 naming `device`, adding nothing', async () => {
      const { cookie } = await alpha();
      await h.addMember('Bravo', 'BOSS', { role: 'leader', device: 'phone-of-boss' });
      const members = await countRows('members');
      const res = await req('POST', '/api/members', cookie, {
        name: 'X',
        callsign: 'XRAY',
        device: 'phone-of-boss',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details).toEqual({ field: 'device' });
      expect(await countRows('members')).toBe(members);
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD']);
    });

    it('lets exactly one of several concurrent adds of one callsign win', async () => {
      const { cookie } = await alpha();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          req('POST', '/api/members', cookie, { name: `Racer ${i}`, callsign: 'RACER' }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) {
        expect(r.json().error.details).toEqual({ field: 'callsign' });
      }
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD', 'RACER']);
    });

    it('lets exactly one of several concurrent adds of one device id win', async () => {
      const { cookie } = await alpha();
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          req('POST', '/api/members', cookie, { name: `D ${i}`, callsign: `D${i}`, device: 'shared-device' }),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) {
        expect(r.json().error.details).toEqual({ field: 'device' });
      }
      expect(await countRows('members')).toBe(3);
    });

    it('refuses invalid fields with 400 naming each, adding nothing', async () => {
      const { cookie } = await alpha();
      const members = await countRows('members');
      const cases: [object, string][] = [
        [{ callsign: 'OK' }, 'name'],
        [{ name: '', callsign: 'OK' }, 'name'],
        [{ name: '   ', callsign: 'OK' }, 'name'],
        [{ name: 'n'.repeat(81), callsign: 'OK' }, 'name'],
        [{ name: 'Ok' }, 'callsign'],
        [{ name: 'Ok', callsign: '' }, 'callsign'],
        [{ name: 'Ok', callsign: 'bad!sign' }, 'callsign'],
        [{ name: 'Ok', callsign: '-leading' }, 'callsign'],
        [{ name: 'Ok', callsign: 'C'.repeat(25) }, 'callsign'],
        [{ name: 'Ok', callsign: 42 }, 'callsign'],
        [{ name: 'Ok', callsign: 'OK', device: 'ab' }, 'device'],
        [{ name: 'Ok', callsign: 'OK', device: 'has space' }, 'device'],
        [{ name: 'Ok', callsign: 'OK', device: 'd'.repeat(65) }, 'device'],
        [{ name: 'Ok', callsign: 'OK', role: 'boss' }, 'role'],
      ];
      for (const [payload, field] of cases) {
        const res = await req('POST', '/api/members', cookie, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details.field, JSON.stringify(payload)).toBe(field);
        expect(res.json().error.message).toMatch(new RegExp(`^${field}: `));
      }
      expect(await countRows('members')).toBe(members);
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD']);
    });
  });

  describe('what a plain member may not do', () => {
    it('refuses a member adding, removing, revoking or connecting with 403, changing nothing', async () => {
      const { lead, member } = await alpha();
      const memberSession = { cookie: await h.sessionCookie('Alpha', 'ALFA') };
      const tokensBefore = await countRows('tokens');
      for (const headers of [memberSession, bearer(member.token)]) {
        const add = await req('POST', '/api/members', headers, { name: 'Sneaky', callsign: 'SNEAK' });
        expect(add.statusCode).toBe(403);
        expect((await req('DELETE', `/api/members/${lead.memberId}`, headers)).statusCode).toBe(403);
        expect((await req('POST', `/api/members/${lead.memberId}/revoke`, headers)).statusCode).toBe(403);
        expect((await req('POST', `/api/members/${lead.memberId}/connection`, headers)).statusCode).toBe(403);
      }
      expect(await countRows('tokens')).toBe(tokensBefore);
      expect(await callsigns(bearer(lead.token))).toEqual(['ALFA', 'LEAD']);
      expect((await me(bearer(lead.token))).statusCode).toBe(200);
    });

    it('lets a member list the team', async () => {
      const { member } = await alpha();
      expect(await callsigns(bearer(member.token))).toEqual(['ALFA', 'LEAD']);
    });

    it('refuses every member route without sign-in (401)', async () => {
      const { member } = await alpha();
      const id = member.memberId;
      for (const [method, url] of [
        ['GET', '/api/members'],
        ['POST', '/api/members'],
        ['DELETE', `/api/members/${id}`],
        ['POST', `/api/members/${id}/connection`],
        ['POST', `/api/members/${id}/revoke`],
      ] as const) {
        const res = await req(method, url, {}, method === 'POST' ? { name: 'X', callsign: 'X' } : undefined);
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
      expect(await countRows('members')).toBe(2);
    });
  });

  describe('connection', () => {
    it('returns the field link, OsmAnd URL, device and QR codes, with a token that works', async () => {
      const { member, cookie } = await alpha();
      const res = await req('POST', `/api/members/${member.memberId}/connection`, cookie);
      expect(res.statusCode).toBe(200);
      const c = res.json();
      expect(c).toMatchObject({
        memberId: member.memberId,
        callsign: 'ALFA',
        device: member.device,
        osmandUrl: TEST_URLS.osmandUrl,
      });
      expect(c.fieldUrl.startsWith(`${TEST_URLS.httpsUrl}/field#token=`)).toBe(true);
      expect(new URL(c.fieldUrl).protocol).toBe('https:');
      expect(decodeURIComponent(c.fieldUrl.split('#token=')[1])).toBe(c.token);
      expect(c.fieldQr).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
      expect(c.osmandQr).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
      expect(c.fieldQr).not.toBe(c.osmandQr);
      // Traccar Client's QR scanner takes the server from origin + path and its settings from the query.
      const config = new URL(traccarClientConfigUrl(c.osmandUrl, c.device));
      expect(`${config.origin}${config.pathname.replace(/\/$/, '')}`).toBe(TEST_URLS.osmandUrl);
      expect(Object.fromEntries(config.searchParams)).toEqual({
        id: c.device,
        accuracy: 'high',
        interval: '15',
        buffer: 'true',
      });
      const who = await me(bearer(c.token));
      expect(who.statusCode).toBe(200);
      expect(who.json().memberId).toBe(member.memberId);
      // A fresh token each time.
      const again = await req('POST', `/api/members/${member.memberId}/connection`, cookie);
      expect(again.json().token).not.toBe(c.token);
    });

    it('answers 404 for an unknown member and 400 naming `memberId` for a malformed id', async () => {
      const { cookie } = await alpha();
      const tokens = await countRows('tokens');
      const unknown = await req(
        'POST',
        '/api/members/00000000-0000-4000-8000-000000000000/connection',
        cookie,
      );
      expect(unknown.statusCode).toBe(404);
      const bad = await req('POST', '/api/members/not-a-uuid/connection', cookie);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe('memberId');
      expect(await countRows('tokens')).toBe(tokens);
    });
  });

  describe('revoking', () => {
    it("stops every one of the member's tokens at once, leaving them in the team", async () => {
      const { lead, member, cookie } = await alpha();
      const memberSession = { cookie: await h.sessionCookie('Alpha', 'ALFA') };
      const conn = (await req('POST', `/api/members/${member.memberId}/connection`, cookie)).json();
      for (const headers of [bearer(member.token), memberSession, bearer(conn.token)]) {
        expect((await me(headers)).statusCode).toBe(200);
      }
      const res = await req('POST', `/api/members/${member.memberId}/revoke`, cookie);
      expect(res.statusCode).toBe(204);
      for (const headers of [bearer(member.token), memberSession, bearer(conn.token)]) {
        expect((await me(headers)).statusCode).toBe(401);
        expect((await req('GET', '/api/members', headers)).statusCode).toBe(401);
      }
      expect(await callsigns(cookie)).toEqual(['ALFA', 'LEAD']);
      expect((await me(bearer(lead.token))).statusCode).toBe(200);
      // A new connection works again.
      const fresh = (await req('POST', `/api/members/${member.memberId}/connection`, cookie)).json();
      expect((await me(bearer(fresh.token))).statusCode).toBe(200);
    });

    it('logs a token.revoked event', async () => {
      const { lead, member, cookie } = await alpha();
      const before = await lastSeq(d.db, lead.teamId);
      await req('POST', `/api/members/${member.memberId}/revoke`, cookie);
      expect(await lastSeq(d.db, lead.teamId)).toBe(before + 1);
      const ev = await d.db
        .selectFrom('events')
        .selectAll()
        .where('seq', '=', before + 1)
        .executeTakeFirst();
      expect(ev?.type).toBe('token.revoked');
    });

    it('answers 404 for an unknown member', async () => {
      const { cookie } = await alpha();
      const res = await req('POST', '/api/members/00000000-0000-4000-8000-000000000000/revoke', cookie);
      expect(res.statusCode).toBe(404);
    });
  });

  describe('editing', () => {
    const patch = (id: string, headers: Headers, payload: object) =>
      req('PATCH', `/api/members/${id}`, headers, payload);

    it("changes a member's name, callsign and role, logged as member.updated", async () => {
      const { lead, member, cookie } = await alpha();
      const before = await lastSeq(d.db, lead.teamId);
      const res = await patch(member.memberId, cookie, {
        name: 'Alfa Renamed',
        callsign: 'alfa-2',
        role: 'leader',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'Alfa Renamed',
        callsign: 'ALFA-2',
        role: 'leader',
        devices: [member.device],
      });
      expect(await callsigns(cookie)).toEqual(['ALFA-2', 'LEAD']);
      const ev = await d.db
        .selectFrom('events')
        .selectAll()
        .where('seq', '=', before + 1)
        .executeTakeFirst();
      expect(ev?.type).toBe('member.updated');
      // The new role is in force at once: the member may now add members.
      const add = await req('POST', '/api/members', bearer(member.token), { name: 'C', callsign: 'CHARLIE' });
      expect(add.statusCode).toBe(201);
    });

    it('moves a K9 to another handler, and refuses a handler for a person or a K9 as leader', async () => {
      const { lead, member, cookie } = await alpha();
      const dog = await req('POST', '/api/members', cookie, {
        name: 'Rex',
        callsign: 'REX',
        kind: 'animal',
        handlerId: lead.memberId,
      });
      expect(dog.statusCode).toBe(201);
      const rex = dog.json().memberId;
      const moved = await patch(rex, cookie, { handlerId: member.memberId });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().handlerId).toBe(member.memberId);
      const seq = await lastSeq(d.db, lead.teamId);
      const cases: [string, object, number, string][] = [
        [member.memberId, { handlerId: lead.memberId }, 400, 'handlerId'],
        [rex, { role: 'leader' }, 400, 'role'],
        [rex, { handlerId: rex }, 400, 'handlerId'],
        [rex, { handlerId: '00000000-0000-4000-8000-000000000000' }, 400, 'handlerId'],
      ];
      for (const [id, body, status, field] of cases) {
        const res = await patch(id, cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(res.json().error.details.field).toBe(field);
      }
      expect(await lastSeq(d.db, lead.teamId)).toBe(seq);
    });

    it('refuses a taken callsign, demoting the only leader, bad input and plain members; nothing changes', async () => {
      const { lead, member, cookie } = await alpha();
      const seq = await lastSeq(d.db, lead.teamId);
      const taken = await patch(member.memberId, cookie, { callsign: 'LEAD' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.details.field).toBe('callsign');
      const demote = await patch(lead.memberId, cookie, { role: 'member' });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().error.details.field).toBe('memberId');
      for (const body of [
        {},
        { callsign: '' },
        { role: 'boss' },
        { name: 'x'.repeat(81) },
        { colour: 'red' },
      ]) {
        const res = await patch(member.memberId, cookie, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().error.message.length).toBeGreaterThan(0);
      }
      expect((await patch(lead.memberId, bearer(member.token), { name: 'Mutiny' })).statusCode).toBe(403);
      expect(
        (await patch('00000000-0000-4000-8000-000000000000', cookie, { name: 'Ghost' })).statusCode,
      ).toBe(404);
      expect(await lastSeq(d.db, lead.teamId)).toBe(seq);
      expect((await listMembers(cookie)).map((m) => [m.callsign, m.role])).toEqual([
        ['ALFA', 'member'],
        ['LEAD', 'leader'],
      ]);
      // With a second leader the first may step down.
      await patch(member.memberId, cookie, { role: 'leader' });
      expect((await patch(lead.memberId, cookie, { role: 'member' })).statusCode).toBe(200);
    });
  });

  describe('removing', () => {
    it('removes a member from lists and latest positions, keeping their stored positions', async () => {
      const { member, cookie } = await alpha();
      const now = new Date().toISOString();
      const post = await req('POST', '/api/positions', bearer(member.token), { lat: 47, lon: 8, time: now });
      expect(post.statusCode).toBe(200);
      const latestBefore = (await req('GET', '/api/positions/latest', cookie)).json();
      expect(
        latestBefore.features.map((f: { properties: { callsign: string } }) => f.properties.callsign),
      ).toEqual(['ALFA']);

      const res = await req('DELETE', `/api/members/${member.memberId}`, cookie);
      expect(res.statusCode).toBe(204);
      expect(await callsigns(cookie)).toEqual(['LEAD']);
      expect((await req('GET', '/api/positions/latest', cookie)).json().features).toEqual([]);
      expect((await req('GET', '/api/positions/trails', cookie)).json().trails).toEqual({});
      expect(await countPositions(d.db)).toBe(1);
      expect((await me(bearer(member.token))).statusCode).toBe(401);
    });

    it("refuses to remove the team's only leader, and allows it once there is another", async () => {
      const { lead, cookie } = await alpha();
      const res = await req('DELETE', `/api/members/${lead.memberId}`, cookie);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.field).toBe('memberId');
      expect(await callsigns(cookie)).toContain('LEAD');
      await h.addMember('Alpha', 'DEPUTY', { role: 'leader' });
      expect((await req('DELETE', `/api/members/${lead.memberId}`, ADMIN)).statusCode).toBe(400);
      const deputy = { cookie: await h.sessionCookie('Alpha', 'DEPUTY') };
      expect((await req('DELETE', `/api/members/${lead.memberId}`, deputy)).statusCode).toBe(204);
      expect(await callsigns(deputy)).toEqual(['ALFA', 'DEPUTY']);
    });

    it('frees the callsign and the device id for a new member', async () => {
      const { member, cookie } = await alpha();
      await req('DELETE', `/api/members/${member.memberId}`, cookie);
      const res = await req('POST', '/api/members', cookie, {
        name: 'New Alfa',
        callsign: 'ALFA',
        device: member.device,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().memberId).not.toBe(member.memberId);
      expect((await listMembers(cookie)).find((m) => m.callsign === 'ALFA')?.devices).toEqual([
        member.device,
      ]);
    });

    it('answers 404 for a member removed already or unknown', async () => {
      const { member, cookie } = await alpha();
      expect((await req('DELETE', `/api/members/${member.memberId}`, cookie)).statusCode).toBe(204);
      const seq = await lastSeq(d.db, member.teamId);
      expect((await req('DELETE', `/api/members/${member.memberId}`, cookie)).statusCode).toBe(404);
      expect(
        (await req('DELETE', '/api/members/00000000-0000-4000-8000-000000000000', cookie)).statusCode,
      ).toBe(404);
      expect((await req('DELETE', '/api/members/nope', cookie)).statusCode).toBe(400);
      expect(await lastSeq(d.db, member.teamId)).toBe(seq);
    });
  });

  describe('admin', () => {
    it('creates the team when there is none', async () => {
      const res = await req('POST', '/api/admin/members', ADMIN, {
        name: 'First',
        callsign: 'FIRST',
        role: 'leader',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ team: 'My team', callsign: 'FIRST', role: 'leader' });
      expect(res.json().device).toMatch(/^hd-/);
      expect(await countRows('teams')).toBe(1);
      expect((await me(bearer(res.json().token))).json().team).toBe('My team');
    });

    it('uses the only team when there is one', async () => {
      const { lead } = await alpha();
      const res = await req('POST', '/api/admin/members', ADMIN, { name: 'Second', callsign: 'SECOND' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ teamId: lead.teamId, team: 'Alpha', role: 'member' });
      expect(await countRows('teams')).toBe(1);
    });

    it('needs `team` when there are several teams, adding nothing without it', async () => {
      await alpha();
      const bravo = await h.addMember('Bravo', 'BOSS', { role: 'leader' });
      const members = await countRows('members');
      const res = await req('POST', '/api/admin/members', ADMIN, { name: 'Third', callsign: 'THIRD' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual({ field: 'team' });
      expect(await countRows('members')).toBe(members);
      expect(await countRows('teams')).toBe(2);
      const named = await req('POST', '/api/admin/members', ADMIN, {
        name: 'Third',
        callsign: 'THIRD',
        team: 'bravo',
      });
      expect(named.statusCode).toBe(201);
      expect(named.json().teamId).toBe(bravo.teamId);
    });

    it('creates a named new team once when several adds name it at the same time', async () => {
      await alpha();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          req('POST', '/api/admin/members', ADMIN, { name: `N ${i}`, callsign: `N${i}`, team: 'Newcomers' }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.json().teamId)).size).toBe(1);
      expect(await countRows('teams')).toBe(2);
      expect(await countRows('members')).toBe(7);
    });

    // PostgreSQL only: PGlite runs one transaction at a time, so this race cannot happen there.
    if (engine.name === 'postgres') {
      it('uses the team another caller created between the check and the insert, instead of failing', async () => {
        await alpha();
        let release: () => void = () => {};
        const held = new Promise<void>((r) => {
          release = r;
        });
        let added: ReturnType<typeof req> | undefined;
        const teamId = '11111111-1111-4111-8111-111111111111';
        await d.db.transaction().execute(async (trx) => {
          await trx.insertInto('teams').values({ id: teamId, name: 'Newcomers' }).execute();
          // The admin add does not see the uncommitted team, so it inserts one and waits on the index.
          added = req('POST', '/api/admin/members', ADMIN, { name: 'N', callsign: 'NEW', team: 'Newcomers' });
          setTimeout(release, 300);
          await held;
        });
        const res = await added;
        expect(res?.statusCode).toBe(201);
        expect(res?.json()).toMatchObject({ teamId, team: 'Newcomers' });
        expect(await countRows('teams')).toBe(2);
      });
    }

    it('refuses a duplicate device or callsign like the leader route', async () => {
      const { member } = await alpha();
      const dev = await req('POST', '/api/admin/members', ADMIN, {
        name: 'X',
        callsign: 'XRAY',
        device: member.device,
      });
      expect(dev.statusCode).toBe(409);
      expect(dev.json().error.details).toEqual({ field: 'device' });
      const cs = await req('POST', '/api/admin/members', ADMIN, { name: 'X', callsign: 'alfa' });
      expect(cs.statusCode).toBe(409);
      expect(cs.json().error.details).toEqual({ field: 'callsign' });
      expect(await countRows('members')).toBe(2);
    });

    it("prints a login link for the team's first leader, or a named member", async () => {
      await alpha();
      const res = await req('POST', '/api/admin/login-links', ADMIN, {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ callsign: 'LEAD', team: 'Alpha' });
      expect(res.json().url.startsWith(`${TEST_URLS.publicUrl}/login#code=`)).toBe(true);
      const code = decodeURIComponent(res.json().url.split('#code=')[1]);
      const login = await req('POST', '/api/auth/link', {}, { code });
      expect(login.json().callsign).toBe('LEAD');
      const named = await req('POST', '/api/admin/login-links', ADMIN, { callsign: 'alfa' });
      expect(named.json().callsign).toBe('ALFA');
      const unknown = await req('POST', '/api/admin/login-links', ADMIN, { callsign: 'NOBODY' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.details).toEqual({ field: 'member' });
    });

    it('answers a login link request with no team yet with 404, creating none', async () => {
      const res = await req('POST', '/api/admin/login-links', ADMIN, {});
      expect(res.statusCode).toBe(404);
      expect(res.json().error.details).toEqual({ field: 'team' });
      expect(await countRows('teams')).toBe(0);
    });

    it('refuses a member token (403), a leader session (403), a wrong secret and no token (401)', async () => {
      const { lead, member, cookie } = await alpha();
      const teams = await countRows('teams');
      const members = await countRows('members');
      const tokens = await countRows('tokens');
      const cases: [Headers, number][] = [
        [bearer(member.token), 403],
        [bearer(lead.token), 403],
        [cookie, 403],
        [{ authorization: `Bearer ${ADMIN_SECRET}x` }, 401],
        [{}, 401],
      ];
      for (const [headers, status] of cases) {
        const add = await req('POST', '/api/admin/members', headers, {
          name: 'X',
          callsign: 'XRAY',
          team: 'New',
        });
        expect(add.statusCode, JSON.stringify(headers)).toBe(status);
        const link = await req('POST', '/api/admin/login-links', headers, {});
        expect(link.statusCode, JSON.stringify(headers)).toBe(status);
      }
      expect(await countRows('teams')).toBe(teams);
      expect(await countRows('members')).toBe(members);
      expect(await countRows('tokens')).toBe(tokens);
    });
  });
});
