import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { inreachOutboundRoutes } from '../gateways/inreach/outbound.routes.ts';
import { owntracksHttpRoutes } from '../gateways/owntracks/http.routes.ts';
import { buildApp } from '../server/app.ts';
import type { AppDeps } from '../server/deps.ts';

/** The console's HTTP app with the gateways that speak HTTP (OwnTracks HTTP mode, inReach IPC Outbound) plugged in. */
export function buildHowlApp(
  d: Omit<AppDeps, 'gatewayRoutes'>,
  opts: FastifyServerOptions = {},
  tls?: { cert: string; key: string },
): Promise<FastifyInstance> {
  return buildApp(
    { ...d, gatewayRoutes: [owntracksHttpRoutes(d.services), inreachOutboundRoutes(d.services)] },
    opts,
    tls,
  );
}
