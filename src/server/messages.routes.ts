import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Message, MessageList, MessageQuery, PostMessageBody } from '../contract/messages.ts';
import type { AppDeps } from './deps.ts';

export const messagesRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { messages } = d.services;
    const tags = ['messages'];
    app.get(
      '/api/messages',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "The team's messages, newest first, each with its mode (page with `before` and `beforeId`)",
          querystring: MessageQuery,
          response: { 200: MessageList },
        },
      },
      async (req) => {
        const { auth } = req;
        const { teamId, ...query } = req.query;
        return messages.list(auth, teamId ?? auth.teamId, query);
      },
    );
    app.post(
      '/api/messages',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary:
            "A message to your whole team, in the team's mode (also sent to its TAK clients as GeoChat)",
          body: PostMessageBody,
          response: { 201: Message },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const { teamId, ...body } = req.body;
        return reply.status(201).send(await messages.post(auth, teamId ?? auth.teamId, body));
      },
    );
  };
