import type { LiveMessage } from '../../contract/live.ts';
import type { Position } from '../../contract/positions.ts';
import type { LiveBus } from './live-bus.ts';

/** How long positions gather before they go out as one frame. */
export const TICK_MS = 50;

type Listener = (m: LiveMessage) => void;

interface TeamTick {
  listeners: Set<Listener>;
  pending: Position[];
  timer: ReturnType<typeof setTimeout> | null;
  unsubscribe: () => void;
}

/**
 * The team's live traffic as the WebSocket viewers get it: the positions that arrive within a tick go out
 * as one `positions` message (the same object for every viewer, so serialized once), everything else at
 * once and in order, after the positions that came before it. 1,000 viewers and 100 positions/s make 20
 * frames a second per viewer instead of 100.
 */
export class PositionTicks {
  private readonly teams = new Map<string, TeamTick>();

  constructor(
    private readonly bus: LiveBus,
    private readonly tickMs = TICK_MS,
  ) {}

  subscribe(teamId: string, listener: Listener): () => void {
    let t = this.teams.get(teamId);
    if (!t) {
      const tick: TeamTick = { listeners: new Set(), pending: [], timer: null, unsubscribe: () => undefined };
      tick.unsubscribe = this.bus.subscribe(teamId, (m) => this.receive(tick, m));
      this.teams.set(teamId, tick);
      t = tick;
    }
    const tick = t;
    tick.listeners.add(listener);
    return () => {
      tick.listeners.delete(listener);
      if (tick.listeners.size > 0) return;
      if (tick.timer) clearTimeout(tick.timer);
      tick.unsubscribe();
      this.teams.delete(teamId);
    };
  }

  private receive(t: TeamTick, m: LiveMessage): void {
    if (m.type === 'position') {
      t.pending.push(m.position);
      t.timer ??= setTimeout(() => this.flush(t), this.tickMs);
      return;
    }
    // An event never overtakes the positions that came before it.
    this.flush(t);
    this.deliver(t, m);
  }

  private flush(t: TeamTick): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    if (t.pending.length === 0) return;
    const m: LiveMessage = { type: 'positions', positions: t.pending };
    t.pending = [];
    this.deliver(t, m);
  }

  private deliver(t: TeamTick, m: LiveMessage): void {
    for (const l of t.listeners) {
      try {
        l(m);
      } catch {
        // One viewer's failure is that viewer's (its socket closes); the others still get the frame.
      }
    }
  }
}

/** Only the newest position of each member in a frame, members in the order they first appear. */
export function newestOnly(positions: readonly Position[]): Position[] {
  const newest = new Map<string, Position>();
  for (const p of positions) newest.set(p.memberId, p);
  return [...newest.values()];
}

type PositionsFrame = Extract<LiveMessage, { type: 'positions' }>;
const newestFrames = new WeakMap<PositionsFrame, PositionsFrame>();

/**
 * A frame with each member's newest position only (a viewer falling behind, a TAK map): made once per frame
 * for all who ask, the same object each time, so that it is serialized once too (frames.ts).
 */
export function newestFrame(m: PositionsFrame): PositionsFrame {
  let f = newestFrames.get(m);
  if (!f) {
    f = { type: 'positions', positions: newestOnly(m.positions) };
    newestFrames.set(m, f);
  }
  return f;
}
