import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contract/common.ts';
import { HowlError } from '../../contract/errors.ts';
import { OwnTracksOut } from './build.ts';
import { OwnTracksHttp } from './http.ts';
import { MAX_PAYLOAD_BYTES } from './parse.ts';
import type { OwnTracksServices } from './services.ts';

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

/**
 * OwnTracks HTTP mode: set the app's URL to `<public URL>/api/owntracks`, its user name to your callsign (or
 * device id), its password to your Howl token and its device id to the device part of `USER-DEVICE`.
 */
export const owntracksHttpRoutes =
  (services: OwnTracksServices): FastifyPluginAsyncZod =>
  async (app) => {
    const owntracks = new OwnTracksHttp(services, app.log);
    app.addHook('onClose', async () => owntracks.close());
    // The body is read raw: an empty one is allowed (the apps post one when a friend is deleted), and a
    // malformed one gets an error naming the OwnTracks field. Only this plugin's routes are affected.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PAYLOAD_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    app.post(
      '/api/owntracks',
      {
        // HTTP Basic with a device token, checked by the gateway in OwnTracks' terms (see below).
        config: { auth: 'device' },
        bodyLimit: MAX_PAYLOAD_BYTES,
        schema: {
          tags: ['positions'],
          summary: 'OwnTracks HTTP mode: one OwnTracks JSON message in, teammates and alerts out',
          description:
            'HTTP Basic auth: user = your callsign or device id, password = your Howl token. `X-Limit-U` and ' +
            '`X-Limit-D` (or `?u=` and `?d=`) name the app, whose device id is `USER-DEVICE`. Answers the other ' +
            'members’ cards and latest locations, and alerts as transitions.',
          querystring: z.object({ u: z.string().max(200).optional(), d: z.string().max(200).optional() }),
          response: { 200: z.array(OwnTracksOut), 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (req, reply) => {
        try {
          return await owntracks.handle({
            authorization: req.headers.authorization,
            user: header(req.headers['x-limit-u']) ?? req.query.u,
            device: header(req.headers['x-limit-d']) ?? req.query.d,
            body: Buffer.isBuffer(req.body) ? req.body : undefined,
          });
        } catch (err) {
          if (err instanceof HowlError && err.status === 401)
            reply.header('www-authenticate', 'Basic realm="Howl", charset="UTF-8"');
          throw err;
        }
      },
    );
  };
