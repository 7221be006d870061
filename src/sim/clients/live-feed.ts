import { framesMessages, type LiveMessage } from '../../contract/live.ts';
import { openSocket } from './ws.ts';

export interface LiveFeedOptions {
  /** Last sequence number seen: the server replays the logged events after it before the snapshot. */
  after?: number;
  /** Which messages to keep in `messages` (default: all); every message reaches `onMessage`. */
  keep?: (m: LiveMessage) => boolean;
  onMessage?: (m: LiveMessage, receivedAtMs: number) => void;
}

/** The field page's live connection (`/api/live?token=`): every message the server sends, parsed. */
export class LiveFeed {
  readonly messages: LiveMessage[] = [];
  received = 0;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();
  private readonly socket;

  constructor(baseUrl: string, token: string, opts: LiveFeedOptions = {}) {
    const url = new URL('/api/live', baseUrl.replace(/^http/, 'ws'));
    url.searchParams.set('token', token);
    if (opts.after !== undefined) url.searchParams.set('after', String(opts.after));
    this.socket = openSocket(url.toString());
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      this.socket.on('unexpected-response', (_req, res) => {
        resolve({ code: 1006, reason: `upgrade refused: ${res.statusCode}` });
        this.socket.terminate();
      });
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.on('open', resolve);
      void this.closed.then((c) => reject(new Error(`live feed closed: ${c.code} ${c.reason}`)));
    });
    this.opened.catch(() => undefined);
    this.socket.on('error', () => undefined); // surfaced through `closed`
    this.socket.on('message', (data) => {
      const at = Date.now();
      // A frame of positions counts as each of its positions, as the pages apply them.
      for (const m of framesMessages(JSON.parse(data.toString()) as LiveMessage)) {
        this.received++;
        if (!opts.keep || opts.keep(m)) this.messages.push(m);
        opts.onMessage?.(m, at);
      }
      for (const w of [...this.waiters]) w();
    });
  }

  /** The first kept message (received already or later) that matches, or a rejection after `timeoutMs`. */
  waitFor<T extends LiveMessage>(predicate: (m: LiveMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  waitFor(predicate: (m: LiveMessage) => boolean, timeoutMs = 10_000): Promise<LiveMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching live message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}
