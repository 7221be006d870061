import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FieldPositionBody, LatestPositions, Position, Trails, TrailsQuery } from '../contract/positions.ts';
import type { AppDeps } from './deps.ts';

export const positionsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { positions } = d.services;
    app.get(
      '/api/positions/latest',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['positions'],
          summary: "Each member's latest position, as GeoJSON",
          response: { 200: LatestPositions },
        },
      },
      async (req) => {
        const { auth } = req;
        return positions.latest(auth, auth.teamId);
      },
    );
    app.get(
      '/api/positions/trails',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['positions'],
          summary: "Members' trails",
          querystring: TrailsQuery,
          response: { 200: Trails },
        },
      },
      async (req) => {
        const { auth } = req;
        const since = req.query.since ? new Date(req.query.since) : undefined;
        return { trails: await positions.trails(auth, auth.teamId, since) };
      },
    );
    app.post(
      '/api/positions',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['positions'],
          summary: 'Report your own position (field page); 200 once stored',
          body: FieldPositionBody,
          response: { 200: z.object({ stored: z.literal(true), position: Position }) },
        },
      },
      async (req) => {
        const { auth } = req;
        const b = req.body;
        const position = await positions.reportFromMember(auth, {
          time: new Date(b.time),
          lat: b.lat,
          lon: b.lon,
          accuracyM: b.accuracy ?? undefined,
          altitudeM: b.altitude ?? undefined,
          speedMps: b.speed ?? undefined,
          bearingDeg: b.heading ?? undefined,
          batteryPct: b.battery ?? undefined,
          source: 'field',
        });
        return { stored: true as const, position };
      },
    );
  };
