import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/app/config.ts';
import { type RunningHowl, type StartOptions, startHowl } from '../../src/app/start.ts';
import type { AddedMember } from '../../src/contract/members.ts';
import { type Engine, PG_URL } from './engines.ts';
import { createTempPostgres } from './temp-postgres.ts';

/** A server's settings with every port on loopback and chosen by the system, and its data in `dataDir`. */
export function loopbackConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOWL_HTTPS_PORT: '0',
    HOWL_OSMAND_PORT: '0',
    HOWL_COT_PORT: '0',
    HOST: '127.0.0.1',
    HOWL_DATA_DIR: dataDir,
    ...env,
  });
}

export interface TestServer {
  howl: RunningHowl;
  /** Its data folder, removed on close. */
  dir: string;
  close(): Promise<void>;
}

/**
 * A Howl started as `npm start` starts it, on loopback ports of its own with a fresh data folder: on its
 * embedded database, or on a new PostgreSQL database (dropped on close) for the `postgres` engine.
 */
export async function startServer(
  engine: Engine['name'],
  prefix: string,
  env: Record<string, string> = {},
  opts: StartOptions = { logger: false, webDir: null },
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), `howl-${prefix}-`));
  let drop: (() => Promise<void>) | undefined;
  try {
    if (engine === 'postgres') {
      if (!PG_URL) throw new Error('a PostgreSQL server needs HOWL_TEST_POSTGRES_URL');
      const pg = await createTempPostgres(PG_URL);
      drop = pg.drop;
      env = { ...env, DATABASE_URL: pg.url };
    }
    const howl = await startHowl(loopbackConfig(dir, env), opts);
    return {
      howl,
      dir,
      async close() {
        await howl.close();
        await drop?.();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Makes `callsigns` the whole of the server's first team, as the admin would: each is added (a leader when
 * `leaders` names them), and the leader made at first start hands over to them.
 */
export async function handOverTeam<C extends string>(
  howl: RunningHowl,
  callsigns: readonly C[],
  opts: { leaders: readonly C[]; devices?: Partial<Record<C, string>> },
): Promise<Record<C, AddedMember>> {
  const team = await howl.services.teams.resolveExisting(undefined);
  const added = {} as Record<C, AddedMember>;
  for (const cs of callsigns) {
    added[cs] = await howl.services.members.add({ kind: 'admin' }, team, {
      name: cs,
      callsign: cs,
      role: opts.leaders.includes(cs) ? 'leader' : 'member',
      device: opts.devices?.[cs],
    });
  }
  const first = (await howl.services.members.list({ kind: 'admin' }, team.id)).find(
    (x) => x.callsign === 'LEADER',
  );
  if (first) await howl.services.members.remove({ kind: 'admin' }, team.id, first.id);
  return added;
}
