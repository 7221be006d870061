import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ClientConfig } from '../contract/config.ts';
import { Health } from '../contract/sessions.ts';
import type { AppDeps } from './deps.ts';

export const healthRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/health',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['server'],
          summary: 'Is the server up, does its database answer, and which database',
          response: { 200: Health },
        },
      },
      async () => ({
        status: (await d.services.health.databaseAnswers()) ? ('ok' as const) : ('degraded' as const),
        database: d.database,
        version: d.version,
        ...(d.cluster ? { cluster: d.cluster() } : {}),
      }),
    );
    app.get(
      '/api/config',
      {
        config: { auth: 'none' },
        schema: {
          tags: ['server'],
          summary: 'What the web app needs to start',
          response: { 200: ClientConfig },
        },
      },
      async () => d.clientConfig(),
    );
  };
