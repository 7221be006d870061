import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Replay, ReplayParams, ReplayQuery } from '../contract/replay.ts';
import type { AppDeps } from './deps.ts';

const gzipAsync = promisify(gzip);

/**
 * Sends a replay as JSON, gzipped when the client accepts it (a replay of 360,000 fixes is a few MB of
 * JSON and a fraction of that gzipped). Sent as bytes, so the route's schema documents it without the
 * serializer walking every number again; compression runs off the event loop.
 */
async function sendReplay(req: FastifyRequest, reply: FastifyReply, replay: Replay): Promise<FastifyReply> {
  const json = Buffer.from(JSON.stringify(replay));
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(json);
  const body = await gzipAsync(json, { level: 4 });
  return reply.header('content-encoding', 'gzip').send(body);
}

export const replayRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { replay } = d.services;
    const tags = ['replay'];
    app.get(
      '/api/operations/:operationId/replay',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "An operation's replay: its events and every member's positions from STARTEX to its end (or now), with the incident it escalated into",
          params: ReplayParams,
          response: { 200: Replay },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return sendReplay(req, reply, await replay.ofOperation(auth, auth.teamId, req.params.operationId));
      },
    );
    app.get(
      '/api/replay',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "A replay of any window of the team's time, at most 7 days long",
          querystring: ReplayQuery,
          response: { 200: Replay },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const { from, to } = req.query;
        return sendReplay(req, reply, await replay.ofWindow(auth, auth.teamId, new Date(from), new Date(to)));
      },
    );
  };
