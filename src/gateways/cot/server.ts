import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { HeldEvent } from '../../services/devices/tak.service.ts';
import { Admission, addressKey, DEFAULT_ADMISSION_LIMITS, RefusalLog, type Ticket } from './admission.ts';
import { DeviceBinder } from './binding.ts';
import { DEFAULT_MAX_EVENT_BYTES } from './framer.ts';
import { CotInbound } from './inbound.ts';
import type { CotLogger } from './logger.ts';
import type { CotServices } from './services.ts';
import { CotSession, type SessionContext, type SessionOptions } from './session.ts';

/** The TLS listener (TAK's "ssl" streams). */
export interface CotTlsOptions {
  port: number;
  /** PEM certificate chain and key of the server. */
  cert: string;
  key: string;
  /** PEM of the CA whose client certificates bind a connection by their CN; without it none is asked for. */
  ca?: string;
}

export interface CotServerOptions {
  port: number;
  host: string;
  logger: CotLogger;
  /** A second listener speaking the same stream over TLS. */
  tls?: CotTlsOptions;
  /** Largest single event accepted (default 64 KiB); bigger ones are dropped and the stream resynchronised. */
  maxEventBytes?: number;
  /** Unsent bytes a client may let pile up before it is dropped (default 4 MiB). */
  maxBufferedBytes?: number;
  /** How often active emergencies are sent again (default 10 s). */
  resendMs?: number;
  /** A connection silent this long is closed (default 5 min; ATAK pings far more often). */
  idleTimeoutMs?: number;
  /** Per listener (default 1000). */
  maxConnections?: number;
  /**
   * Connections not bound to a member yet, both listeners together (default 200): the rest of
   * `maxConnections` stays for members' clients. See admission.ts for who makes room for whom.
   */
  maxUnidentified?: number;
  /** Of those, from one address (an IPv6 /64 counts as one; default 20). */
  maxUnidentifiedPerAddress?: number;
  /**
   * A connection that has not sent one whole `<event>` this long after connecting (after its TLS handshake)
   * is closed, whatever it dribbles (default 20 s: ATAK pings after 15 s without hearing from the server,
   * and an unbound connection hears nothing).
   */
  firstEventTimeoutMs?: number;
  /** A TLS handshake not done within this is abandoned (default 10 s). */
  handshakeTimeoutMs?: number;
  now?: () => Date;
}

export interface CotServer {
  port: number;
  /** Port of the TLS listener, null when it is off. */
  tlsPort: number | null;
  /** Uids seen but not registered to any member, most recent first (for approval in the console). */
  held(): HeldEvent[];
  close(): Promise<void>;
}

const SHUTTING_DOWN = 'shutting down';
const DEFAULT_FIRST_EVENT_MS = 20_000;

/**
 * The Cursor-on-Target gateway: TAK clients (ATAK, iTAK, WinTAK) connect to it as to a TAK server,
 * streaming CoT XML both ways, over TCP and, when configured, over TLS. Both listeners share one set of
 * connections, one binder and one inbound handler: a connection is the same whatever carries it.
 */
