import { randomBytes } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { ClientConfig } from '../contract/config.ts';
import type { LiveMessage } from '../contract/live.ts';
import type { LoginLink } from '../contract/sessions.ts';
import { startCotServer } from '../gateways/cot/server.ts';
import { InReachPoller } from '../gateways/inreach/poller.ts';
import { buildOsmAndServer } from '../gateways/osmand/server.ts';
import { VERSION, WEB_DIST } from '../server/paths.ts';
import { RequestAuth } from '../server/request-auth.ts';
import { loadOrCreateTls } from '../server/tls.ts';
import { bootstrapFirstTeam } from '../services/core/bootstrap.ts';
import { Clock } from '../services/core/clock.ts';
import { latestSeq, storedEventsBetween } from '../services/core/event-log.ts';
import { rateLimits } from '../services/core/rate-limiter.ts';
import type { ClusterBridge } from '../services/live/cluster.ts';
import { createServices, type Services } from '../services/services.ts';
import type { PublicUrls } from '../services/teams/members.service.ts';
import { TileAreas } from '../services/tiles/tile-areas.ts';
import { TileExtracts } from '../services/tiles/tile-jobs.ts';
import { ensurePrivateDir } from '../store/data-dir.ts';
import { acquireDataLock } from '../store/data-lock.ts';
import { openDatabase } from '../store/db.ts';
import { holdLease, releaseLeases } from '../store/leases.repo.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { type Config, lanAddress, publicUrls } from './config.ts';
import { cotTlsOptions } from './cot-tls.ts';
import { drainable } from './drain.ts';
import { buildHowlApp } from './http-app.ts';
import { removeServerInfo, writeServerInfo } from './server-info.ts';

/** How long a node holds a periodic job's lease without renewing it (renewed at every run of the job). */
const LEASE_MS = 5000;

/** How long a stop waits for open HTTP connections to go before closing them (the whole stop stays under 10 s). */
const DRAIN_GRACE_MS = 4000;

export interface RunningHowl {
  services: Services;
  database: 'pglite' | 'postgres';
  /** Loopback URL of the HTTP API. */
  localUrl: string;
  urls: PublicUrls;
  ports: { http: number; https: number; osmand: number; cot: number; cotTls: number | null };
  firstLogin: LoginLink | null;
  /** In clustered mode, this node's id (`howl serve` prints it). */
  node: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  /** pino logger settings; false for none. */
  logger?: boolean | object;
  webDir?: string | null;
}

