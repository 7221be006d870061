import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import { DistanceTable, DistanceTableBody, RingsBody, RingsCollection } from '../contract/search-rings.ts';
import type { AppDeps } from './deps.ts';

/** Distance rings: the team's lost-person statistics and the rings around an initial planning point. */
export const searchRingsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { distanceRings } = d.services;
    const tags = ['search'];
    app.get(
      '/api/search/distance-table',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's lost-person statistics: distance quantiles per subject category",
          response: { 200: DistanceTable },
        },
      },
      async (req) => distanceRings.table(req.auth, req.auth.teamId),
    );
    app.put(
      '/api/search/distance-table',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: "Upload the team's lost-person statistics as CSV, replacing the previous table (leader)",
          body: DistanceTableBody,
          response: { 200: DistanceTable, 400: ErrorBody },
        },
      },
      async (req) => distanceRings.setTable(req.auth, req.auth.teamId, req.body),
    );
    app.post(
      '/api/search/distance-rings',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'The distance rings of a subject category around the initial planning point, as GeoJSON',
          body: RingsBody,
          response: { 200: RingsCollection, 400: ErrorBody },
        },
      },
      async (req) => distanceRings.rings(req.auth, req.auth.teamId, req.body),
    );
  };
