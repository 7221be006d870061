// A real CoT (TAK) server over a test block's harness, and the TAK clients its tests open: started before the
// block's tests, every client closed after each test, the server closed after the block.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type CotServer, type CotServerOptions, startCotServer } from '../../src/gateways/cot/server.ts';
import { TakClient } from '../fixtures/cot/tak-client.ts';
import type { Harness } from './harness.ts';

export interface CotHarness {
  /** The server (opened in `beforeAll`). */
  readonly server: CotServer;
  /** Its TCP port. */
  readonly port: number;
  /** A TAK client connected to the server (or to `port`), closed after the test. */
  connect(port?: number): Promise<TakClient>;
}

/** Starts a CoT server on a free loopback port for the block; `h` is the block's harness. */
export function useCotServer(h: Harness, opts: Omit<CotServerOptions, 'port' | 'host'>): CotHarness {
  let server: CotServer | undefined;
  const clients: TakClient[] = [];
  const opened = () => {
    if (!server) throw new Error('the CoT server is opened in beforeAll: use it in a test or a hook');
    return server;
  };
  beforeAll(async () => {
    server = await startCotServer(h.services, { port: 0, host: '127.0.0.1', ...opts });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server() {
      return opened();
    },
    get port() {
      return opened().port;
    },
    async connect(port?: number) {
      const c = await TakClient.connect(port ?? opened().port);
      clients.push(c);
      return c;
    },
  };
}
