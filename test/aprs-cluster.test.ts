import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import { POSITIONS } from './fixtures/aprs/captures.ts';
import { AprsIsStandIn } from './support/aprs-is-server.ts';
import { PG_URL } from './support/engines.ts';
import { loopbackConfig } from './support/server.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

const NATS_URL = process.env.HOWL_TEST_NATS_URL;
const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 50 });
const MIC_E = POSITIONS.find((p) => p.name === 'Mic-E, moving, with altitude')?.line ?? ''; // OH7LZB-2

describe.skipIf(!NATS_URL || !PG_URL)('APRS-IS in a cluster', () => {
  const dirs: string[] = [];
  const nodes: RunningHowl[] = [];
  const server = new AprsIsStandIn();
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const n of nodes.splice(0)) await n.close();
    await server.close();
    await drop?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps one connection, on the node holding the lease, and moves it when that node stops', async () => {
    const temp = await createTempPostgres(PG_URL ?? '');
    drop = temp.drop;
    const port = await server.listen();
    const node = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'howl-node-'));
      dirs.push(dir);
      const howl = await startHowl(
        loopbackConfig(dir, {
          DATABASE_URL: temp.url,
          HOWL_NATS_URL: NATS_URL ?? '',
          HOWL_APRS_IS: `127.0.0.1:${port}`,
          HOWL_APRS_CALLSIGN: 'N0CALL',
        }),
        { logger: false, webDir: null },
      );
      nodes.push(howl);
      return howl;
    };
    const a = await node();
    const b = await node();
    await waitFor(() => expect(server.logins).toBe(1));
    expect(server.connected).toBe(1);

    // Added on B, which has no connection: A hears of it over NATS and updates the server's filter.
    const team = await b.services.teams.resolveExisting(undefined);
    await b.services.members.add({ kind: 'admin' }, team, {
      name: 'LZB',
      callsign: 'LZB',
      device: 'OH7LZB-2',
    });
    await waitFor(() => expect(server.received.at(-1)).toBe('#filter b/OH7LZB-2'));
    const db = new pg.Client({ connectionString: temp.url });
    await db.connect();
    try {
      const rows = async () =>
        Number(
          (await db.query(`select count(*)::int as n from positions where device_id = 'OH7LZB-2'`)).rows[0].n,
        );
      server.send(MIC_E);
      await waitFor(async () => expect(await rows()).toBe(1));

      // A stops: its lease goes with it, and B connects.
      nodes.splice(nodes.indexOf(a), 1);
      await a.close();
      await waitFor(() => expect(server.logins).toBe(2));
      expect(server.connected).toBe(1);
      expect(server.received.filter((l) => l.startsWith('user ')).at(-1)).toMatch(/filter b\/OH7LZB-2$/);
      server.send(MIC_E);
      await waitFor(async () => expect(await rows()).toBe(2));
      expect(b.node).not.toBe(a.node);
    } finally {
      await db.end();
    }
  }, 60_000);
});
