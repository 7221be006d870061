import type { FastifyInstance } from 'fastify';
import { buildHowlApp } from '../../src/app/http-app.ts';
import type { Role } from '../../src/contract/common.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { RequestAuth } from '../../src/server/request-auth.ts';
import type { TileDeps } from '../../src/server/tiles.routes.ts';
import type { PushOptions } from '../../src/services/push/push.service.ts';
import { createServices, type Services } from '../../src/services/services.ts';
import type { Database } from '../../src/store/db.ts';
import { resetDatabase } from './engines.ts';

export const ADMIN_SECRET = 'test-admin-secret-0123456789abcdef';
export const TEST_URLS = {
  publicUrl: 'http://howl.test:8080',
  httpsUrl: 'https://howl.test:8443',
  osmandUrl: 'http://howl.test:5055',
};

export interface Harness {
  services: Services;
  app: FastifyInstance;
  /** Adds a member to a team (created when new) as the admin would, returning its token. */
  addMember(team: string, callsign: string, opts?: { role?: Role; device?: string }): Promise<AddedMember>;
  /** A console session cookie for a member, through a login link. */
  sessionCookie(team: string, callsign: string): Promise<string>;
  /** Empties the database and forgets what the services cached of it, for the next test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The services over a test database, as `createServices` wires them, with the test URLs and clock. */
export function createTestServices(
  d: Database,
  now?: () => Date,
  signInsPerMinute = 100_000,
  push?: Partial<PushOptions>,
): Services {
  // Tests sign in far more often than people do; the limit itself has its own test.
  return createServices(d.db, () => TEST_URLS, now, { signInsPerMinute, push });
}

/** Adds a member to a team (created when new) as the admin would, returning its token. */
export async function addMember(
  services: Services,
  team: string,
  callsign: string,
  opts: { role?: Role; device?: string } = {},
): Promise<AddedMember> {
  const t = await services.teams.resolveForAdmin(team, team);
  return services.members.add({ kind: 'admin' }, t, {
    name: `${callsign} name`,
    callsign,
    role: opts.role ?? 'member',
    device: opts.device,
  });
}

/** Empties the database and makes the services forget what they cached of it, for the next test. */
export async function resetServices(d: Database, services: Services): Promise<void> {
  await resetDatabase(d);
  services.active.clear();
  services.devices.clear();
}

/** The real HTTP app over a test database, for `app.inject()` or a real listen. */
export async function createHarness(
  d: Database,
  now?: () => Date,
  opts: {
    signInsPerMinute?: number;
    liveHeartbeatMs?: number;
    push?: Partial<PushOptions>;
    tiles?: TileDeps;
  } = {},
): Promise<Harness> {
  const services = createTestServices(d, now, opts.signInsPerMinute, opts.push);
  const app = await buildHowlApp(
    {
      services,
      auth: new RequestAuth(services.tokens, ADMIN_SECRET),
      database: d.kind,
      version: 'test',
      clientConfig: () => ({
        version: 'test',
        tiles: null,
        publicUrl: TEST_URLS.publicUrl,
        httpsUrl: TEST_URLS.httpsUrl,
      }),
      webDir: null,
      secureCookies: false,
      teamName: 'My team',
      liveHeartbeatMs: opts.liveHeartbeatMs,
      tiles: opts.tiles,
    },
    { logger: false },
  );
  await app.ready();
  return {
    services,
    app,
    addMember: (team, callsign, opts) => addMember(services, team, callsign, opts),
    async sessionCookie(team, callsign) {
      const t = await services.teams.resolveExisting(team);
      const link = await services.sessions.createLoginLink(t, callsign);
      const code = decodeURIComponent(link.url.split('#code=')[1] ?? '');
      const res = await app.inject({ method: 'POST', url: '/api/auth/link', payload: { code } });
      const cookie = res.cookies.find((c) => c.name === 'howl_session');
      if (!cookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
      return `howl_session=${cookie.value}`;
    },
    reset: () => resetServices(d, services),
    async close() {
      await services.batcher.close();
      await app.close();
    },
  };
}
