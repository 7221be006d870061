import type { FieldPositionBody } from '../../../src/contract/positions.ts';
import { ApiError, api } from '../shared/api.ts';
import { readStored, writeStored } from '../shared/stored.ts';

const QUEUE_KEY = 'howl.fieldQueue';
const MAX_QUEUE = 2000;
const MIN_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

export interface SenderState {
  sent: number;
  queued: number;
  lastSentMs: number | null;
  error: string | null;
  /** The server refused the token: nothing more is sent. */
  revoked: boolean;
}

const finite = (v: number | null | undefined, min: number, max: number) =>
  v !== null && v !== undefined && Number.isFinite(v) && v >= min && v <= max ? v : null;

/** The body to post for a browser fix; values the browser leaves empty or out of range are sent as null. */
export function fixBody(position: GeolocationPosition, batteryPct: number | null): FieldPositionBody {
  const c = position.coords;
  const body: FieldPositionBody = {
    lat: c.latitude,
    lon: c.longitude,
    time: new Date(position.timestamp).toISOString(),
    accuracy: finite(c.accuracy, 0, 100_000),
    altitude: finite(c.altitude, -1000, 100_000),
    speed: finite(c.speed, 0, 1000),
    heading: finite(c.heading, 0, 360),
  };
  if (batteryPct !== null) body.battery = finite(batteryPct, 0, 100);
  return body;
}

/** A fix's Idempotency-Key, from what makes it this fix: its time and place. */
export function fixKey(fix: FieldPositionBody): string {
  return `fix:${Date.parse(fix.time)}:${fix.lat.toFixed(6)}:${fix.lon.toFixed(6)}`;
}

/**
 * Posts fixes in time order, keeping the unsent ones (also across reloads) and retrying with backoff
 * while offline. A fix the server refuses as bad input is dropped so it cannot block the others.
 */
export class FixSender {
  private queue: FieldPositionBody[];
  private state: SenderState;
  private sending = false;
  private retryMs = MIN_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly token: string,
    private readonly onChange: (state: SenderState) => void,
  ) {
    this.queue = loadQueue(token);
    this.state = { sent: 0, queued: this.queue.length, lastSentMs: null, error: null, revoked: false };
  }

  get current(): SenderState {
    return this.state;
  }

  add(fix: FieldPositionBody): void {
    this.queue.push(fix);
    this.queue.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    if (this.queue.length > MAX_QUEUE) this.queue.splice(0, this.queue.length - MAX_QUEUE);
    this.update({});
    void this.flush();
  }

  /** Sends what is waiting now (e.g. when the phone is back online). */
  async flush(): Promise<void> {
    if (this.sending || this.state.revoked) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const fix = this.queue[0] as FieldPositionBody;
        try {
          // The same fix always has the same key: a retry after a lost answer stores nothing twice.
          await api('/api/positions', {
            method: 'POST',
            token: this.token,
            body: fix,
            idempotencyKey: fixKey(fix),
          });
          this.queue.shift();
          this.retryMs = MIN_RETRY_MS;
          this.update({ sent: this.state.sent + 1, lastSentMs: Date.now(), error: null });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
            this.update({ revoked: true, error: message });
            return;
          }
          if (
            err instanceof ApiError &&
            err.status >= 400 &&
            err.status < 500 &&
            err.status !== 429 &&
            err.status !== 409
          ) {
            this.queue.shift();
            this.update({ error: `A fix was refused: ${message}` });
            continue;
          }
          this.update({ error: message });
          this.scheduleRetry();
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleRetry(): void {
    const delay = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private update(change: Partial<SenderState>): void {
    saveQueue(this.token, this.queue);
    this.state = { ...this.state, ...change, queued: this.queue.length };
    this.onChange(this.state);
  }
}

interface StoredQueue {
  token: string;
  fixes: FieldPositionBody[];
}

/** Unsent fixes kept from an earlier visit, only if they were taken with the same token. */
function loadQueue(token: string): FieldPositionBody[] {
  const data = readStored<Partial<StoredQueue>>(QUEUE_KEY);
  return data?.token === token && Array.isArray(data.fixes) ? data.fixes : [];
}

function saveQueue(token: string, fixes: FieldPositionBody[]): void {
  // Storage full or private mode: the queue still lives in memory.
  writeStored(QUEUE_KEY, { token, fixes } satisfies StoredQueue);
}