/** Starts Howl: database, migrations, first team, the console over HTTP and HTTPS, and the OsmAnd gateway. */
export async function startHowl(config: Config, opts: StartOptions = {}): Promise<RunningHowl> {
  // Stopping comes in two steps. First every way in closes at once: the clock stops, WebSocket viewers get a
  // close frame, HTTP listeners answer what is on its way and close, TAK sessions finish and end, MQTT
  // disconnects. Then, in reverse order of opening, what they wrote to: the position batcher flushes, the
  // database closes, the lock goes. Every step runs even when one fails: the lock must be released whatever
  // happened before.
  const ways: Array<() => Promise<void> | void> = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    const results = await Promise.allSettled(ways.splice(0).map(async (c) => c()));
    let first: unknown = results.find((r) => r.status === 'rejected')?.reason;
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  };
  try {
    let releaseLock: (() => void) | undefined;
    if (!config.databaseUrl) {
      ensurePrivateDir(config.dataDir);
      releaseLock = acquireDataLock(config.dataDir);
      cleanups.push(releaseLock);
    }
    const database = await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
    );
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);

    const lan = lanAddress();
    let urls: PublicUrls = { publicUrl: '', httpsUrl: null, osmandUrl: '' };
    const logger = opts.logger ?? { level: 'info' };
    const pushLog = pino(logger === false ? { enabled: false } : logger === true ? {} : logger);
    const services = createServices(database.db, () => urls, undefined, {
      // PostgreSQL's pool has ten connections: a position waits for one commit, not two.
      positionCommits: database.kind === 'postgres' ? 4 : 1,
      push: {
        allowedOrigins: config.pushAllowedOrigins,
        ...(config.pushSubject ? { subject: () => config.pushSubject as string } : {}),
        log: (msg, extra) => pushLog.warn(extra, msg),
      },
    });
    cleanups.push(() => services.batcher.close());
    // Clustered mode: the live bus reaches the other nodes over NATS (its client loaded only then).
    let cluster: ClusterBridge | undefined;
    // Members changed on another node: the APRS gateway's filter follows (set once it runs).
    let remoteMembersChanged: (() => void) | undefined;
    if (config.natsUrl) {
      const { ClusterBridge } = await import('../services/live/cluster.ts');
      const bridge = await ClusterBridge.start({
        url: config.natsUrl,
        bus: services.bus,
        onRemote: (_teamId, msg) => {
          forgetCached(services, msg);
          if (msg.type === 'event' && msg.event.type.startsWith('member.')) remoteMembersChanged?.();
        },
        log: (msg, extra) => pushLog.warn(extra, msg),
        events: {
          after: (teamId, after, upTo) => storedEventsBetween(database.db, teamId, after, upTo),
          latest: (teamId) => latestSeq(database.db, teamId),
        },
      });
      cluster = bridge;
      // A device id revoked or rotated on another node is not an owner here either.
      const unRevoked = services.bus.onRevoked(() => services.devices.clear());
      cleanups.push(async () => {
        unRevoked();
        await bridge.close();
        // Its periodic jobs go to another node at once, not when the leases lapse.
        await releaseLeases(database.db, bridge.node).catch(() => undefined);
      });
    }
    // TAK clients (Cursor-on-Target over TCP); first, because the data package names its port.
    const cot = await startCotServer(services, {
      port: config.cotPort,
      host: config.host,
      // A TAK uid is the device's credential when no certificate is used: the log keeps only its first letters.
      logger:
        logger === false
          ? pino({ enabled: false })
          : pino({
              ...(logger === true ? {} : logger),
              redact: { paths: ['uid'], censor: (uid) => `${String(uid).slice(0, 4)}…` },
            }),
      // And over TLS (port 8089), with the HTTPS certificate unless the TAK one is set.
      tls: await cotTlsOptions(config, lan),
    });
    ways.push(() => cot.close());

    const adminSecret = releaseLock ? randomBytes(32).toString('base64url') : undefined;
    const limits = rateLimits(config.limits);
    const tilesFile = config.tiles && !/^[a-z]+:\/\//i.test(config.tiles) ? resolve(config.tiles) : undefined;
    // The offline map areas `howl tiles extract` writes (or the console starts), in the data folder.
    const areas = new TileAreas(join(config.dataDir, 'tiles'));
    const extracts = new TileExtracts(areas, () => areas.changed());
    ways.push(async () => extracts.close());
    const deps = {
      services,
      auth: new RequestAuth(services.tokens, adminSecret),
      database: database.kind,
      cluster: cluster ? () => (cluster as ClusterBridge).status() : undefined,
      limits,
      backup: database.dump?.bind(database),
      version: VERSION,
      clientConfig: (): ClientConfig => ({
        version: VERSION,
        tiles: tilesConfig(config.tiles, tilesFile),
        publicUrl: urls.publicUrl,
        httpsUrl: urls.httpsUrl,
      }),
      webDir: opts.webDir === undefined ? WEB_DIST : opts.webDir,
      tilesFile,
      tiles: { areas, extracts },
      teamName: config.teamName,
      cotPort: cot.port,
    };
    const listen = async (app: FastifyInstance, port: number) => {
      const drain = drainable(app);
      ways.push(() => drain.close(DRAIN_GRACE_MS));
      await app.listen({ port, host: config.host });
      const addr = app.server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    };

    const http = await buildHowlApp({ ...deps, secureCookies: false }, { logger });
    const httpPort = await listen(http, config.port);
    const tls = await loadOrCreateTls({
      certFile: config.tlsCert,
      keyFile: config.tlsKey,
      dataDir: config.databaseUrl ? resolve(config.dataDir) : config.dataDir,
      // Every address the printed links may use: the LAN's, the one it listens on, the public one.
      hosts: [
        lan,
        ...(['0.0.0.0', '::', ''].includes(config.host) ? [] : [config.host]),
        ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : []),
      ],
    });
    const https = await buildHowlApp(
      { ...deps, secureCookies: true },
      { logger },
      { cert: tls.cert, key: tls.key },
    );
    const httpsPort = await listen(https, config.httpsPort);
    const osmand = await buildOsmAndServer(services.positions, { logger }, limits);
    const osmandPort = await listen(osmand, config.osmandPort);
    if (config.mqttUrl) {
      // OwnTracks in MQTT mode, through the team's own broker (its client loaded only then).
      const { startOwnTracksMqtt } = await import('../gateways/owntracks/mqtt.ts');
      const owntracks = await startOwnTracksMqtt(services, {
        url: config.mqttUrl,
        baseTopic: config.mqttTopic,
        // Several nodes share the broker's messages: each is stored by one of them.
        shared: Boolean(config.natsUrl),
        logger: http.log,
      });
      ways.push(() => owntracks.close());
    }
    if (config.meshtasticUrl) {
      // Meshtastic radios through their gateway nodes' JSON over MQTT (its client loaded only then).
      const { startMeshtasticMqtt } = await import('../gateways/meshtastic/mqtt.ts');
      const mesh = await startMeshtasticMqtt(services, {
        url: config.meshtasticUrl,
        root: config.meshtasticRoot,
        sendIntervalMs: config.meshtasticSendS * 1000,
        shared: Boolean(config.natsUrl),
        logger: http.log,
      });
      ways.push(() => mesh.close());
    }

    if (config.aprs) {
      // APRS-IS, receive only (its code loaded only then); in a cluster, on the node holding its lease.
      const { startAprsGateway } = await import('../gateways/aprs/gateway.ts');
      const node = cluster?.node;
      const aprs = await startAprsGateway(services, {
        ...config.aprs,
        version: VERSION,
        logger: http.log,
        lease: node ? () => holdLease(database.db, 'aprs', node, LEASE_MS) : undefined,
      });
      ways.push(() => aprs.close());
      remoteMembersChanged = () => void aprs.refresh();
      await aprs.ready();
    }

    urls = publicUrls(config, lan, { http: httpPort, https: httpsPort, osmand: osmandPort });
    const firstLogin = await bootstrapFirstTeam(services, config.teamName);
    // In a cluster each job runs on the node holding its lease (taken over within LEASE_MS of a node dying).
    const node = cluster?.node;
    const clock = new Clock(
      (job, err) => http.log.error({ err, job }, 'periodic job failed'),
      node ? (job) => holdLease(database.db, job, node, LEASE_MS) : undefined,
    );
    clock.every('injects', 1000, () => services.operations.deliverDueInjects());
    clock.every('alerts', 1000, () => services.alerts.tick());
    clock.every('webhooks', 2000, () => services.webhooks.pump());
    clock.every('drill finds', 3000, () => services.drillLive.detectFinds());
    // Garmin inReach: each member's MapShare feed (none set: nothing asked).
    const inreach = new InReachPoller(services, { logger: http.log });
    clock.every('inreach', config.inreachPollS * 1000, async () => {
      await inreach.pollAll();
    });
    ways.push(() => clock.stop());
    const localUrl = `http://127.0.0.1:${httpPort}`;
    if (releaseLock) {
      writeServerInfo(
        config.dataDir,
        {
          pid: process.pid,
          url: localUrl,
          publicUrl: urls.publicUrl,
          httpsUrl: urls.httpsUrl,
          osmandPort,
          startedAt: new Date().toISOString(),
        },
        adminSecret ?? '',
      );
      cleanups.splice(1, 0, () => removeServerInfo(config.dataDir));
    }
    return {
      services,
      database: database.kind,
      node: cluster?.node ?? null,
      localUrl,
      urls,
      ports: { http: httpPort, https: httpsPort, osmand: osmandPort, cot: cot.port, cotTls: cot.tlsPort },
      firstLogin,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function tilesConfig(tiles: string | undefined, tilesFile: string | undefined): ClientConfig['tiles'] {
  if (!tiles) return null;
  if (tilesFile) return { kind: 'pmtiles', url: `/tiles/${encodeURIComponent(basename(tilesFile))}` };
  if (/\.pmtiles(\?|$)/i.test(tiles)) return { kind: 'pmtiles', url: tiles };
  return { kind: 'raster', url: tiles };
}

/**
 * What this node cached that a change made on another node makes stale: who owns a device id (members and
 * devices added, changed, removed) and the team's active operation.
 */
function forgetCached(services: Services, msg: LiveMessage): void {
  if (msg.type !== 'event') return;
  const type = msg.event.type;
  if (type.startsWith('member.')) services.devices.clear();
  if (type.startsWith('operation.')) services.active.clear();
}
