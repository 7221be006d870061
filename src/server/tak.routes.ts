import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { takDataPackage } from '../gateways/cot/data-package.ts';
import { requireLeader } from '../services/auth.ts';
import type { AppDeps } from './deps.ts';

/** The Cursor-on-Target port when the server does not say (HOWL_COT_PORT's default). */
export const DEFAULT_COT_PORT = 8087;

export const takRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/tak/package.zip',
      {
        schema: {
          tags: ['team'],
          summary: 'ATAK data package that connects a TAK client to this server (leader)',
          produces: ['application/zip'],
        },
      },
      async (req, reply) => {
        const auth = await d.auth.member(req);
        requireLeader(auth, auth.teamId);
        // Phones reach the gateway on the host they reach the console on.
        const host = new URL(d.clientConfig().publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
        const zip = takDataPackage({ host, port: d.cotPort ?? DEFAULT_COT_PORT });
        return reply
          .type('application/zip')
          .header('content-disposition', 'attachment; filename="howl-tak.zip"')
          .header('cache-control', 'no-store')
          .send(zip);
      },
    );
  };
