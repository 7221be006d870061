import type https from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyHttpsOptions,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { withRedactedRequests } from '../services/core/log-redaction.ts';
import { adminRoutes } from './admin.routes.ts';
import { alertsRoutes } from './alerts.routes.ts';
import { refuseNul, SECRET_PARAMS, securityHeaders } from './browser-guards.ts';
import type { AppDeps } from './deps.ts';
import { detectionDrillsRoutes } from './detection-drills.routes.ts';
import { deviceRegionsRoutes } from './device-regions.routes.ts';
import { drillsRoutes } from './drills.routes.ts';
import { exportRoutes } from './export.routes.ts';
import { healthRoutes } from './health.routes.ts';
import { hotWashRoutes } from './hotwash.routes.ts';
import { registerErrorHandler } from './http-errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { incidentRoutes } from './incidents.routes.ts';
import { inreachRoutes } from './inreach.routes.ts';
import { liveRoutes } from './live.routes.ts';
import { meshtasticRoutes } from './meshtastic.routes.ts';
import { messagesRoutes } from './messages.routes.ts';
import { operationsRoutes } from './operations.routes.ts';
import { positionsRoutes } from './positions.routes.ts';
import { pushRoutes } from './push.routes.ts';
import { replayRoutes } from './replay.routes.ts';
import { reportsRoutes } from './reports.routes.ts';
import {
  authenticate,
  callerOf,
  openApiAuth,
  type RouteAuthEntry,
  requireDeclaredAuth,
} from './route-auth.ts';
import { searchRoutes } from './search.routes.ts';
import { searchRingsRoutes } from './search-rings.routes.ts';
import { authRoutes } from './sessions.routes.ts';
import { takRoutes } from './tak.routes.ts';
import { teamRoutes } from './team.routes.ts';
import { tilesRoutes } from './tiles.routes.ts';
import { trainingRoutes } from './training.routes.ts';
import { webRoutes } from './web.routes.ts';
import { webhooksRoutes } from './webhooks.routes.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The console's HTTP app: REST API, live WebSocket and web files. Same app behind HTTP and HTTPS. */
export async function buildApp(
  d: AppDeps,
  opts: FastifyServerOptions = {},
  tls?: { cert: string; key: string },
): Promise<FastifyInstance> {
  // The HTTPS variant is the same app; fastify types it as another server kind.
  const base = {
    bodyLimit: BODY_LIMIT_BYTES,
    ...opts,
    logger: withRedactedRequests(opts.logger, SECRET_PARAMS),
  } as FastifyServerOptions;
  const app = (tls
    ? Fastify({ ...base, https: tls } as FastifyHttpsOptions<https.Server>)
    : Fastify(base)) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Howl API',
        version: d.version,
        description: 'Training, live tracking and the switch to reality.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'howl_session' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      return { ...out, schema: { ...out.schema, ...openApiAuth(input.route.config?.auth) } };
    },
  });
  await app.register(fastifyCookie);
  // JSON only: a form-encoded body (what a forged cross-site form sends) gets 415, and changes nothing.
  app.addHook('onSend', securityHeaders);
  app.addHook('preValidation', refuseNul);
  await app.register(fastifyWebsocket, { options: { maxPayload: BODY_LIMIT_BYTES } });
  // Every /api route says who may call it (`config: { auth }`); one hook authenticates before the body is read.
  const routeAuth: RouteAuthEntry[] = [];
  app.decorate('routeAuth', routeAuth);
  app.decorateRequest('auth', {
    getter(this: FastifyRequest) {
      return callerOf(this);
    },
  });
  app.addHook('onRoute', requireDeclaredAuth({ prefix: '/api', routes: routeAuth }));
  app.addHook(
    'onRequest',
    authenticate({ auth: d.auth, trustedHosts: () => publicHosts(d), limits: d.limits }),
  );
  registerIdempotency(app, d.services.idempotency);
  await app.register(healthRoutes(d));
  await app.register(authRoutes(d));
  await app.register(teamRoutes(d));
  await app.register(positionsRoutes(d));
  await app.register(exportRoutes(d));
  await app.register(operationsRoutes(d));
  await app.register(drillsRoutes(d));
  await app.register(detectionDrillsRoutes(d));
  await app.register(alertsRoutes(d));
  await app.register(incidentRoutes(d));
  await app.register(searchRoutes(d));
  await app.register(searchRingsRoutes(d));
  await app.register(adminRoutes(d));
  await app.register(liveRoutes(d));
  await app.register(pushRoutes(d));
  await app.register(webhooksRoutes(d));
  await app.register(takRoutes(d));
  await app.register(meshtasticRoutes(d));
  await app.register(inreachRoutes(d));
  await app.register(deviceRegionsRoutes(d));
  // Device protocols spoken over HTTP (OwnTracks HTTP mode), each in its own plugin context.
  for (const routes of d.gatewayRoutes) await app.register(routes);
  await app.register(messagesRoutes(d));
  await app.register(trainingRoutes(d));
  await app.register(replayRoutes(d));
  await app.register(reportsRoutes(d));
  await app.register(hotWashRoutes(d));
  await app.register(tilesRoutes(d));
  app.get('/api/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await webRoutes(app, d);
  return app;
}

/** The hosts this server is reached at by its configured public addresses (behind a proxy too). */
function publicHosts(d: AppDeps): string[] {
  const { publicUrl, httpsUrl } = d.clientConfig();
  const hosts: string[] = [];
  for (const url of [publicUrl, httpsUrl]) {
    try {
      if (url) hosts.push(new URL(url).host.toLowerCase());
    } catch {
      // A malformed setting is reported at start; here it trusts nothing more.
    }
  }
  return hosts;
}
