import { connect, type Socket } from 'node:net';
import type { AprsLogger } from './logger.ts';

export interface AprsIsOptions {
  host: string;
  port: number;
  /** The callsign Howl logs in with (`pass -1`: receive only, the server accepts nothing from it). */
  callsign: string;
  /** Software version named in the login line. */
  version: string;
  /** The server-side filter to log in with (`b/CALL/CALL …`). */
  filter: () => string;
  onLine: (line: string) => void;
  log: AprsLogger;
  /** Wait before the first reconnect, doubled after each failure up to `maxBackoffMs` (defaults 1 s, 60 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A connection silent this long is taken for dead (servers send a `#` keepalive every 20 s; default 90 s). */
  idleTimeoutMs?: number;
}

/** Longest line kept: APRS-IS lines are at most 512 bytes; a server sending more is not speaking APRS-IS. */
const MAX_LINE_BYTES = 2048;

/**
 * One APRS-IS client connection, kept up: it logs in receive-only with a filter, hands every line on, and
 * reconnects after a drop with a growing wait. Howl never sends packets: after the login, the only lines it
 * writes are `#filter …` commands, which the server takes from a client to change its filter.
 */
export class AprsIsConnection {
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private connections = 0;
  private readonly server: string;

  constructor(private readonly opts: AprsIsOptions) {
    this.server = `${opts.host}:${opts.port}`;
  }

  start(): void {
    this.open();
  }

  /** How many times a connection was opened (the first and every reconnection). */
  get connectionCount(): number {
    return this.connections;
  }

  /** Sends the new filter to the server now, when connected (the next login carries it anyway). */
  setFilter(filter: string): void {
    const s = this.socket;
    if (s && !s.destroyed && !s.connecting) s.write(`#filter ${filter}\r\n`);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const s = this.socket;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }

  private open(): void {
    if (this.stopped) return;
    const { log } = this.opts;
    const socket = connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    this.connections++;
    socket.setEncoding('latin1'); // APRS is bytes: Mic-E uses all of 0x1c–0x7f, comments any charset.
    socket.setTimeout(this.opts.idleTimeoutMs ?? 90_000);
    socket.setKeepAlive(true, 30_000);
    let buffer = '';
    let loggedIn = false;
    socket.on('connect', () => {
      const login = `user ${this.opts.callsign} pass -1 vers Howl ${this.opts.version} filter ${this.opts.filter()}`;
      socket.write(`${login}\r\n`);
      log.info(
        { server: this.server, again: this.connections > 1 },
        'aprs: connected, logging in receive-only',
      );
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.search(/\r?\n/);
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(buffer[end] === '\r' ? end + 2 : end + 1);
        if (!loggedIn && line.startsWith('# logresp')) {
          loggedIn = true;
          this.failures = 0;
          log.info({ server: this.server, response: line.slice(2) }, 'aprs: logged in');
        }
        if (line !== '') this.opts.onLine(line);
        end = buffer.search(/\r?\n/);
      }
      if (buffer.length > MAX_LINE_BYTES) {
        log.warn({ server: this.server }, 'aprs: line too long, dropped');
        buffer = '';
      }
    });
    socket.on('timeout', () => {
      log.warn({ server: this.server }, 'aprs: server silent, reconnecting');
      socket.destroy();
    });
    socket.on('error', (err) => {
      log.warn({ err, server: this.server }, 'aprs: connection error');
    });
    socket.on('close', () => {
      if (this.stopped) return;
      const base = this.opts.minBackoffMs ?? 1000;
      const waitMs = Math.min(base * 2 ** this.failures, this.opts.maxBackoffMs ?? 60_000);
      this.failures++;
      log.warn({ server: this.server, waitMs }, 'aprs: disconnected, reconnecting');
      this.timer = setTimeout(() => this.open(), waitMs);
    });
  }
}
