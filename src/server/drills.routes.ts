import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreateDrillBody,
  Drill,
  DrillList,
  DrillParams,
  DrillTrackParams,
  DrillTracks,
  FindBody,
  Progress,
  ProgressQuery,
  UpdateDrillBody,
  UploadTrackQuery,
} from '../contract/drills.ts';
import { MemberParams } from '../contract/members.ts';
import { MAX_TRACK_FILE_BYTES, TrackFileError } from '../formats/gpx-read.ts';
import type { AppDeps } from './deps.ts';

/** The content types a GPX or KML file arrives with (browsers and curl vary). */
export const TRACK_FILE_TYPES = [
  'application/gpx+xml',
  'application/vnd.google-earth.kml+xml',
  'application/xml',
  'text/xml',
  'application/octet-stream',
];

const tags = ['drills'];

export const drillsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { drills } = d.services;
    app.post(
      '/api/drills',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Plan a tracking drill, or record one that already happened (leader)',
          body: CreateDrillBody,
          response: { 201: Drill },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply.status(201).send(await drills.create(auth, auth.teamId, req.body));
      },
    );
    app.get(
      '/api/drills',
      {
        config: { auth: 'member' },
        schema: { tags, summary: "The team's tracking drills, newest first", response: { 200: DrillList } },
      },
      async (req) => {
        const { auth } = req;
        return drills.list(auth, auth.teamId);
      },
    );
    app.get(
      '/api/drills/:drillId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'One drill with its tracks, finds and scores',
          params: DrillParams,
          response: { 200: Drill },
        },
      },
      async (req) => {
        const { auth } = req;
        return drills.get(auth, auth.teamId, req.params.drillId);
      },
    );
    app.patch(
      '/api/drills/:drillId',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Change conditions, tolerance, find radius or skills (leader); scores again',
          params: DrillParams,
          body: UpdateDrillBody,
          response: { 200: Drill },
        },
      },
      async (req) => {
        const { auth } = req;
        return drills.update(auth, auth.teamId, req.params.drillId, req.body);
      },
    );
    app.post(
      '/api/drills/:drillId/find',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'The tracker found the runner (the tracker, or a leader for a tracker)',
          params: DrillParams,
          body: FindBody,
          response: { 201: Drill },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        return reply
          .status(201)
          .send(await drills.find(auth, auth.teamId, req.params.drillId, req.body ?? {}));
      },
    );
    app.get(
      '/api/drills/:drillId/tracks',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The drill's trails as GeoJSON, thinned for display",
          params: DrillParams,
          response: { 200: DrillTracks },
        },
      },
      async (req) => {
        const { auth } = req;
        return drills.tracks(auth, auth.teamId, req.params.drillId);
      },
    );
    app.get(
      '/api/drills/:drillId/export.gpx',
      {
        config: { auth: 'member' },
        schema: { tags, summary: "The drill's trails as a GPX file", params: DrillParams },
      },
      async (req, reply) => {
        const { auth } = req;
        const { name, gpx } = await drills.exportGpx(auth, auth.teamId, req.params.drillId);
        const file = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'drill';
        return reply
          .type('application/gpx+xml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}.gpx"`)
          .send(gpx);
      },
    );
    app.delete(
      '/api/drills/:drillId/tracks/:memberId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "Delete a participant's track (a leader, or the participant)",
          params: DrillTrackParams,
          response: { 200: Drill },
        },
      },
      async (req) => {
        const { auth } = req;
        return drills.deleteTrack(auth, auth.teamId, req.params.drillId, req.params.memberId);
      },
    );
    app.get(
      '/api/members/:memberId/progress',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "A member's drill scores over time with trend and personal best (their own, or a leader)",
          params: MemberParams,
          querystring: ProgressQuery,
          response: { 200: Progress },
        },
      },
      async (req) => {
        const { auth } = req;
        return drills.progress(auth, auth.teamId, req.params.memberId, req.query.skillId);
      },
    );
    await app.register(uploadRoute(d));
  };

/** The track upload, in its own scope: raw file bodies up to MAX_TRACK_FILE_BYTES, for this route only. */
const uploadRoute =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (scope) => {
    for (const type of TRACK_FILE_TYPES) {
      if (scope.hasContentTypeParser(type)) scope.removeContentTypeParser(type);
    }
    scope.addContentTypeParser(
      TRACK_FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_TRACK_FILE_BYTES },
      (_req, body, done) => done(null, body),
    );
    rejectLargeFiles(scope);
    scope.withTypeProvider<ZodTypeProvider>().put(
      '/api/drills/:drillId/tracks/:memberId',
      {
        config: { auth: 'member' },
        bodyLimit: MAX_TRACK_FILE_BYTES,
        schema: {
          tags,
          summary:
            "Upload a participant's track: the GPX or KML file as the body (a leader, or the participant)",
          params: DrillTrackParams,
          querystring: UploadTrackQuery,
          response: { 200: Drill },
        },
      },
      async (req) => {
        const { auth } = req;
        const data = req.body;
        if (!Buffer.isBuffer(data) || data.byteLength === 0) {
          throw new TrackFileError(
            'not_a_track_file',
            `body: send the GPX or KML file itself, as ${TRACK_FILE_TYPES.slice(0, 2).join(' or ')}`,
          );
        }
        const { drillId, memberId } = req.params;
        return d.services.drills.uploadTrack(auth, auth.teamId, drillId, memberId, {
          data,
          fileName: req.query.fileName,
        });
      },
    );
  };

/** A file announced larger than the limit is refused before it is read, with a message saying so. */
function rejectLargeFiles(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (req) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > MAX_TRACK_FILE_BYTES) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      throw new TrackFileError(
        'too_large',
        `${(req.query as { fileName?: string }).fileName ?? 'the file'} is too large (${mb(length)}): the limit is ${mb(MAX_TRACK_FILE_BYTES)}`,
      );
    }
  });
}
