import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import { CreatedWebhook, CreateWebhookBody, WebhookList, WebhookParams } from '../contract/webhooks.ts';
import type { AppDeps } from './deps.ts';

export const webhooksRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { webhooks } = d.services;
    const tags = ['webhooks'];
    app.get(
      '/api/webhooks',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: "The team's webhooks with their latest deliveries (leader)",
          response: { 200: WebhookList },
        },
      },
      async (req) => {
        const { auth } = req;
        return { webhooks: await webhooks.list(auth, auth.teamId) };
      },
    );
    app.post(
      '/api/webhooks',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Add a webhook: alerts, callouts and roll calls POSTed as signed JSON (leader)',
          description:
            'Each body carries `event`, `mode` and a `text` with the mode’s prefix. `X-Howl-Signature` is ' +
            '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`.',
          body: CreateWebhookBody,
          response: { 201: CreatedWebhook, 400: ErrorBody },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await webhooks.create(auth, auth.teamId, req.body));
      },
    );
    app.delete(
      '/api/webhooks/:webhookId',
      {
        config: { auth: 'leader' },
        schema: { tags, summary: 'Remove a webhook and its deliveries (leader)', params: WebhookParams },
      },
      async (req, reply) => {
        const { auth } = req;
        await webhooks.remove(auth, auth.teamId, req.params.webhookId);
        return reply.status(204).send();
      },
    );
  };
