import { HowlError } from '../../contract/errors.ts';
import { PositionReport } from '../../contract/positions.ts';
import type { Services } from '../../services/services.ts';
import { AprsIsConnection } from './aprs-is.ts';
import type { AprsLogger } from './logger.ts';
import { type AprsPacket, parseAprsLine } from './parse.ts';

/** The use cases the APRS gateway calls: nothing else is handed to it. */
export type AprsServices = Pick<Services, 'bus' | 'devices' | 'positions'>;

export interface AprsGatewayOptions {
  /** `host:port` of an APRS-IS server (port 14580 takes filters). */
  server: string;
  /** The callsign to log in with; receive only. */
  callsign: string;
  version: string;
  logger: AprsLogger;
  /** Re-read the registered callsigns this often besides on member changes (other nodes; default 60 s). */
  refreshMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  idleTimeoutMs?: number;
  now?: () => Date;
  /**
   * Clustered mode: whether this node holds (or may take) the APRS lease, asked every `leaseEveryMs`
   * (default 1 s). Only the holder keeps a connection, so that each position is stored once.
   */
  lease?: () => Promise<boolean>;
  leaseEveryMs?: number;
}

export interface AprsGateway {
  close(): Promise<void>;
  /** What the gateway did with the lines it received, for logs and tests. */
  readonly counts: Readonly<Record<Outcome, number>>;
  /** The filter the server was last told. */
  readonly filter: string;
  /** How many connections were opened (the first and every reconnection). */
  readonly connections: number;
  /** Reads the registered callsigns again (members changed on another node of a cluster). */
  refresh(): Promise<void>;
  /** Resolves once the registered callsigns were read and the connection opened. */
  ready(): Promise<void>;
}

type Outcome = 'stored' | 'refused' | 'unregistered' | 'malformed' | 'ignored' | 'server';

/** An APRS station: 1–6 letters and digits, and an SSID (`-0`…`-15`, or 1–2 letters and digits on APRS-IS). */
const CALLSIGN_PATTERN = '^[A-Z0-9]{1,6}(-[A-Z0-9]{1,2})?$';
/** Callsigns per `b/` filter term (the budlist filters of APRS-IS servers take a handful each). */
const PER_TERM = 9;

/**
 * Receive-only APRS: Howl logs in to an APRS-IS server with `pass -1` and a budlist filter naming the
 * registered devices whose id is a callsign with SSID (`b/N0CALL-9/…`), in every team; it sends the server a
 * new `#filter` whenever members change, and stores the positions of registered callsigns through the
 * positions service, like every other gateway. Everything else is logged and dropped, and the connection
 * stays up.
 */
