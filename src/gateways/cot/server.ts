import { createServer, type Server } from 'node:net';
import type { Services } from '../../services/services.ts';
import { DeviceBinder, type HeldEvent, HeldEvents } from './binding.ts';
import { DEFAULT_MAX_EVENT_BYTES } from './framer.ts';
import { CotInbound } from './inbound.ts';
import type { CotLogger } from './logger.ts';
import { CotSession } from './session.ts';

export interface CotServerOptions {
  port: number;
  host: string;
  logger: CotLogger;
  /** Largest single event accepted (default 64 KiB); bigger ones are dropped and the stream resynchronised. */
  maxEventBytes?: number;
  /** Unsent bytes a client may let pile up before it is dropped (default 4 MiB). */
  maxBufferedBytes?: number;
  /** How often active emergencies are sent again (default 10 s). */
  resendMs?: number;
  /** A connection silent this long is closed (default 5 min; ATAK pings far more often). */
  idleTimeoutMs?: number;
  maxConnections?: number;
  now?: () => Date;
}

export interface CotServer {
  port: number;
  /** Uids seen but not registered to any member, most recent first (for approval in the console, later). */
  held(): HeldEvent[];
  close(): Promise<void>;
}

/**
 * The Cursor-on-Target gateway: a TCP server TAK clients (ATAK, iTAK, WinTAK) connect to as to a TAK server,
 * streaming CoT XML both ways.
 */
export async function startCotServer(services: Services, opts: CotServerOptions): Promise<CotServer> {
  const sessions = new Set<CotSession>();
  const held = new HeldEvents();
  const ctx = {
    services,
    binder: new DeviceBinder(services),
    held,
    inbound: new CotInbound(services, opts.logger),
    log: opts.logger,
    now: opts.now ?? (() => new Date()),
    maxEventBytes: opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    maxBufferedBytes: opts.maxBufferedBytes ?? 4 * 1024 * 1024,
    resendMs: opts.resendMs ?? 10_000,
    idleTimeoutMs: opts.idleTimeoutMs ?? 5 * 60_000,
  };
  const server: Server = createServer((socket) => {
    sessions.add(new CotSession(socket, ctx, (s) => sessions.delete(s)));
  });
  server.maxConnections = opts.maxConnections ?? 1000;
  server.on('error', (err) => opts.logger.error({ err }, 'cot: server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.logger.info({ port, host: opts.host }, 'cot: TAK gateway listening');
  return {
    port,
    held: () => held.list(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...sessions]) s.close();
        server.close(() => resolve());
      }),
  };
}
