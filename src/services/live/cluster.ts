import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { LiveEvent, LiveMessage } from '../../contract/live.ts';
import type { ClusterStatus } from '../../contract/sessions.ts';
import type { LiveBus } from './live-bus.ts';
import { SequenceGaps } from './sequence-gaps.ts';

/** What one node tells the others: a team's live message, or credentials that stopped working. */
type Wire =
  | { n: string; t: string; m: LiveMessage }
  | { n: string; tokens: readonly string[]; devices: readonly string[] };

/** The event log as the bridge reads it to fill what NATS lost. */
export interface StoredEvents {
  /** The team's events after `afterSeq` up to and including `upToSeq`, in order. */
  after(teamId: string, afterSeq: number, upToSeq: number): Promise<readonly LiveEvent[]>;
  /** The team's newest sequence number. */
  latest(teamId: string): Promise<number>;
}

const LIVE = 'howl.live';
const REVOKED = 'howl.revoked';

/**
 * The live bus between Howl nodes that share one PostgreSQL: what a node publishes goes to the others over
 * NATS (`howl.live.<team>`), which deliver it to their own viewers, TAK and MQTT clients; revocations go to
 * every node (`howl.revoked`), so a revoked token's connections close wherever they are. The database stays
 * the source of truth: an event lost over NATS is read from the event log by its sequence number and delivered
 * here late but once (`SequenceGaps`), and when NATS comes back what was published meanwhile is read too.
 * `onRemote` is told of each remote message (to drop what this node cached).
 */
export class ClusterBridge {
  readonly node: string;
  private connected = true;
  private readonly stops: (() => void)[] = [];
  private readonly gaps: SequenceGaps;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly bus: LiveBus,
    node: string,
    onRemote: (teamId: string, msg: LiveMessage) => void,
    log: (msg: string, extra?: object) => void,
    events: StoredEvents,
    graceMs?: number,
  ) {
    this.node = node;
    const gaps = new SequenceGaps({
      missed: (teamId, after, upTo) => events.after(teamId, after, upTo),
      deliver: (teamId, event) => {
        const m: LiveMessage = { type: 'event', event };
        onRemote(teamId, m);
        bus.publishRemote(teamId, m);
      },
      log,
      ...(graceMs === undefined ? {} : { graceMs }),
    });
    this.gaps = gaps;
    this.stops.push(
      bus.subscribeAll((teamId, m) => {
        if (m.type === 'event') gaps.local(teamId, m.event);
        this.send(`${LIVE}.${teamId}`, { n: node, t: teamId, m });
      }),
      bus.onLocalRevocation((tokens, devices) => this.send(REVOKED, { n: node, tokens, devices })),
    );
    nc.subscribe(`${LIVE}.>`, {
      callback: (err, msg) => {
        if (err) return;
        const w = msg.json<Wire>();
        if (w.n === node || !('t' in w)) return;
        if (w.m.type === 'event' && !gaps.remote(w.t, w.m.event)) return;
        onRemote(w.t, w.m);
        bus.publishRemote(w.t, w.m);
      },
    });
    nc.subscribe(REVOKED, {
      callback: (err, msg) => {
        if (err) return;
        const w = msg.json<Wire>();
        if (w.n === node || !('tokens' in w)) return;
        bus.revokedRemote(w.tokens, w.devices);
      },
    });
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.connected = false;
          log('cluster: NATS connection lost; serving this node’s clients, catching up from the database');
        } else if (s.type === 'reconnect') {
          this.connected = true;
          log('cluster: NATS connection back');
          void gaps.reconnected((teamId) => events.latest(teamId));
        }
      }
    })().catch(() => undefined);
  }

  static async start(o: {
    url: string;
    bus: LiveBus;
    onRemote: (teamId: string, msg: LiveMessage) => void;
    log: (msg: string, extra?: object) => void;
    events: StoredEvents;
    node?: string;
    /** How long a hole in a team's sequence waits for its message before it is read from the database. */
    gapGraceMs?: number;
  }): Promise<ClusterBridge> {
    const node = o.node ?? `howl-${randomBytes(4).toString('hex')}`;
    const nc = await connect({
      servers: o.url,
      name: node,
      // A node keeps serving its own clients while NATS is away, and keeps trying.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    const bridge = new ClusterBridge(nc, o.bus, node, o.onRemote, o.log, o.events, o.gapGraceMs);
    await nc.flush();
    return bridge;
  }

  status(): ClusterStatus {
    return { node: this.node, nats: this.connected && !this.nc.isClosed() ? 'connected' : 'disconnected' };
  }

  private send(subject: string, w: Wire): void {
    if (this.nc.isClosed()) return;
    try {
      this.nc.publish(subject, JSON.stringify(w));
    } catch {
      // Not connected: the other nodes' viewers catch up from the database.
    }
  }

  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    this.gaps.close();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }
}
