import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import { DeviceRegionList, DeviceRegionQuery } from '../contract/device-notices.ts';
import type { AppDeps } from './deps.ts';

/** The regions (OwnTracks waypoints) that members' apps define, for the console. */
export const deviceRegionsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/owntracks/waypoints',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['positions'],
          summary: 'The regions (OwnTracks waypoints) a member’s apps define: each device’s latest list',
          querystring: DeviceRegionQuery,
          response: { 200: DeviceRegionList, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const { auth } = req;
        return d.services.regions.list(auth, auth.teamId, req.query.memberId);
      },
    );
  };
