import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import type { LiveMessage } from '../contract/live.ts';
import { LiveQuery } from '../contract/live.ts';
import type { MemberAuth } from '../services/core/auth.ts';
import { frameOf } from '../services/live/frames.ts';
import { newestFrame } from '../services/live/position-ticks.ts';
import type { AppDeps } from './deps.ts';

/** Close codes the web app knows: 4001 = not (or no longer) authorised, 4008 = too slow to keep up. */
export const CLOSE_UNAUTHORIZED = 4001;
export const CLOSE_TOO_SLOW = 4008;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Past this much unsent, a viewer gets only the newest position of each member in a frame. */
const SLOW_BUFFERED_BYTES = 256 * 1024;
/** Server → client: a heartbeat message the page can see (browsers hide WebSocket pings from pages). */
export const HEARTBEAT_MS = 10_000;
/** Client → server: a WebSocket ping; a client that has not answered the last one by the next is gone. */
const PING_MS = 15_000;
/** A catch-up page waits for the socket to send what it holds down to this. */
const CATCH_UP_BUFFER_BYTES = 512 * 1024;

export const liveRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { bus, live, ticks } = d.services;
    app.get(
      '/api/live',
      {
        config: { auth: 'member' },
        websocket: true,
        schema: {
          tags: ['live'],
          summary: 'Live feed (WebSocket): snapshot, then events and positions',
          querystring: LiveQuery,
        },
      },
      async (socket, req) => {
        // Authenticated before the upgrade (the route's `auth`, with `?token=` allowed here); a failure
        // closes the socket rather than refusing the upgrade, so the web app knows to sign in again.
        let auth: MemberAuth;
        try {
          auth = req.auth;
        } catch {
          socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        // Subscribe first and hold live traffic until the catch-up is out, so nothing falls in between.
        const held: LiveMessage[] = [];
        let snapshotSeq: number | null = null;
        const send = (m: LiveMessage) => {
          if (m.type === 'event' && snapshotSeq !== null && m.event.seq <= snapshotSeq) return;
          if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
            socket.close(CLOSE_TOO_SLOW, 'too slow');
            return;
          }
          // A viewer falling behind gets each member's newest position, not every superseded one.
          if (m.type === 'positions' && socket.bufferedAmount > SLOW_BUFFERED_BYTES) {
            socket.send(frameOf(newestFrame(m)));
            return;
          }
          socket.send(frameOf(m));
        };
        const unsubscribe = ticks.subscribe(auth.teamId, (m) =>
          snapshotSeq === null ? held.push(m) : send(m),
        );
        const unRevoked = bus.onRevoked((ids) => {
          if (ids.includes(auth.tokenId)) socket.close(CLOSE_UNAUTHORIZED, 'token revoked');
        });
        let answered = true;
        socket.on('pong', () => {
          answered = true;
        });
        const ping = setInterval(() => {
          // A phone that dropped off without closing (no signal, asleep) stops answering: let it go.
          if (!answered) return socket.terminate();
          answered = false;
          socket.ping();
        }, PING_MS);
        const heartbeat = setInterval(() => {
          if (snapshotSeq !== null) send({ type: 'heartbeat', time: new Date().toISOString() });
        }, d.liveHeartbeatMs ?? HEARTBEAT_MS);
        socket.on('close', () => {
          unsubscribe();
          unRevoked();
          clearInterval(ping);
          clearInterval(heartbeat);
        });
        try {
          // Any number of missed events, a page at a time, each page only once the socket has sent the last.
          for await (const page of live.catchUpPages(auth, auth.teamId, req.query.after)) {
            for (const m of page) {
              socket.send(frameOf(m));
              if (m.type === 'snapshot') snapshotSeq = m.seq;
            }
            if (!(await drained(socket))) return;
          }
          for (const m of held.splice(0)) send(m);
        } catch (err) {
          req.log.error({ err }, 'live catch-up failed');
          socket.close(1011, 'internal error');
        }
      },
    );
  };

/** Waits until the socket has written out most of what it was given; false when it closed meanwhile. */
async function drained(socket: WebSocket): Promise<boolean> {
  while (socket.readyState === socket.OPEN && socket.bufferedAmount > CATCH_UP_BUFFER_BYTES) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return socket.readyState === socket.OPEN;
}
