import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import {
  PushStatusList,
  PushSubscribed,
  PushSubscriptionBody,
  PushUnsubscribeBody,
  VapidPublicKey,
} from '../contract/push.ts';
import type { AppDeps } from './deps.ts';

export const pushRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { push } = d.services;
    const tags = ['push'];
    app.get(
      '/api/push/vapid-public-key',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The server's VAPID public key, for pushManager.subscribe's applicationServerKey",
          response: { 200: VapidPublicKey },
        },
      },
      async () => ({ publicKey: await push.publicKey() }),
    );
    app.post(
      '/api/push/subscriptions',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "Receive the team's alerts as Web Push notifications on this browser",
          description:
            'The body is the browser’s PushSubscription (subscription.toJSON()). Only the browsers’ push services ' +
            '(FCM, Mozilla, Apple, Windows) and origins in HOWL_PUSH_ALLOWED_ORIGINS are accepted.',
          body: PushSubscriptionBody,
          response: { 201: PushSubscribed, 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const ua = req.headers['user-agent'] ?? null;
        return reply.status(201).send(await push.subscribe(auth, req.body, ua));
      },
    );
    app.delete(
      '/api/push/subscriptions',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Stop pushes to one of your browsers',
          body: PushUnsubscribeBody,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        await push.unsubscribe(auth, req.body.endpoint);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/push/status',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Per member: browsers taking pushes, the last delivery and failure (leader)',
          response: { 200: PushStatusList },
        },
      },
      async (req) => {
        const { auth } = req;
        return push.status(auth, auth.teamId);
      },
    );
  };
