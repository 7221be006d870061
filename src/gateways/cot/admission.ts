import { isIPv6 } from 'node:net';
import type { CotLogger } from './logger.ts';

/**
 * Who gets a connection slot while nobody knows who they are. A TAK client says who it is in its first
 * events (its SA carries its uid); until its uid binds it to a member, a connection is "unidentified" and
 * holds one of a few slots: at most `maxUnidentifiedPerAddress` from one address and `maxUnidentified` in
 * all, well below the listener's total, so that members' clients always have room. When the slots are
 * full, the oldest unidentified connection (of that address, or of the address holding the most) makes
 * room for the new one, unless it is younger than `evictAfterMs`: then the new one is refused. So dribbling
 * bytes into idle connections keeps nobody out for long, and a burst is refused rather than churned.
 */
export interface AdmissionLimits {
  maxUnidentified: number;
  maxUnidentifiedPerAddress: number;
  /** A connection this young is never closed to make room for a newer one. */
  evictAfterMs: number;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = {
  maxUnidentified: 200,
  maxUnidentifiedPerAddress: 20,
  evictAfterMs: 1000,
};

/** Why a new connection was turned away. */
export type Refusal = 'address_full' | 'all_full';

/** What a session tells the admission about its connection. */
export interface AdmissionTicket {
  /** A whole `<event>` arrived: the first-event deadline is met. */
  heard(): void;
  /** Bound to a member: no longer unidentified. */
  identified(): void;
}

/** One unidentified connection's slot, and its deadline (the TLS handshake, then the first whole event). */
export class Ticket implements AdmissionTicket {
  private timer?: NodeJS.Timeout;
  private held = true;

  constructor(
    readonly address: string,
    readonly sinceMs: number,
    private readonly pool: Admission,
    private readonly close: (reason: string) => void,
  ) {}

  /** Closes the connection with `reason` unless it is heard from (or identified) within `ms`. */
  deadline(ms: number, reason: string): void {
    this.clearDeadline();
    if (!this.held) return;
    this.timer = setTimeout(() => this.expire(reason), ms);
    this.timer.unref();
  }

  heard(): void {
    this.clearDeadline();
  }

  identified(): void {
    this.release();
  }

  /** The connection ended (idempotent). */
  release(): void {
    this.clearDeadline();
    if (!this.held) return;
    this.held = false;
    this.pool.remove(this);
  }

  /** Ends the connection to make room, or at its deadline. */
  expire(reason: string): void {
    this.release();
    this.close(reason);
  }

  private clearDeadline(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export class Admission {
  /** Per address, its unidentified connections, oldest first (a Set keeps insertion order). */
  private readonly byAddress = new Map<string, Set<Ticket>>();
  private count = 0;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Unidentified connections now. */
  get size(): number {
    return this.count;
  }

  /**
   * A slot for a new connection from `address`, possibly by closing an older unidentified one (with the
   * reason given to its `close`), or why there is none.
   */
  admit(address: string, close: (reason: string) => void): Ticket | Refusal {
    const now = this.nowMs();
    const mine = this.byAddress.get(address);
    if (mine && mine.size >= this.limits.maxUnidentifiedPerAddress) {
      const oldest = this.evictable(mine, now);
      if (!oldest) return 'address_full';
      oldest.expire('made room: too many unidentified connections from its address');
    } else if (this.count >= this.limits.maxUnidentified) {
      const victim = this.heaviest(now);
      if (!victim) return 'all_full';
      victim.expire('made room: too many unidentified connections');
    }
    const ticket = new Ticket(address, now, this, close);
    const set = this.byAddress.get(address) ?? new Set<Ticket>();
    set.add(ticket);
    this.byAddress.set(address, set);
    this.count++;
    return ticket;
  }

  /** Called by the ticket itself when it is released. */
  remove(ticket: Ticket): void {
    const set = this.byAddress.get(ticket.address);
    if (!set?.delete(ticket)) return;
    this.count--;
    if (set.size === 0) this.byAddress.delete(ticket.address);
  }

  /** Closes every unidentified connection (shutting down). */
  closeAll(reason: string): void {
    for (const set of [...this.byAddress.values()]) for (const t of [...set]) t.expire(reason);
  }

  private evictable(set: Set<Ticket>, now: number): Ticket | undefined {
    const oldest = set.values().next().value;
    return oldest && now - oldest.sinceMs >= this.limits.evictAfterMs ? oldest : undefined;
  }

  /** The oldest evictable connection of the address holding the most (the flooder pays, not a lone client). */
  private heaviest(now: number): Ticket | undefined {
    let best: Ticket | undefined;
    let bestSize = 0;
    for (const set of this.byAddress.values()) {
      const t = this.evictable(set, now);
      if (!t) continue;
      if (set.size > bestSize || (set.size === bestSize && best && t.sinceMs < best.sinceMs)) {
        best = t;
        bestSize = set.size;
      }
    }
    return best;
  }
}

/**
 * The address a connection counts against: IPv4 as is (also when mapped into IPv6), IPv6 by its /64, the
 * block one subscriber usually gets.
 */
export function addressKey(remote: string | undefined): string {
  if (!remote) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(remote)) return remote;
  const [head = '', tail = ''] = remote.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = remote.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const WARN_EVERY_MS = 60_000;

/**
 * Logs connections refused or closed for want of identity: each at debug, and at most one warning a minute
 * with the counts since the last one, so a flood cannot flood the log.
 */
export class RefusalLog {
  private counts: Record<string, number> = {};
  private lastWarnMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: CotLogger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  note(reason: string, remote: string): void {
    this.log.debug({ remote, reason }, 'cot: connection refused or closed');
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    const now = this.nowMs();
    if (now - this.lastWarnMs < WARN_EVERY_MS) return;
    this.log.warn(
      {
        counts: this.counts,
        lastRemote: remote,
        sinceMs: Number.isFinite(this.lastWarnMs) ? now - this.lastWarnMs : 0,
      },
      'cot: connections refused or closed: unidentified clients over their limits or too slow',
    );
    this.lastWarnMs = now;
    this.counts = {};
  }
}
