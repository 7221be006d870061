import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { type Database, openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { bearer } from './fixtures/owntracks/support.ts';
import { PG_URL } from './support/engines.ts';
import { createHarness, type Harness } from './support/harness.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

/**
 * PostgreSQL going away for seconds, through a TCP proxy the test cuts and restores (never by stopping the
 * shared server): the process survives connection resets under load, requests that need the database get a
 * 503 with Retry-After and never a 200 for unstored data, /api/health says degraded, and Howl recovers by
 * itself when the database returns.
 */
describe.runIf(PG_URL)('PostgreSQL outage', () => {
  let temp: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let database: Database;
  let h: Harness;
  let m: AddedMember;

  beforeAll(async () => {
    temp = await createTempPostgres(PG_URL as string);
    const target = new URL(temp.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(temp.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    database = await openDatabase({ url: viaProxy.toString() });
    await migrateToLatest(database.db);
    h = await createHarness(database);
    m = await h.addMember('Outage', 'LEAD', { role: 'leader' });
  });
  afterAll(async () => {
    await h?.close();
    await database?.close();
    await proxy?.close();
    await temp?.drop();
  });

  const health = async () => (await h.app.inject({ method: 'GET', url: '/api/health' })).json().status;
  const post = (lat: number) =>
    h.app.inject({
      method: 'POST',
      url: '/api/positions',
      headers: bearer(m),
      payload: { lat, lon: 7.1, time: new Date().toISOString(), accuracy: 5 },
    });

  it('answers 503 with Retry-After while the database is cut, and recovers by itself', async () => {
    expect(await health()).toBe('ok');
    const acknowledged: number[] = [];
    // Load on the pool when the connections are reset: every answer is a 200 (stored) or a 503.
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      post(46 + i / 1000).then((r) => {
        if (r.statusCode === 200) acknowledged.push(46 + i / 1000);
        return r;
      }),
    );
    proxy.cut();
    const during = await Promise.all(inFlight);
    for (const r of during) expect([200, 503]).toContain(r.statusCode);
    const refused = await post(47);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().error.code).toBe('database_unavailable');
    await expect.poll(health, { timeout: 10_000, interval: 200 }).toBe('degraded');

    proxy.restore();
    await expect.poll(health, { timeout: 15_000, interval: 200 }).toBe('ok');
    await expect.poll(async () => (await post(48)).statusCode, { timeout: 15_000, interval: 200 }).toBe(200);

    // Nothing acknowledged was lost.
    const rows = await database.db.selectFrom('positions').select('lat').execute();
    const stored = new Set(rows.map((r) => r.lat));
    for (const lat of acknowledged) expect(stored.has(lat)).toBe(true);
  });
});
