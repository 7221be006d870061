import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ExportQuery } from '../contract/positions.ts';
import { tracksToGeoJson, tracksToGpx } from '../formats/track-export.ts';
import { slug } from '../services/replay/reports.service.ts';
import type { AppDeps } from './deps.ts';

export const exportRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/positions/export',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['positions'],
          summary: "Members' trails as a GPX or GeoJSON file",
          querystring: ExportQuery,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const q = req.query;
        const { name, tracks } = q.operationId
          ? await d.services.positions.operationTracks(auth, auth.teamId, q.operationId, q.memberId)
          : {
              name: 'Howl trails',
              tracks: await d.services.positions.tracks(auth, auth.teamId, {
                memberId: q.memberId,
                since: q.since ? new Date(q.since) : undefined,
                until: q.until ? new Date(q.until) : undefined,
              }),
            };
        const first = Math.min(...tracks.flatMap((t) => t.points.slice(0, 1).map((p) => p.timeMs)));
        const stamp = Number.isFinite(first)
          ? new Date(first).toISOString().slice(0, 16).replace(':', '')
          : 'empty';
        const file = `howl-${q.operationId ? `${slug(name)}-` : ''}${stamp}`;
        if (q.format === 'gpx') {
          return reply
            .type('application/gpx+xml; charset=utf-8')
            .header('content-disposition', `attachment; filename="${file}.gpx"`)
            .send(tracksToGpx(tracks, name));
        }
        return reply
          .type('application/geo+json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}.geojson"`)
          .send(JSON.stringify(tracksToGeoJson(tracks)));
      },
    );
  };
