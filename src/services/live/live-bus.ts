import type { LiveMessage } from '../../contract/live.ts';

type Listener = (msg: LiveMessage) => void;
/** Tokens and device ids that stopped being credentials: connections using them must close. */
type RevokeListener = (tokenIds: readonly string[], deviceIds: readonly string[]) => void;

/**
 * The live bus inside one node: services publish a team's messages, the WebSocket hub
 * (and later the gateways) subscribe per team. Delivery is synchronous and in order.
 */
export class LiveBus {
  private readonly teams = new Map<string, Set<Listener>>();
  private readonly revokeListeners = new Set<RevokeListener>();
  private readonly allTeams = new Set<(teamId: string, msg: LiveMessage) => void>();
  private readonly localRevocations = new Set<RevokeListener>();
  /**
   * @param onListenerError where a listener's failure goes. One listener failing (a viewer's socket, a TAK
   * session) never keeps a message from the others: each is called on its own.
   */
  constructor(
    private readonly onListenerError: (err: unknown) => void = (err) =>
      console.error('howl: a live listener failed:', err),
  ) {}

  publish(teamId: string, msg: LiveMessage): void {
    this.deliver(teamId, msg);
    this.each(this.allTeams, (l) => l(teamId, msg));
  }

  /**
   * A message another node of the cluster published: to this node's viewers and gateways only, not to
   * `subscribeAll` (its push and webhooks went out from the node that published it).
   */
  publishRemote(teamId: string, msg: LiveMessage): void {
    this.deliver(teamId, msg);
  }

  private deliver(teamId: string, msg: LiveMessage): void {
    this.each(this.teams.get(teamId) ?? [], (l) => l(msg));
  }

  /** Calls each listener on its own: one that throws never keeps the message from the others. */
  private each<L>(listeners: Iterable<L>, call: (l: L) => void): void {
    for (const l of listeners) {
      try {
        call(l);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** Every team's messages this node publishes (Web Push, webhooks, the cluster): once each. */
  subscribeAll(listener: (teamId: string, msg: LiveMessage) => void): () => void {
    this.allTeams.add(listener);
    return () => this.allTeams.delete(listener);
  }

  subscribe(teamId: string, listener: Listener): () => void {
    let set = this.teams.get(teamId);
    if (!set) {
      set = new Set();
      this.teams.set(teamId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.teams.delete(teamId);
    };
  }

  /** Tokens and device ids that stop working now: open connections using them must close. */
  revoked(tokenIds: readonly string[], deviceIds: readonly string[] = []): void {
    if (tokenIds.length === 0 && deviceIds.length === 0) return;
    this.revokedRemote(tokenIds, deviceIds);
    this.each(this.localRevocations, (l) => l(tokenIds, deviceIds));
  }

  /** Revocations on another node of the cluster: this node's connections using them close too. */
  revokedRemote(tokenIds: readonly string[], deviceIds: readonly string[]): void {
    this.each(this.revokeListeners, (l) => l(tokenIds, deviceIds));
  }

  onRevoked(listener: RevokeListener): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  /** Revocations made on this node (for the cluster to tell the others). */
  onLocalRevocation(listener: RevokeListener): () => void {
    this.localRevocations.add(listener);
    return () => this.localRevocations.delete(listener);
  }
}