export async function startCotServer(services: CotServices, opts: CotServerOptions): Promise<CotServer> {
  const sessions = new Set<CotSession>();
  const ctx: SessionContext = {
    services,
    binder: new DeviceBinder(services),
    held: services.tak.held,
    inbound: new CotInbound(services, opts.logger),
    log: opts.logger,
    now: opts.now ?? (() => new Date()),
    maxEventBytes: opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    maxBufferedBytes: opts.maxBufferedBytes ?? 4 * 1024 * 1024,
    resendMs: opts.resendMs ?? 10_000,
    idleTimeoutMs: opts.idleTimeoutMs ?? 5 * 60_000,
  };
  const accept = (socket: Socket, o?: SessionOptions) => {
    sessions.add(new CotSession(socket, ctx, (s) => sessions.delete(s), o));
  };
  const admission = new Admission({
    maxUnidentified: opts.maxUnidentified ?? DEFAULT_ADMISSION_LIMITS.maxUnidentified,
    maxUnidentifiedPerAddress:
      opts.maxUnidentifiedPerAddress ?? DEFAULT_ADMISSION_LIMITS.maxUnidentifiedPerAddress,
    evictAfterMs: DEFAULT_ADMISSION_LIMITS.evictAfterMs,
  });
  const refusals = new RefusalLog(opts.logger);
  const firstEventMs = opts.firstEventTimeoutMs ?? DEFAULT_FIRST_EVENT_MS;
  const handshakeMs = opts.handshakeTimeoutMs ?? 10_000;
  /** A slot for a new TCP connection (under TLS: before its handshake), or undefined when it was refused. */
  const admit = (raw: Socket): Ticket | undefined => {
    const remote = `${raw.remoteAddress}:${raw.remotePort}`;
    const ticket = admission.admit(addressKey(raw.remoteAddress), (reason) => {
      if (reason !== SHUTTING_DOWN) refusals.note(reason, remote);
      raw.destroy();
    });
    if (typeof ticket === 'string') {
      refusals.note(ticket, remote);
      raw.destroy();
      return undefined;
    }
    raw.once('close', () => ticket.release());
    return ticket;
  };
  /** TLS connections in their handshake, by remote address:port, until the session takes their ticket. */
  const handshaking = new Map<string, Ticket>();
  const servers: Server[] = [];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())),
      ),
    );

  try {
    const tcp = createServer((socket) => {
      const ticket = admit(socket);
      if (!ticket) return;
      ticket.deadline(firstEventMs, 'no whole event in time');
      accept(socket, { ticket });
    });
    servers.push(tcp);
    const port = await listen(tcp, opts.port, opts);
    opts.logger.info({ port, host: opts.host }, 'cot: TAK gateway listening');

    let tlsPort: number | null = null;
    if (opts.tls) {
      const tls = createTlsServer(
        {
          cert: opts.tls.cert,
          key: opts.tls.key,
          ...(opts.tls.ca && { ca: opts.tls.ca, requestCert: true }),
          // Checked per connection below: a client without a certificate is welcome (uid binding), one whose
          // certificate the CA did not sign is not.
          rejectUnauthorized: false,
          handshakeTimeout: handshakeMs,
        },
        (socket) => {
          const key = `${socket.remoteAddress}:${socket.remotePort}`;
          const ticket = handshaking.get(key);
          handshaking.delete(key);
          // No ticket: it was closed while its handshake finished.
          if (!ticket) return void socket.destroy();
          ticket.deadline(firstEventMs, 'no whole event in time');
          const o = verifiedClient(socket, Boolean(opts.tls?.ca), opts.logger);
          if (o) accept(socket, { ...o, ticket });
        },
      );
      // Runs after the TLS server's own listener: destroying the raw socket ends its TLS socket too.
      tls.on('connection', (raw: Socket) => {
        const ticket = admit(raw);
        if (!ticket) return;
        // Node's handshake timeout is a deadline too; this one also holds when the server is busy.
        ticket.deadline(handshakeMs, 'TLS handshake not done in time');
        const key = `${raw.remoteAddress}:${raw.remotePort}`;
        handshaking.set(key, ticket);
        raw.once('close', () => handshaking.delete(key));
      });
      tls.on('tlsClientError', (err, socket) => {
        opts.logger.debug(
          { remote: `${socket.remoteAddress}:${socket.remotePort}`, err: err.message },
          'cot: TLS handshake failed',
        );
        // A handshake timeout leaves the socket open.
        socket.destroy();
      });
      servers.push(tls);
      tlsPort = await listen(tls, opts.tls.port, opts);
      opts.logger.info(
        { port: tlsPort, host: opts.host, clientCertificates: Boolean(opts.tls.ca) },
        'cot: TAK gateway listening over TLS',
      );
    }

    const unsubscribe = services.tak.gateway(
      { tcpPort: port, tlsPort, certPem: opts.tls?.cert ?? null, clientCertificates: Boolean(opts.tls?.ca) },
      (uid) => [...sessions].filter((s) => s.approved(uid)).length,
    );
    const unRevoked = services.bus.onRevoked((_tokenIds, deviceIds) => {
      for (const s of [...sessions]) s.revoked(deviceIds);
    });
    return {
      port,
      tlsPort,
      held: () => services.tak.held.list(ctx.now().getTime()),
      close: async () => {
        unsubscribe();
        unRevoked();
        // Stop listening, let each session finish what it received and end cleanly, then drop the rest
        // (connections still in their TLS handshake).
        const listeners = closeAll();
        await Promise.all([...sessions].map((s) => s.stop()));
        admission.closeAll(SHUTTING_DOWN);
        await listeners;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function listen(server: Server, port: number, opts: CotServerOptions): Promise<number> {
  server.maxConnections = opts.maxConnections ?? 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger.error({ err }, 'cot: server error'));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/**
 * Who a TLS client is: no certificate (uid binding applies), a certificate the CA signed (its CN names the
 * device), or one it did not sign: then the connection ends here, before any of its events is read.
 */
function verifiedClient(
  socket: TLSSocket,
  askedForCert: boolean,
  log: CotLogger,
): SessionOptions | undefined {
  if (!askedForCert) return {};
  const remote = `${socket.remoteAddress}:${socket.remotePort}`;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return {};
  if (!socket.authorized) {
    log.warn({ remote, err: String(socket.authorizationError) }, 'cot: client certificate refused');
    socket.destroy();
    return undefined;
  }
  const cn = cert.subject?.CN;
  const device = Array.isArray(cn) ? cn[0] : cn;
  return device ? { certDevice: device } : {};
}
