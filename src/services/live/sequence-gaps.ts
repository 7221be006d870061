import type { LiveEvent } from '../../contract/live.ts';

/** How long a hole in a team's sequence may wait for its message over NATS before it is read from the database. */
export const GAP_GRACE_MS = 750;
/** After this many reads that did not find it, a hole is given up on (the database has no such event). */
const MAX_GAP_READS = 5;

export interface SequenceGapsOptions {
  /** The team's stored events after `afterSeq`, up to and including `upToSeq`, in order. */
  readonly missed: (teamId: string, afterSeq: number, upToSeq: number) => Promise<readonly LiveEvent[]>;
  /** Delivers a filled-in event to this node's viewers and gateways. */
  readonly deliver: (teamId: string, event: LiveEvent) => void;
  readonly log: (msg: string, extra?: object) => void;
  readonly graceMs?: number;
}

interface TeamSequence {
  /** Every event up to this one has been delivered on this node. */
  through: number;
  /** Delivered events beyond `through` (a hole lies between). */
  readonly ahead: Set<number>;
  timer: ReturnType<typeof setTimeout> | null;
  reads: number;
}

/**
 * A node's view of each team's event sequence, so that what another node published and NATS lost is read
 * from the database instead: the event log is gap-free per team (appends hold the team's row lock until
 * commit, so when event n + 1 is published, event n is committed), and an event seen beyond a hole means the
 * hole's events exist. A hole waits `graceMs` for its messages (still in flight from another node), then is
 * filled from the database in order; an event that arrives twice (over NATS after its fill) is delivered once.
 * This is per node and per team, not per viewer: every viewer of the node gets the filled events.
 */
export class SequenceGaps {
  private readonly teams = new Map<string, TeamSequence>();
  private closed = false;

  constructor(private readonly o: SequenceGapsOptions) {}

  /** An event this node published itself (already delivered). */
  local(teamId: string, event: LiveEvent): void {
    this.mark(teamId, event.seq);
  }

  /** An event from another node: true when it is new here and must be delivered. */
  remote(teamId: string, event: LiveEvent): boolean {
    return this.mark(teamId, event.seq);
  }

  /** NATS came back: whatever was published meanwhile is read from the database, for every team seen. */
  async reconnected(latest: (teamId: string) => Promise<number>): Promise<void> {
    for (const teamId of [...this.teams.keys()]) {
      const seq = await latest(teamId).catch(() => null);
      const t = this.teams.get(teamId);
      if (seq === null || !t || seq <= this.highest(t)) continue;
      // The newest stored event is known to exist: everything up to it is filled.
      await this.fill(teamId, seq);
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.teams.values()) if (t.timer) clearTimeout(t.timer);
    this.teams.clear();
  }

  private mark(teamId: string, seq: number): boolean {
    let t = this.teams.get(teamId);
    if (!t) {
      // The first event of a team this node sees: nothing before it is owed to anyone here.
      t = { through: seq - 1, ahead: new Set(), timer: null, reads: 0 };
      this.teams.set(teamId, t);
    }
    if (seq <= t.through || t.ahead.has(seq)) return false;
    t.ahead.add(seq);
    this.advance(t);
    if (t.ahead.size > 0 && !t.timer) this.schedule(teamId, t);
    return true;
  }

  /** Moves `through` over the events delivered next to it; with no hole left, nothing waits. */
  private advance(t: TeamSequence): void {
    while (t.ahead.delete(t.through + 1)) t.through++;
    if (t.ahead.size > 0) return;
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    t.reads = 0;
  }

  private highest(t: TeamSequence): number {
    let max = t.through;
    for (const s of t.ahead) if (s > max) max = s;
    return max;
  }

  private schedule(teamId: string, t: TeamSequence): void {
    if (this.closed) return;
    t.timer = setTimeout(
      () => {
        t.timer = null;
        void this.fill(teamId, this.highest(t));
      },
      (this.o.graceMs ?? GAP_GRACE_MS) * (t.reads + 1),
    );
    t.timer.unref?.();
  }

  /** Reads the team's events after what was delivered up to `upTo` and delivers those not yet seen, in order. */
  private async fill(teamId: string, upTo: number): Promise<void> {
    const t = this.teams.get(teamId);
    if (!t || this.closed) return;
    const from = t.through;
    let events: readonly LiveEvent[];
    try {
      events = await this.o.missed(teamId, from, upTo);
    } catch (err) {
      this.o.log('cluster: could not read missed events from the database; trying again', { teamId, err });
      events = [];
    }
    if (this.closed) return;
    let filled = 0;
    for (const event of events) {
      if (!this.mark(teamId, event.seq)) continue;
      filled++;
      this.o.deliver(teamId, event);
    }
    if (filled > 0) this.o.log('cluster: filled missed events from the database', { teamId, filled, from });
    if (t.ahead.size === 0 || this.teams.get(teamId) !== t) return;
    t.reads++;
    if (t.reads >= MAX_GAP_READS) {
      // Not in the database after several reads: no such event (nothing is owed); move past the hole.
      this.o.log('cluster: gave up on a hole in the event sequence', { teamId, after: t.through });
      t.through = Math.min(...t.ahead) - 1;
      t.reads = 0;
      this.advance(t);
      if (t.ahead.size > 0) this.schedule(teamId, t);
      return;
    }
    if (!t.timer) this.schedule(teamId, t);
  }
}
