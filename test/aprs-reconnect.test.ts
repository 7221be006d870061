import { describe, expect, it, vi } from 'vitest';
import { filterFor, startAprsGateway } from '../src/gateways/aprs/gateway.ts';
import type { AprsLogger } from '../src/gateways/aprs/logger.ts';
import { VERSION } from '../src/server/paths.ts';
import { POSITIONS } from './fixtures/aprs/captures.ts';
import { AprsIsStandIn } from './support/aprs-is-server.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const quiet: AprsLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });
const engine = engines[0];
if (!engine) throw new Error('no database engine');

describe('APRS-IS connection upkeep', () => {
  const { h, d } = useHarness(engine);

  it('keeps trying while the server is down, and logs in once it is up', async () => {
    await h.addMember('Radio team', 'FDN', { device: 'OH7FDN' });
    const probe = new AprsIsStandIn();
    const port = await probe.listen();
    await probe.close();
    const gateway = await startAprsGateway(h.services, {
      server: `127.0.0.1:${port}`,
      callsign: 'N0CALL',
      version: VERSION,
      logger: quiet,
      minBackoffMs: 20,
      maxBackoffMs: 100,
    });
    const server = new AprsIsStandIn();
    try {
      await gateway.ready();
      await waitFor(() => expect(gateway.connections).toBeGreaterThanOrEqual(3));
      await server.listen(port);
      await waitFor(() => expect(server.logins).toBe(1));
      expect(server.received[0]).toBe(`user N0CALL pass -1 vers Howl ${VERSION} filter b/OH7FDN`);
      const moving = POSITIONS.find((p) => p.name === 'moving target with telemetry in the comment');
      server.send(moving?.line ?? '');
      await waitFor(async () =>
        expect(
          await d.db.selectFrom('positions').select('id').where('device_id', '=', 'OH7FDN').execute(),
        ).toHaveLength(1),
      );
    } finally {
      await gateway.close();
      await server.close();
    }
  });

  it('takes a silent server for dead and connects again', async () => {
    const server = new AprsIsStandIn();
    const port = await server.listen();
    const gateway = await startAprsGateway(h.services, {
      server: `127.0.0.1:${port}`,
      callsign: 'N0CALL',
      version: VERSION,
      logger: quiet,
      minBackoffMs: 20,
      idleTimeoutMs: 300,
    });
    try {
      // The stand-in sends nothing after the login: no keepalive, so the connection counts as dead.
      await waitFor(() => expect(server.logins).toBeGreaterThanOrEqual(2));
    } finally {
      await gateway.close();
      await server.close();
    }
  });
});

describe('the APRS-IS filter', () => {
  it('names the callsigns nine to a b/ term, sorted', () => {
    const calls = Array.from({ length: 11 }, (_, i) => `N${String(i).padStart(2, '0')}AA-9`);
    expect(filterFor('N0CALL', calls)).toBe(`b/${calls.slice(0, 9).join('/')} b/${calls.slice(9).join('/')}`);
  });

  it('names the login callsign, which never sends, when no tracker is registered', () => {
    expect(filterFor('n0call-10', [])).toBe('b/N0CALL-10');
  });
});
