import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contract/common.ts';
import { HowlError } from '../../contract/errors.ts';
import { InReachOutboundBody, InReachOutboundQuery, InReachOutboundResult } from '../../contract/inreach.ts';
import { reportOfEvent } from './events.ts';
import type { InReachServices } from './services.ts';

const BODY_LIMIT = 1024 * 1024;

/**
 * Garmin's IPC Outbound webhook (inReach Professional): Garmin POSTs `{Version, Events[]}` here. The team is
 * named by its secret (`?secret=` in the URL given to Garmin, or the `x-outbound-auth-token` header): no
 * secret 401, a wrong one 403. The body is checked whole before anything is stored: a bad field is a 400
 * naming it, and nothing of the body is kept.
 */
export const inreachOutboundRoutes =
  (services: InReachServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/inreach/outbound',
      {
        config: { auth: 'none' },
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['positions'],
          summary: "Garmin inReach IPC Outbound: the team's inReach events (positions, SOS, messages)",
          description:
            'The team secret (leaders see it under GET /api/inreach/outbound-settings) as `?secret=` or the ' +
            '`x-outbound-auth-token` header. Body: Garmin’s `{"Version": "2.0", "Events": [{imei, messageCode, ' +
            'timeStamp, point, freeText}]}`. An IMEI is a member’s device id.',
          querystring: InReachOutboundQuery,
          body: z.unknown(),
          response: { 200: InReachOutboundResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) => {
        const header = req.headers['x-outbound-auth-token'];
        const secret = (Array.isArray(header) ? header[0] : header) || req.query.secret;
        if (!secret)
          throw new HowlError(401, 'unauthorized', 'secret: the team’s inReach secret is required');
        const teamId = await services.inreach.teamOfSecret(secret);
        // The lookup is by the whole secret; compare again in constant time so that no prefix is learnt.
        if (!teamId) throw new HowlError(403, 'forbidden', 'secret: not a team’s inReach secret');
        const stored = await services.inreach.outboundSecret(teamId);
        if (!stored || !sameSecret(stored, secret)) throw new HowlError(403, 'forbidden', 'secret: wrong');
        const parsed = InReachOutboundBody.safeParse(req.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.join('.') || '(body)';
          throw new HowlError(400, 'invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, { field });
        }
        const result = { positions: 0, sos: 0, messages: 0, ignored: 0 };
        for (const e of parsed.data.Events) {
          const report = reportOfEvent(e);
          let outcome: string;
          try {
            outcome = await services.inreach.take(report, { teamId });
          } catch (err) {
            if (!(err instanceof HowlError)) throw err;
            req.log.warn({ imei: e.imei, reason: err.message }, 'inreach: event refused, nothing stored');
            outcome = 'refused';
          }
          if (outcome !== 'stored') {
            if (outcome !== 'duplicate') req.log.warn({ imei: e.imei, outcome }, 'inreach: event ignored');
            result.ignored++;
            continue;
          }
          if (report.position) result.positions++;
          if (report.emergency) result.sos++;
          else if (report.text?.trim()) result.messages++;
        }
        return result;
      },
    );
  };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
