import type { LiveMessage } from '../../contract/live.ts';
import {
  EMPTY_OUTBOX,
  enqueueMeshText,
  type MeshOutbox,
  type MeshText,
  meshAlertText,
  meshMessageText,
  nextMeshText,
} from '../../domain/mesh-outbox.ts';
import { triageClass } from '../../domain/triage.ts';
import type { GatewayLogger } from './logger.ts';
import { DOWNLINK_CHANNEL, type MeshTopic, nodeNumOf } from './parse.ts';
import type { MeshtasticServices } from './services.ts';

/** Sends one MQTT message (QoS 1, not retained). */
export type Publish = (topic: string, payload: string) => void;

/** Texts Howl sent through a gateway, remembered to know them when the gateway uplinks them again. */
const ECHO_MEMORY = 20;

interface Gateway {
  /** `<root>/<region>/2/json/mqtt/<!gateway>`: the firmware's JSON downlink, taken on a channel named "mqtt". */
  topic: string;
  /** The gateway's node number: the firmware sends only a downlink whose `from` is its own. */
  from: number;
  box: MeshOutbox;
  sent: string[];
}

interface Ctx {
  services: Pick<MeshtasticServices, 'bus'>;
  root: string;
  publish: Publish;
  log: GatewayLogger;
  now: () => Date;
  /** The least time between two texts into one mesh. */
  intervalMs: number;
}

/**
 * Back to the mesh: each team's real and exercise alerts (not the condition alerts meant for leaders) and
 * its team messages (not those that came from the mesh) go out as text through the gateways its nodes were
 * heard through, worded with their mode (EXERCISE in a drill), at most 200 bytes, and at most one text per
 * `intervalMs` into each gateway's mesh: alerts before messages, a text equal to one waiting merged into it.
 * `pump` sends what is due; the caller runs it on a timer (and tests with their own clock).
 */
export class MeshtasticOutbound {
  private readonly gateways = new Map<string, Gateway>();
  private readonly teams = new Map<string, { gateways: Set<string>; unsubscribe: () => void }>();

  constructor(private readonly ctx: Ctx) {}

  /** A registered node of the team was heard through `where`'s gateway: the team's texts go out through it. */
  seen(teamId: string, where: MeshTopic): void {
    const key = downlinkTopic(this.ctx.root, where);
    if (!this.gateways.has(key)) {
      const from = nodeNumOf(where.gateway);
      if (from === undefined) return;
      this.gateways.set(key, { topic: key, from, box: EMPTY_OUTBOX, sent: [] });
    }
    let team = this.teams.get(teamId);
    if (!team) {
      const unsubscribe = this.ctx.services.bus.subscribe(teamId, (msg) => this.onLive(teamId, msg));
      team = { gateways: new Set(), unsubscribe };
      this.teams.set(teamId, team);
    }
    if (!team.gateways.has(key)) {
      team.gateways.add(key);
      this.ctx.log.info({ teamId, downlink: key }, `meshtastic: the team's alerts and messages go to ${key}`);
    }
  }

  /** Whether `text` from `nodeId` is one Howl sent through that very gateway, uplinked again. */
  isEcho(where: MeshTopic, nodeId: string, text: string): boolean {
    if (nodeId !== where.gateway) return false;
    return this.gateways.get(downlinkTopic(this.ctx.root, where))?.sent.includes(text) ?? false;
  }

  /** Sends each gateway's next text when its interval has passed; returns how many went out. */
  pump(): number {
    const nowMs = this.ctx.now().getTime();
    let sent = 0;
    for (const g of this.gateways.values()) {
      const next = nextMeshText(g.box, nowMs, this.ctx.intervalMs);
      g.box = next.box;
      if (!next.send) continue;
      this.ctx.publish(g.topic, JSON.stringify({ from: g.from, type: 'sendtext', payload: next.send.text }));
      g.sent.push(next.send.text);
      if (g.sent.length > ECHO_MEMORY) g.sent.shift();
      sent++;
    }
    return sent;
  }

  /** Texts waiting, per downlink topic (for logs and tests). */
  waiting(): Record<string, number> {
    return Object.fromEntries([...this.gateways].map(([k, g]) => [k, g.box.queue.length]));
  }

  stop(): void {
    for (const t of this.teams.values()) t.unsubscribe();
    this.teams.clear();
  }

  private onLive(teamId: string, msg: LiveMessage): void {
    if (msg.type !== 'event') return;
    const e = msg.event;
    let text: MeshText | undefined;
    if (e.type === 'alert.updated' && e.change === 'raised' && triageClass(e.alert.type) !== 'condition')
      text = { kind: 'alert', text: meshAlertText(e.alert) };
    else if (e.type === 'message.posted' && e.message.source !== 'meshtastic')
      text = { kind: 'message', text: meshMessageText(e.message) };
    if (!text) return;
    for (const key of this.teams.get(teamId)?.gateways ?? []) {
      const g = this.gateways.get(key);
      if (g) g.box = enqueueMeshText(g.box, text);
    }
  }
}

/** The JSON downlink topic of the gateway `where` names, in its region. */
export function downlinkTopic(root: string, where: MeshTopic): string {
  const region = where.region ? `/${where.region}` : '';
  return `${root}${region}/2/json/${DOWNLINK_CHANNEL}/${where.gateway}`;
}
