import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The close code a WebSocket client gets when the server stops: 1001, "going away". */
export const CLOSE_GOING_AWAY = 1001;

export interface Drain {
  /**
   * Stops taking connections and closes the app once the open ones have gone, at most `graceMs` later. A
   * request already on its way over a kept-alive connection is still answered (with `Connection: close`, so
   * the client opens no more), rather than reset as closing idle connections at once would do to it.
   */
  close(graceMs: number): Promise<void>;
}

/** Makes `app` stoppable without dropping requests under load. Call before it listens. */
export function drainable(app: FastifyInstance): Drain {
  let draining = false;
  app.addHook('onRequest', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  return {
    async close(graceMs) {
      draining = true;
      const server = app.server;
      // WebSocket viewers hear why: they reconnect to another node or when this one is back.
      for (const client of app.websocketServer?.clients ?? [])
        client.close(CLOSE_GOING_AWAY, 'server stopping');
      // Stop listening only: `http.Server#close` would also close idle kept-alive connections, and a request
      // a client sent on one at that moment would be reset instead of answered.
      if (server.listening) NetServer.prototype.close.call(server);
      const deadline = performance.now() + graceMs;
      while (performance.now() < deadline && (await connections(server)) > 0) {
        await new Promise((r) => setTimeout(r, 25));
      }
      await app.close();
    },
  };
}

function connections(server: NetServer): Promise<number> {
  return new Promise((resolve) => server.getConnections((err, n) => resolve(err ? 0 : n)));
}
