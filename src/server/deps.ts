import type { FastifyPluginAsync } from 'fastify';
import type { ClientConfig } from '../contract/config.ts';
import type { ClusterStatus } from '../contract/sessions.ts';
import type { RateLimits } from '../services/core/rate-limiter.ts';
import type { Services } from '../services/services.ts';
import type { RequestAuth } from './request-auth.ts';
import type { TileDeps } from './tiles.routes.ts';

export interface AppDeps {
  services: Services;
  /** Used by the one auth hook (route-auth.ts); handlers read `req.auth` instead. */
  auth: RequestAuth;
  database: 'pglite' | 'postgres';
  /** Clustered mode: this node and its NATS link, for /api/health. */
  cluster?: () => ClusterStatus;
  /** Rate limits per token and per address (none in tests that do not ask for them). */
  limits?: RateLimits;
  /** The embedded database as a gzipped tarball (`howl backup` beside a running server); none on PostgreSQL. */
  backup?: () => Promise<Uint8Array>;
  version: string;
  clientConfig: () => ClientConfig;
  /** Folder with the built web app, or null to serve the API only. */
  webDir: string | null;
  /** The prepared offline map areas (`<data dir>/tiles`), served under /tiles/<name>/ and listed by /api/tiles. */
  tiles?: TileDeps;
  /** A local `.pmtiles` file served under /tiles/. */
  tilesFile?: string;
  /** Mark cookies Secure (behind HTTPS only). */
  secureCookies: boolean;
  /** Fallback team name for admin commands that create the first team. */
  teamName: string;
  /** The gateways' HTTP routes (OwnTracks HTTP mode), handed in by the composition root. */
  gatewayRoutes: readonly FastifyPluginAsync[];
  /** How often the live feed sends its heartbeat, in ms (default HEARTBEAT_MS). */
  liveHeartbeatMs?: number;
  /** Port of the Cursor-on-Target gateway, for the TAK data package (default 8087). */
  cotPort?: number;
}
