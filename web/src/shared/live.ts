import { LiveMessage } from '../../../src/contract/live.ts';

/** `revoked`: the server closed with 4001 (token revoked or not authorized); no more reconnects. */
export type LiveStatus = 'connecting' | 'live' | 'offline' | 'revoked';

export interface LiveClientOptions {
  /** Bearer token for clients without a session cookie (the field page). */
  token?: string;
  onMessage: (message: LiveMessage) => void;
  onStatus: (status: LiveStatus) => void;
}

/** The server sends a heartbeat every 10 s: silence for this long means the link is dead (noticed within 30 s). */
export const SILENT_MS = 25_000;
const WATCH_MS = 2000;
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
export const CLOSE_UNAUTHORIZED = 4001;

/** The WebSocket client of `/api/live`: resumes after the last sequence seen and reconnects with backoff. */
export class LiveClient {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private heardMs = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: LiveClientOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
  }

  private url(): string {
    const params = new URLSearchParams();
    if (this.lastSeq !== null) params.set('after', String(this.lastSeq));
    if (this.options.token) params.set('token', this.options.token);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = params.toString();
    return `${scheme}://${location.host}/api/live${query ? `?${query}` : ''}`;
  }

  private connect(): void {
    if (this.stopped) return;
    this.options.onStatus('connecting');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.heardMs = Date.now();
    // A link that dies without a close (a phone losing signal) is noticed by its silence, not left "live".
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(() => {
      if (this.socket === socket && Date.now() - this.heardMs > SILENT_MS) this.dropSilent(socket);
    }, WATCH_MS);
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.heardMs = Date.now();
      this.receive(ev.data);
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (ev.code === CLOSE_UNAUTHORIZED) {
        this.stopped = true;
        this.options.onStatus('revoked');
        return;
      }
      this.options.onStatus('offline');
      this.scheduleReconnect();
    };
  }

  /** Gives up on a silent socket: offline now, and reconnecting. */
  private dropSilent(socket: WebSocket): void {
    this.socket = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.close(4000, 'silent');
    this.options.onStatus('offline');
    this.scheduleReconnect();
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = LiveMessage.safeParse(json);
    if (!parsed.success) {
      console.warn('howl: ignored a live message that does not match the contract', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    if (message.type === 'snapshot') {
      this.lastSeq = message.seq;
      // A snapshot means the connection is really up (auth passed): reset the backoff.
      this.backoffMs = MIN_BACKOFF_MS;
      this.options.onStatus('live');
    } else if (message.type === 'event') {
      this.lastSeq = Math.max(this.lastSeq ?? 0, message.event.seq);
    }
    this.options.onMessage(message);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