export async function startAprsGateway(
  services: AprsServices,
  opts: AprsGatewayOptions,
): Promise<AprsGateway> {
  const log = opts.logger;
  const now = opts.now ?? (() => new Date());
  const counts: Record<Outcome, number> = {
    stored: 0,
    refused: 0,
    unregistered: 0,
    malformed: 0,
    ignored: 0,
    server: 0,
  };
  /** Upper-case callsign → the device id as registered. */
  let stations = new Map<string, string>();
  let filter = filterFor(opts.callsign, []);
  const [host, portText] = splitServer(opts.server);

  // One line after another, in order: a position never overtakes the one sent before it.
  let queue: Promise<void> = Promise.resolve();
  let connection: AprsIsConnection | undefined;
  let opened = 0;
  const connect = () => {
    connection = new AprsIsConnection({
      host,
      port: Number(portText),
      callsign: opts.callsign,
      version: opts.version,
      filter: () => filter,
      log,
      minBackoffMs: opts.minBackoffMs,
      maxBackoffMs: opts.maxBackoffMs,
      idleTimeoutMs: opts.idleTimeoutMs,
      onLine: (line) => {
        const receivedAt = now();
        queue = queue.then(() => handle(line, receivedAt));
      },
    });
    connection.start();
  };
  const disconnect = async () => {
    const c = connection;
    connection = undefined;
    if (!c) return;
    opened += c.connectionCount;
    await c.close();
  };

  const handle = async (line: string, receivedAt: Date): Promise<void> => {
    if (line.startsWith('#')) {
      counts.server++;
      return;
    }
    const parsed = parseAprsLine(line, { now: receivedAt, localOffsetMin: -receivedAt.getTimezoneOffset() });
    if (!parsed.ok) {
      counts.malformed++;
      log.warn({ reason: parsed.reason, line: line.slice(0, 120) }, 'aprs: malformed line dropped');
      return;
    }
    const p = parsed.packet;
    const deviceId = stations.get(p.source);
    if (p.type !== 'position') {
      counts.ignored++;
      log.debug({ source: p.source, type: p.type, registered: Boolean(deviceId) }, `aprs: ${p.type} ignored`);
      return;
    }
    if (!deviceId) {
      counts.unregistered++;
      log.debug({ source: p.source }, 'aprs: position of an unregistered callsign dropped');
      return;
    }
    await store(deviceId, p, receivedAt);
  };

  const store = async (deviceId: string, p: Extract<AprsPacket, { type: 'position' }>, receivedAt: Date) => {
    const report = PositionReport.safeParse({
      deviceId,
      time: p.time ?? receivedAt,
      lat: p.lat,
      lon: p.lon,
      speedMps: p.speedMps,
      bearingDeg: p.courseDeg,
      altitudeM: p.altitudeM,
      source: 'aprs',
    });
    if (!report.success) {
      counts.refused++;
      log.warn({ deviceId, issue: report.error.issues[0]?.message }, 'aprs: position refused');
      return;
    }
    try {
      await services.positions.reportFromDevice(report.data);
      counts.stored++;
    } catch (err) {
      counts.refused++;
      if (err instanceof HowlError) log.warn({ deviceId, reason: err.message }, 'aprs: position refused');
      else log.error({ err, deviceId }, 'aprs: position not stored');
    }
  };

  // The filter follows the registered callsigns: re-read on every change of members (and their devices).
  let reading: Promise<void> | undefined;
  let again = false;
  const refresh = (): Promise<void> => {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        try {
          const ids = await services.devices.idsMatching(CALLSIGN_PATTERN);
          stations = new Map(ids.map((id) => [id.toUpperCase(), id]));
          const next = filterFor(opts.callsign, [...stations.keys()]);
          if (next !== filter) {
            filter = next;
            connection?.setFilter(filter);
            log.info({ stations: stations.size }, 'aprs: filter updated');
          }
        } catch (err) {
          log.error({ err }, 'aprs: reading the registered callsigns failed');
        }
      } while (again);
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  const unsubscribe = services.bus.subscribeAll((_teamId, msg) => {
    if (msg.type === 'event' && (msg.event.type.startsWith('member.') || msg.event.type === 'token.revoked'))
      void refresh();
  });
  const unRevoked = services.bus.onRevoked(() => void refresh());
  const timer = setInterval(() => void refresh(), opts.refreshMs ?? 60_000);
  timer.unref();

  // In a cluster, the node holding the lease connects; one that loses it lets go at once.
  let leaseTimer: NodeJS.Timeout | undefined;
  let closing = false;
  const checkLease = async (lease: () => Promise<boolean>) => {
    let held = false;
    try {
      held = await lease();
    } catch (err) {
      log.error({ err }, 'aprs: the lease could not be checked');
    }
    if (closing) return;
    if (held && !connection) {
      log.info({}, 'aprs: this node holds the APRS-IS connection');
      // Members may have changed on the node that held it: log in with the filter as it is now.
      await refresh();
      if (!closing) connect();
    } else if (!held && connection) {
      log.info({}, 'aprs: another node holds the APRS-IS connection');
      await disconnect();
    }
    leaseTimer = setTimeout(() => void checkLease(lease), opts.leaseEveryMs ?? 1000);
  };
  const started = refresh().then(() => (opts.lease ? checkLease(opts.lease) : connect()));
  return {
    counts,
    get filter() {
      return filter;
    },
    get connections() {
      return opened + (connection?.connectionCount ?? 0);
    },
    ready: () => started,
    refresh,
    async close() {
      clearInterval(timer);
      unsubscribe();
      unRevoked();
      closing = true;
      await started;
      clearTimeout(leaseTimer);
      await disconnect();
      await queue;
      await reading;
    },
  };
}

/** `b/CALL/CALL…` terms for the registered callsigns; with none yet, the login callsign, which never sends. */
export function filterFor(own: string, callsigns: readonly string[]): string {
  const calls = callsigns.length > 0 ? [...callsigns].sort() : [own.toUpperCase()];
  const terms: string[] = [];
  for (let i = 0; i < calls.length; i += PER_TERM) terms.push(`b/${calls.slice(i, i + PER_TERM).join('/')}`);
  return terms.join(' ');
}

function splitServer(server: string): [string, string] {
  const colon = server.lastIndexOf(':');
  return [server.slice(0, colon).replace(/^\[|\]$/g, ''), server.slice(colon + 1)];
}
