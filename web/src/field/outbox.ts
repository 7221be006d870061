import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../shared/api.ts';
import { inStore } from './field-db.ts';

/** What the member did that must reach the server, whatever the signal. */
export type OutboxKind = 'sos' | 'ack' | 'rollcall' | 'callout' | 'message' | 'find';

export interface OutboxItem {
  /** The Idempotency-Key: the server does it once however often it is sent. */
  key: string;
  kind: OutboxKind;
  path: string;
  body: unknown;
  /** What the page says while it waits ("SOS", "Acknowledgement"). */
  label: string;
  createdMs: number;
}

const MIN_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

/** Worth sending again: no answer, a server fault, busy, or the first try still running. */
const retryable = (err: unknown) =>
  err instanceof ApiError &&
  (err.status === 0 || err.status >= 500 || err.status === 409 || err.status === 429);

type Listener = () => void;
type Delivered = (item: OutboxItem, result: unknown) => void;

/**
 * The field app's outbox (IndexedDB): an SOS, an acknowledgement, a roll-call or callout answer, a message or
 * a Found made without signal is kept, in order, and sent when the connection returns, each exactly once (its
 * Idempotency-Key), also after the app was closed and opened again. What the server refuses as bad input is
 * dropped and said; the rest waits.
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private loaded: Promise<void>;
  private flushing = false;
  private retryMs = MIN_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly delivered = new Set<Delivered>();

  constructor(private readonly token: string) {
    this.loaded = inStore('outbox', 'readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>)
      .then((kept) => {
        this.items = kept.sort((a, b) => a.createdMs - b.createdMs);
        this.changed();
      })
      .catch(() => undefined);
    addEventListener('online', () => void this.flush());
    void this.loaded.then(() => this.flush());
  }

  get pending(): readonly OutboxItem[] {
    return this.items;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onDelivered(d: Delivered): () => void {
    this.delivered.add(d);
    return () => this.delivered.delete(d);
  }

  /**
   * Sends now when it can: the server's answer, or `undefined` when it is kept for later (no signal).
   * Throws what the server refused.
   */
  async send<T>(kind: OutboxKind, path: string, body: unknown, label: string): Promise<T | undefined> {
    await this.loaded;
    const item: OutboxItem = { key: crypto.randomUUID(), kind, path, body, label, createdMs: Date.now() };
    this.items.push(item);
    await inStore('outbox', 'readwrite', (s) => s.put(item)).catch(() => undefined);
    this.changed();
    // Earlier items go first: the SOS pressed offline before this acknowledgement arrives before it.
    if (this.items[0] !== item) {
      void this.flush();
      return undefined;
    }
    try {
      const result = await this.post<T>(item);
      await this.done(item, result);
      return result;
    } catch (err) {
      if (!retryable(err)) {
        await this.drop(item);
        throw err;
      }
      this.schedule();
      return undefined;
    }
  }

  /** Sends what waits, oldest first, until one fails for want of a connection. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      while (this.items.length > 0) {
        const item = this.items[0] as OutboxItem;
        try {
          await this.done(item, await this.post(item));
        } catch (err) {
          if (retryable(err)) {
            this.schedule();
            return;
          }
          await this.drop(item);
        }
      }
      this.retryMs = MIN_RETRY_MS;
    } finally {
      this.flushing = false;
    }
  }

  private post<T>(item: OutboxItem): Promise<T> {
    return api<T>(item.path, {
      method: 'POST',
      token: this.token,
      body: item.body,
      idempotencyKey: item.key,
    });
  }

  private async done(item: OutboxItem, result: unknown): Promise<void> {
    await this.drop(item);
    for (const d of this.delivered) d(item, result);
  }

  private async drop(item: OutboxItem): Promise<void> {
    this.items = this.items.filter((i) => i.key !== item.key);
    await inStore('outbox', 'readwrite', (s) => s.delete(item.key)).catch(() => undefined);
    this.changed();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.retryMs);
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

const outboxes = new Map<string, Outbox>();

/** The page's one outbox for its token, and what waits in it. */
export function useOutbox(token: string): { outbox: Outbox; pending: readonly OutboxItem[] } {
  const outbox = useMemo(() => {
    let o = outboxes.get(token);
    if (!o) {
      o = new Outbox(token);
      outboxes.set(token, o);
    }
    return o;
  }, [token]);
  const [pending, setPending] = useState<readonly OutboxItem[]>(outbox.pending);
  useEffect(() => {
    setPending([...outbox.pending]);
    return outbox.subscribe(() => setPending([...outbox.pending]));
  }, [outbox]);
  return { outbox, pending };
}

/** The field page's outbox, for the buttons that send what must arrive. */
export const OutboxContext = createContext<Outbox | null>(null);

export function useFieldOutbox(): Outbox {
  const o = useContext(OutboxContext);
  if (!o) throw new Error('no outbox: render inside OutboxContext');
  return o;
}
