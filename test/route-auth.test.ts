import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { buildApp } from '../src/server/app.ts';
import { RequestAuth } from '../src/server/request-auth.ts';
import { ROUTE_AUTH, type RouteAuth, type RouteAuthEntry } from '../src/server/route-auth.ts';
import type { Database } from '../src/store/db.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET, createHarness, type Harness } from './support/harness.ts';

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
/** A route's URL with a fresh random UUID for each path parameter. */
const concrete = (url: string) => url.replace(/:\w+/g, () => randomUUID());
const named = (r: RouteAuthEntry) => `${r.method} ${r.url}`;

describe.each(engines)('route auth on $name', (engine) => {
  let d: Database;
  let h: Harness;
  let leader: AddedMember;
  let member: AddedMember;

  beforeAll(async () => {
    d = await engine.open();
    h = await createHarness(d);
    leader = await h.addMember('Alpha', 'LEAD', { role: 'leader' });
    member = await h.addMember('Alpha', 'ALFA');
  });
  afterAll(async () => {
    await h.close();
    await d.close();
  });

  const routes = (...levels: RouteAuth[]) => h.app.routeAuth.filter((r) => levels.includes(r.auth));
  /** The routes whose answer to `headers` has a status other than `expected`, as `METHOD url → status`. */
  async function answersOtherThan(list: readonly RouteAuthEntry[], headers: Headers, expected: number) {
    const wrong: string[] = [];
    for (const r of list) {
      const res = await h.app.inject({ method: r.method as HTTPMethods, url: concrete(r.url), headers });
      if (res.statusCode !== expected) wrong.push(`${named(r)} → ${res.statusCode}`);
    }
    return wrong;
  }

  describe('declarations', () => {
    it('has every /api route declare who may call it', async () => {
      expect(h.app.routeAuth.length).toBeGreaterThan(60);
      for (const r of h.app.routeAuth) {
        expect(r.url).toMatch(/^\/api(\/|$)/);
        expect(ROUTE_AUTH).toContain(r.auth);
      }
      // Every documented operation carries the same declaration.
      const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      const declared = new Map(h.app.routeAuth.map((r) => [named(r), r.auth]));
      const documented = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>);
      expect(documented.length).toBeGreaterThan(40);
      for (const [path, operations] of documented) {
        for (const [method, op] of Object.entries(operations)) {
          const url = path.replace(/\{(\w+)\}/g, ':$1');
          expect(op['x-howl-auth'], `${method} ${path}`).toBe(declared.get(`${method.toUpperCase()} ${url}`));
        }
      }
    });

    it('keeps public only the health, configuration, API document and sign-in routes (and the secret-checked inReach webhook)', () => {
      const open = routes('none').filter((r) => r.method !== 'HEAD');
      expect(open.map(named).sort()).toEqual([
        'GET /api/config',
        'GET /api/health',
        'GET /api/openapi.json',
        'POST /api/auth/link',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        // Garmin's IPC Outbound carries no Howl credential: the team's inReach secret, checked by the route.
        'POST /api/inreach/outbound',
      ]);
      expect(routes('admin').map(named).sort()).toEqual([
        'POST /api/admin/backup',
        'POST /api/admin/exports',
        'POST /api/admin/login-links',
        'POST /api/admin/members',
        'POST /api/admin/prune',
      ]);
      expect(routes('device').map(named)).toEqual(['POST /api/owntracks']);
      expect(h.app.routeAuth).toContainEqual({ method: 'GET', url: '/api/live', auth: 'member' });
    });

    it('refuses to start with an /api route that declares no auth', async () => {
      const sneaky: FastifyPluginAsync = async (app) => {
        app.get('/api/sneaky', async () => ({ open: true }));
      };
      const deps = {
        services: h.services,
        auth: new RequestAuth(h.services.tokens, ADMIN_SECRET),
        database: d.kind,
        version: 'test',
        clientConfig: () => ({ version: 'test', tiles: null, publicUrl: 'http://howl.test', httpsUrl: null }),
        webDir: null,
        secureCookies: false,
        teamName: 'My team',
        gatewayRoutes: [sneaky],
      };
      await expect(buildApp(deps, { logger: false })).rejects.toThrow(/GET \/api\/sneaky declares no auth/);
    });
  });

  describe('enforcement', () => {
    it('answers 401 without credentials on every member and leader route', async () => {
      const list = routes('member', 'leader');
      expect(list.length).toBeGreaterThan(60);
      expect(await answersOtherThan(list, {}, 401)).toEqual([]);
      const res = await h.app.inject({ method: 'GET', url: '/api/members' });
      expect(res.json()).toEqual({
        error: { code: 'unauthorized', message: 'sign in, or send a bearer token' },
      });
    });

    it("answers 401 to an unknown token and 400 to the admin secret on a member's route", async () => {
      const unknown = await h.app.inject({ method: 'GET', url: '/api/team', headers: bearer('howl_nope') });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json().error.message).toBe('token: unknown or revoked');
      const admin = await h.app.inject({ method: 'GET', url: '/api/team', headers: bearer(ADMIN_SECRET) });
      expect(admin.statusCode).toBe(400);
      expect(admin.json().error.code).toBe('not_a_member');
    });

    it("answers 403 to a plain member's token on every leader route", async () => {
      const list = routes('leader');
      expect(list.length).toBeGreaterThan(20);
      expect(await answersOtherThan(list, bearer(member.token), 403)).toEqual([]);
      const res = await h.app.inject({ method: 'POST', url: '/api/skills', headers: bearer(member.token) });
      expect(res.json()).toEqual({ error: { code: 'forbidden', message: 'only a team leader may do this' } });
    });

    it("lets a leader's token through the hook on every leader route", async () => {
      const refused: string[] = [];
      for (const r of routes('leader')) {
        const headers = bearer(leader.token);
        const res = await h.app.inject({ method: r.method as HTTPMethods, url: concrete(r.url), headers });
        if (res.statusCode === 401 || res.statusCode === 403) refused.push(`${named(r)} → ${res.statusCode}`);
      }
      expect(refused).toEqual([]);
    });

    it('answers 401 without, and 403 with a member token, on the admin routes', async () => {
      expect(await answersOtherThan(routes('admin'), {}, 401)).toEqual([]);
      expect(await answersOtherThan(routes('admin'), bearer(leader.token), 403)).toEqual([]);
    });

    it('asks nothing of the public routes', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { callsign: 1 } });
      expect(login.statusCode).toBe(400);
    });
  });

  describe('order', () => {
    it('authenticates before it reads or validates the body', async () => {
      const bad = { position: 'nowhere', text: 42 };
      const anonymous = await h.app.inject({ method: 'POST', url: '/api/alerts/sos', payload: bad });
      expect(anonymous.statusCode).toBe(401);
      const notLeader = await h.app.inject({
        method: 'POST',
        url: '/api/skills',
        headers: bearer(member.token),
        payload: { name: 42 },
      });
      expect(notLeader.statusCode).toBe(403);
      // A body over the limit is refused for want of credentials, before anyone reads it.
      const huge = await h.app.inject({
        method: 'POST',
        url: '/api/positions',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ text: 'x'.repeat(100 * 1024) }),
      });
      expect(huge.statusCode).toBe(401);
      // With credentials, the body is validated as before.
      const invalid = await h.app.inject({
        method: 'POST',
        url: '/api/skills',
        headers: bearer(leader.token),
        payload: { name: 42 },
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error.code).toBe('invalid_input');
    });
  });
});
