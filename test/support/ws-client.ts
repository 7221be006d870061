import { framesMessages, type LiveMessage } from '../../src/contract/live.ts';
import { openSocket } from '../../src/sim/clients/ws.ts';

export interface Closed {
  code: number;
  reason: string;
  /** The HTTP status when the upgrade itself was refused. */
  httpStatus?: number;
}

export interface LiveClient {
  /** Every message received so far, in order. */
  readonly messages: LiveMessage[];
  /** The first message (received already or later) that matches, or a rejection after `timeoutMs`. */
  waitFor<T extends LiveMessage>(predicate: (m: LiveMessage) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  /** Resolves once the upgrade succeeded (never, if it is refused). */
  readonly opened: Promise<void>;
  /** Resolves when the socket closes (or the upgrade is refused). */
  readonly closed: Promise<Closed>;
  close(): Promise<Closed>;
}

/** Opens a `ws` client on `url` and collects what the server sends, parsed as JSON. */
export function openLive(url: string, headers: Record<string, string> = {}): LiveClient {
  const socket = openSocket(url, headers);
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  let httpStatus: number | undefined;
  const closed = new Promise<Closed>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), httpStatus }));
    socket.on('unexpected-response', (_req, res) => {
      httpStatus = res.statusCode;
      resolve({ code: 1006, reason: 'upgrade refused', httpStatus });
      socket.terminate();
    });
  });
  const opened = new Promise<void>((resolve) => socket.on('open', resolve));
  socket.on('error', () => undefined); // surfaced through `closed`
  socket.on('message', (data) => {
    messages.push(...framesMessages(JSON.parse(data.toString()) as LiveMessage));
    for (const w of [...waiters]) w();
  });

  function waitFor(predicate: (m: LiveMessage) => boolean, timeoutMs = 5000): Promise<LiveMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = messages.find(predicate);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no matching live message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.type))}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  return {
    messages,
    waitFor,
    opened,
    closed,
    close() {
      socket.close();
      return closed;
    },
  };
}

/** Type guards for `waitFor`. */
export const isSnapshot = (m: LiveMessage): m is Extract<LiveMessage, { type: 'snapshot' }> =>
  m.type === 'snapshot';
export const isPosition = (m: LiveMessage): m is Extract<LiveMessage, { type: 'position' }> =>
  m.type === 'position';
export const isEvent = (m: LiveMessage): m is Extract<LiveMessage, { type: 'event' }> => m.type === 'event';
