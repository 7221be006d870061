import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { expectedError, RETRY_AFTER_S } from '../../services/core/database-errors.ts';
import { withRedactedRequests } from '../../services/core/log-redaction.ts';
import type { RateLimits } from '../../services/core/rate-limiter.ts';
import type { PositionsService } from '../../services/devices/positions.service.ts';
import { parseOsmAnd } from './parse.ts';

const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The OsmAnd protocol server (Traccar Client and compatible apps): one position per
 * GET or POST, answered 200 only once stored; a 4xx carries the reason as plain text. A request without a
 * timestamp is stored at the time of receipt, and a bad auxiliary field is dropped and logged (see parse.ts).
 */
export async function buildOsmAndServer(
  positions: PositionsService,
  opts: FastifyServerOptions = {},
  /** Reports a second per device and per address, answered 429 with Retry-After past them. */
  limits?: Pick<RateLimits, 'device' | 'address'>,
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    ...opts,
    logger: withRedactedRequests(opts.logger, ['id', 'deviceid']),
  });
  await app.register(fastifyFormbody);
  // Some clients post form fields with a text/plain or missing content type.
  app.addContentTypeParser(['text/plain', '*'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const expected = expectedError(err);
    if (expected) {
      const retryAfterS = (expected.details as { retryAfterS?: unknown } | undefined)?.retryAfterS;
      if (typeof retryAfterS === 'number') reply.header('retry-after', String(retryAfterS));
      else if (expected.status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
      return reply.status(expected.status).type('text/plain').send(expected.message);
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'osmand: unhandled error');
    return reply
      .status(status)
      .type('text/plain')
      .send(status >= 500 ? 'internal error' : err.message);
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: async (req, reply) => {
      limits?.address.take(req.ip);
      const parsed = parseOsmAnd({
        query: req.query as Record<string, unknown>,
        body: req.body,
        receivedAt: new Date(),
      });
      if (!parsed.ok) return reply.status(400).type('text/plain').send(parsed.message);
      limits?.device.take(parsed.report === null ? parsed.deviceId : parsed.report.deviceId);
      if (parsed.report === null) {
        await positions.requireDevice(parsed.deviceId);
        return reply
          .status(200)
          .type('text/plain')
          .send('OK: no coordinates (cell/Wi-Fi only), nothing stored');
      }
      await positions.reportFromDevice(parsed.report);
      // As Traccar does, a bad auxiliary value costs only itself: the position is stored, the device told.
      if (parsed.dropped.length > 0) {
        req.log.info({ dropped: parsed.dropped }, 'osmand: auxiliary fields dropped');
        const fields = parsed.dropped.map((d) => d.field).join(', ');
        return reply.status(200).type('text/plain').send(`OK (ignored: ${fields})`);
      }
      return reply.status(200).type('text/plain').send('OK');
    },
  });
  return app;
}
