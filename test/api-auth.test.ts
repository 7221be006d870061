import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FAILED_SIGN_INS_PER_ACCOUNT } from '../src/services/teams/sessions.service.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

const DAY_MS = 24 * 3600 * 1000;

describe.each(engines)('API auth on $name', (engine) => {
  const clock = new FakeClock(Date.parse('2026-06-01T12:00:00Z'));
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });

  /** A fresh login link code for a member of a team. */
  async function loginCode(team: string, callsign: string): Promise<string> {
    const t = await h.services.teams.resolveExisting(team);
    const link = await h.services.sessions.createLoginLink(t, callsign);
    return decodeURIComponent(link.url.split('#code=')[1] ?? '');
  }
  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, payload, headers });
  const me = (headers: Record<string, string>) => h.app.inject({ method: 'GET', url: '/api/me', headers });
  const cookieOf = (res: { cookies: { name: string; value: string }[] }) => {
    const c = res.cookies.find((x) => x.name === 'howl_session');
    return c ? `howl_session=${c.value}` : undefined;
  };
  const countTokens = async (kind: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from tokens where kind = ${kind}`.execute(d.db))
        .rows[0]?.n,
    );
  const passwordHash = async (memberId: string) =>
    (await d.db.selectFrom('members').select('password_hash').where('id', '=', memberId).executeTakeFirst())
      ?.password_hash;

  describe('login link', () => {
    it('signs in with an httpOnly, SameSite session cookie and answers who I am', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const res = await post('/api/auth/link', { code: await loginCode('Alpha', 'LEAD') });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        memberId: lead.memberId,
        teamId: lead.teamId,
        team: 'Alpha',
        callsign: 'LEAD',
        name: 'LEAD name',
        role: 'leader',
        hasPassword: false,
      });
      const cookie = res.cookies.find((c) => c.name === 'howl_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.value).toMatch(/^hs_/);
      const who = await me({ cookie: `howl_session=${cookie?.value}` });
      expect(who.statusCode).toBe(200);
      expect(who.json().memberId).toBe(lead.memberId);
    });

    it('refuses a login link the second time, and opens no second session', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const code = await loginCode('Alpha', 'LEAD');
      expect((await post('/api/auth/link', { code })).statusCode).toBe(200);
      const again = await post('/api/auth/link', { code });
      expect(again.statusCode).toBe(401);
      expect(again.json().error.details).toEqual({ field: 'code' });
      expect(again.json().error.message).toMatch(/^code: /);
      expect(cookieOf(again)).toBeUndefined();
      expect(await countTokens('session')).toBe(1);
    });

    it('refuses a missing, malformed or unknown code naming `code`, opening no session', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cases: [object | undefined, number][] = [
        [{}, 400],
        [{ code: 'short' }, 400],
        [{ code: 12345678901 }, 400],
        [{ code: 'x'.repeat(201) }, 400],
        [{ code: 'hl_this-code-was-never-issued-0000000000' }, 401],
      ];
      for (const [payload, status] of cases) {
        const res = await post('/api/auth/link', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json().error.details.field).toBe('code');
        expect(cookieOf(res)).toBeUndefined();
      }
      expect(await countTokens('session')).toBe(0);
    });

    it('does not take a device token as a login code, and the device token keeps working', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const res = await post('/api/auth/link', { code: lead.token });
      expect(res.statusCode).toBe(401);
      expect(await countTokens('session')).toBe(0);
      expect((await me({ authorization: `Bearer ${lead.token}` })).statusCode).toBe(200);
    });

    it('refuses a link after 24 hours', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const code = await loginCode('Alpha', 'LEAD');
      clock.ms += DAY_MS + 1000;
      const res = await post('/api/auth/link', { code });
      expect(res.statusCode).toBe(401);
      expect(await countTokens('session')).toBe(0);
    });

    it('refuses a link of a member removed after it was printed', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const m = await h.addMember('Alpha', 'ALFA');
      const code = await loginCode('Alpha', 'ALFA');
      await h.services.members.remove({ kind: 'admin' }, lead.teamId, m.memberId);
      expect((await post('/api/auth/link', { code })).statusCode).toBe(401);
      expect(await countTokens('session')).toBe(0);
    });

    it('ends a session after 30 days', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      clock.ms += 29 * DAY_MS;
      expect((await me({ cookie })).statusCode).toBe(200);
      clock.ms += 2 * DAY_MS;
      expect((await me({ cookie })).statusCode).toBe(401);
    });
  });

  describe('/api/me', () => {
    it('needs a session or a token', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cases: Record<string, string>[] = [
        {},
        { cookie: 'howl_session=hs_forged' },
        { authorization: 'Bearer howl_forged' },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ];
      for (const headers of cases) {
        const res = await me(headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
    });

    it('answers the admin that it is not a member', async () => {
      const res = await me({ authorization: `Bearer ${ADMIN_SECRET}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('not_a_member');
    });

    it('accepts a device bearer token', async () => {
      const m = await h.addMember('Alpha', 'ALFA');
      const res = await me({ authorization: `Bearer ${m.token}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ memberId: m.memberId, callsign: 'ALFA', role: 'member' });
    });
  });

  describe('passwords', () => {
    it('sets a password from a session, stored scrypt-hashed, never in plain text', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      const res = await post('/api/auth/password', { password: 'correct horse' }, { cookie });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ memberId: lead.memberId, hasPassword: true });
      const stored = await passwordHash(lead.memberId);
      expect(stored).toMatch(/^scrypt\$/);
      expect(stored).not.toContain('correct horse');
      // Salted: the same password twice gives two different hashes.
      await post(
        '/api/auth/password',
        { password: 'correct horse', currentPassword: 'correct horse' },
        { cookie },
      );
      expect(await passwordHash(lead.memberId)).not.toBe(stored);
    });

    it('changes a password only with the current one, and changes nothing otherwise', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      expect((await post('/api/auth/password', { password: 'correct horse' }, { cookie })).statusCode).toBe(
        200,
      );
      const stored = await passwordHash(lead.memberId);
      const missing = await post('/api/auth/password', { password: 'taken over!' }, { cookie });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.details.field).toBe('currentPassword');
      const wrong = await post(
        '/api/auth/password',
        { password: 'taken over!', currentPassword: 'a guess' },
        { cookie },
      );
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error.details.field).toBe('currentPassword');
      expect(await passwordHash(lead.memberId)).toBe(stored);
      const right = await post(
        '/api/auth/password',
        { password: 'battery staple', currentPassword: 'correct horse' },
        { cookie },
      );
      expect(right.statusCode).toBe(200);
      expect(
        (await post('/api/auth/login', { callsign: 'LEAD', password: 'battery staple' })).statusCode,
      ).toBe(200);
    });

    it("ends the member's other sessions when the password changes, keeping this one", async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const here = await h.sessionCookie('Alpha', 'LEAD');
      const elsewhere = await h.sessionCookie('Alpha', 'LEAD');
      expect((await me({ cookie: elsewhere })).statusCode).toBe(200);
      expect(
        (await post('/api/auth/password', { password: 'a new passphrase' }, { cookie: here })).statusCode,
      ).toBe(200);
      expect((await me({ cookie: here })).statusCode).toBe(200);
      expect((await me({ cookie: elsewhere })).statusCode).toBe(401);
    });

    it('refuses a password shorter than 8 characters naming `password`, and keeps none', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      for (const payload of [{ password: '1234567' }, { password: '' }, {}, { password: 12345678 }]) {
        const res = await post('/api/auth/password', payload, { cookie });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details.field).toBe('password');
      }
      expect(await passwordHash(lead.memberId)).toBeNull();
      expect((await me({ cookie })).json().hasPassword).toBe(false);
    });

    it('refuses to set a password with a device token, or with no sign-in', async () => {
      const m = await h.addMember('Alpha', 'ALFA');
      const withDevice = await post(
        '/api/auth/password',
        { password: 'long enough' },
        { authorization: `Bearer ${m.token}` },
      );
      expect(withDevice.statusCode).toBe(403);
      const anonymous = await post('/api/auth/password', { password: 'long enough' });
      expect(anonymous.statusCode).toBe(401);
      expect(await passwordHash(m.memberId)).toBeNull();
    });

    it('signs in with callsign and password, in any letter case', async () => {
      const lead = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      await post('/api/auth/password', { password: 'correct horse' }, { cookie });
      const res = await post('/api/auth/login', { callsign: 'lead', password: 'correct horse' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ memberId: lead.memberId, hasPassword: true });
      const session = cookieOf(res);
      expect(session).toBeDefined();
      expect((await me({ cookie: session ?? '' })).json().memberId).toBe(lead.memberId);
      const withTeam = await post('/api/auth/login', {
        callsign: 'LEAD',
        password: 'correct horse',
        team: 'alpha',
      });
      expect(withTeam.statusCode).toBe(200);
    });

    it('refuses a wrong password, an unknown callsign and the wrong team with 401, opening no session', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      await h.addMember('Bravo', 'BOSS', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      await post('/api/auth/password', { password: 'correct horse' }, { cookie });
      const sessionsBefore = await countTokens('session');
      for (const payload of [
        { callsign: 'LEAD', password: 'wrong horse' },
        { callsign: 'LEAD', password: 'correct horse ' },
        { callsign: 'NOBODY', password: 'correct horse' },
        { callsign: 'LEAD', password: 'correct horse', team: 'Bravo' },
        { callsign: 'LEAD', password: 'correct horse', team: 'No such team' },
        { callsign: 'BOSS', password: 'correct horse' }, // has no password at all
      ]) {
        const res = await post('/api/auth/login', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(401);
        expect(res.json().error.code).toBe('bad_login');
        expect(cookieOf(res)).toBeUndefined();
      }
      expect(await countTokens('session')).toBe(sessionsBefore);
    });

    it('refuses a malformed login naming the field', async () => {
      for (const [payload, field] of [
        [{ password: 'x' }, 'callsign'],
        [{ callsign: '', password: 'x' }, 'callsign'],
        [{ callsign: 'LEAD' }, 'password'],
        [{ callsign: 'LEAD', password: '' }, 'password'],
      ] as const) {
        const res = await post('/api/auth/login', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.details.field).toBe(field);
      }
    });

    it('tells apart two members with the same callsign in two teams by their passwords', async () => {
      const a = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const b = await h.addMember('Bravo', 'LEAD', { role: 'leader' });
      await post(
        '/api/auth/password',
        { password: 'alpha secret' },
        { cookie: await h.sessionCookie('Alpha', 'LEAD') },
      );
      await post(
        '/api/auth/password',
        { password: 'bravo secret' },
        { cookie: await h.sessionCookie('Bravo', 'LEAD') },
      );
      expect(
        (await post('/api/auth/login', { callsign: 'LEAD', password: 'alpha secret' })).json().memberId,
      ).toBe(a.memberId);
      expect(
        (await post('/api/auth/login', { callsign: 'LEAD', password: 'bravo secret' })).json().memberId,
      ).toBe(b.memberId);
    });
  });

  describe('logout', () => {
    it('revokes the session and clears the cookie', async () => {
      await h.addMember('Alpha', 'LEAD', { role: 'leader' });
      const cookie = await h.sessionCookie('Alpha', 'LEAD');
      const other = await h.sessionCookie('Alpha', 'LEAD');
      const res = await post('/api/auth/logout', undefined, { cookie });
      expect(res.statusCode).toBe(204);
      const cleared = res.cookies.find((c) => c.name === 'howl_session');
      expect(cleared?.value ?? '').toBe('');
      expect((await me({ cookie })).statusCode).toBe(401);
      // Only that session ends.
      expect((await me({ cookie: other })).statusCode).toBe(200);
    });

    it('answers 204 without a session, changing nothing', async () => {
      const m = await h.addMember('Alpha', 'ALFA');
      const res = await post('/api/auth/logout');
      expect(res.statusCode).toBe(204);
      expect((await me({ authorization: `Bearer ${m.token}` })).statusCode).toBe(200);
    });
  });
});

describe.each(engines.slice(0, 1))('sign-in rate limit on $name', (engine) => {
  const { h } = useHarness(engine, { signInsPerMinute: 5 });

  it('answers 429 after too many sign-in attempts from one address, naming the wait', async () => {
    const attempt = (remoteAddress: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { callsign: 'NOBODY', password: 'guess-guess' },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('10.9.8.7')).statusCode).toBe(401);
    const limited = await attempt('10.9.8.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
    expect(limited.json().error.message).toMatch(/try again in/);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    // Another address is not affected.
    expect((await attempt('10.9.8.8')).statusCode).toBe(401);
  });

  it('limits failed sign-ins per account from any address, leaving other accounts alone', async () => {
    await h.addMember('Alpha', 'LEAD', { role: 'leader' });
    await h.addMember('Alpha', 'OTHER', { role: 'leader' });
    const cookie = await h.sessionCookie('Alpha', 'OTHER');
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { password: 'other secret' },
    });
    const attempt = (callsign: string, password: string, remoteAddress: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { callsign, password },
      });
    // Ten guesses from ten addresses (each under its own limit): the account is closed to the eleventh.
    for (let i = 0; i < FAILED_SIGN_INS_PER_ACCOUNT; i++)
      expect((await attempt('LEAD', `guess ${i}`, `10.1.0.${i}`)).statusCode).toBe(401);
    const limited = await attempt('lead', 'guess again', '10.2.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toMatch(/failed sign-ins for this account/);
    expect((await attempt('OTHER', 'other secret', '10.2.0.2')).statusCode).toBe(200);
  });
});
