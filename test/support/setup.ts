// The set-up every test file on a database shares: call one of these at the top of a
// `describe.each(engines)` block, and it opens the engine's database before the block's tests, empties it
// before each test when asked (with the clock set back), and closes everything after them.

import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Role } from '../../src/contract/common.ts';
import type { LiveEvent } from '../../src/contract/live.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import type { TileDeps } from '../../src/server/tiles.routes.ts';
import type { MemberAuth } from '../../src/services/core/auth.ts';
import type { PushOptions } from '../../src/services/push/push.service.ts';
import type { Services } from '../../src/services/services.ts';
import type { Database, DatabaseKind } from '../../src/store/db.ts';
import type { DB } from '../../src/store/schema.ts';
import type { FakeClock } from './clock.ts';
import { closeDatabase } from './close-database.ts';
import { type Engine, resetDatabase } from './engines.ts';
import { addMember, createHarness, createTestServices, type Harness, resetServices } from './harness.ts';

/** A test file's database; usable in tests and hooks (it is opened in `beforeAll`). */
export interface TestDatabase {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
}

export interface SetupOptions {
  /** Empty the database (and set the clock back) before each test; otherwise the block's tests share it. */
  resetBeforeEach?: boolean;
}

function opened<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is opened in beforeAll: use it in a test or a hook`);
  return value;
}

function testDatabase(current: () => Database | undefined): TestDatabase {
  return {
    get db() {
      return opened(current(), 'the test database').db;
    },
    get kind() {
      return opened(current(), 'the test database').kind;
    },
  };
}

/** The engine's database for the repository tests of a block. */
export function useDatabase(engine: Engine, opts: SetupOptions = {}): TestDatabase {
  let d: Database | undefined;
  beforeAll(async () => {
    d = await engine.open();
  });
  if (opts.resetBeforeEach) {
    beforeEach(async () => {
      await resetDatabase(opened(d, 'the test database'));
    });
  }
  afterAll(async () => {
    await closeDatabase(d);
  });
  return testDatabase(() => d);
}

export interface HarnessOptions extends SetupOptions {
  /** The services' clock; the real time when not given. */
  clock?: FakeClock;
  /** Sign-ins a minute from one address before 429 (tests sign in far more often than people do). */
  signInsPerMinute?: number;
  /** How often the live feed sends its heartbeat (default: the server's 10 s). */
  liveHeartbeatMs?: number;
  /** Web Push settings (a test push service's origin and TLS). */
  push?: Partial<PushOptions>;
  /** The offline map areas the server keeps (none when not given). */
  tiles?: TileDeps;
}

/** The real HTTP app and services over the engine's database, for a block's tests (`h`), and that database (`d`). */
export function useHarness(engine: Engine, opts: HarnessOptions = {}): { h: Harness; d: TestDatabase } {
  let d: Database | undefined;
  let harness: Harness | undefined;
  const current = () => opened(harness, 'the test harness');
  beforeAll(async () => {
    d = await engine.open();
    harness = await createHarness(d, opts.clock?.now, {
      signInsPerMinute: opts.signInsPerMinute,
      liveHeartbeatMs: opts.liveHeartbeatMs,
      push: opts.push,
      tiles: opts.tiles,
    });
  });
  if (opts.resetBeforeEach) {
    beforeEach(async () => {
      await current().reset();
      opts.clock?.reset();
    });
  }
  afterAll(async () => {
    await harness?.close();
    await closeDatabase(d);
  });
  const h: Harness = {
    get services() {
      return current().services;
    },
    get app() {
      return current().app;
    },
    addMember: (...args) => current().addMember(...args),
    sessionCookie: (...args) => current().sessionCookie(...args),
    reset: () => current().reset(),
    close: () => current().close(),
  };
  return { h, d: testDatabase(() => d) };
}

/** What a logged event says happened, and in which mode: `[type, change or null, mode]`. */
export const said = (e: LiveEvent): [LiveEvent['type'], string | null, LiveEvent['mode']] => [
  e.type,
  'change' in e ? e.change : null,
  e.mode,
];

/** A team for a medium test: each member as added (token, device) and what their token authenticates as. */
export interface TestTeam<C extends string> {
  id: string;
  name: string;
  m: Record<C, AddedMember>;
  as: Record<C, MemberAuth>;
}

/** The services of one file's medium tests, over the engine's database, emptied before each test. */
export interface ServicesUnderTest {
  readonly services: Services;
  /** A team of a leader and members, added as the admin adds them. */
  team<L extends string, M extends string = never>(
    name: string,
    leader: L,
    members?: readonly M[],
  ): Promise<TestTeam<L | M>>;
  /** The events logged for the team after `afterSeq` (default: all), as a reconnecting client reads them. */
  events(teamId: string, afterSeq?: number): Promise<LiveEvent[]>;
  /** The team's last logged sequence number. */
  lastSeq(teamId: string): Promise<number>;
}

/**
 * The services as `createServices` wires them, over the engine's database, with the clock given (the real
 * time otherwise): for "medium" tests that call each service directly, beside the HTTP tests.
 */
export function useServices(engine: Engine, opts: { clock?: FakeClock } = {}): ServicesUnderTest {
  let d: Database | undefined;
  let services: Services | undefined;
  const current = () => opened(services, 'the services');
  beforeAll(async () => {
    d = await engine.open();
    services = createTestServices(d, opts.clock?.now);
  });
  beforeEach(async () => {
    await resetServices(opened(d, 'the test database'), current());
    opts.clock?.reset();
  });
  afterAll(async () => {
    await services?.batcher.close();
    await closeDatabase(d);
  });
  const catchUp = (teamId: string, afterSeq?: number) =>
    current().live.catchUp({ kind: 'admin' }, teamId, afterSeq);
  return {
    get services() {
      return current();
    },
    async team<L extends string, M extends string = never>(
      name: string,
      leader: L,
      members: readonly M[] = [],
    ): Promise<TestTeam<L | M>> {
      const m = {} as Record<L | M, AddedMember>;
      const as = {} as Record<L | M, MemberAuth>;
      const everyone: ReadonlyArray<[L | M, Role]> = [
        [leader, 'leader'],
        ...members.map((cs): [M, Role] => [cs, 'member']),
      ];
      for (const [callsign, role] of everyone) {
        m[callsign] = await addMember(current(), name, callsign, { role });
        const auth = await current().tokens.authenticate(m[callsign].token, ['device']);
        if (!auth) throw new Error(`the token of ${callsign} does not authenticate`);
        as[callsign] = auth;
      }
      return { id: m[leader].teamId, name, m, as };
    },
    async events(teamId, afterSeq = 0) {
      return (await catchUp(teamId, afterSeq)).flatMap((msg) => (msg.type === 'event' ? [msg.event] : []));
    },
    async lastSeq(teamId) {
      const snapshot = (await catchUp(teamId)).at(-1); // the snapshot comes after the events
      if (snapshot?.type !== 'snapshot') throw new Error('no snapshot');
      return snapshot.seq;
    },
  };
}
