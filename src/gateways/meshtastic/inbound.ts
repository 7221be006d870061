import { HowlError } from '../../contract/errors.ts';
import { deviceAuth } from '../../services/core/auth.ts';
import type { DeviceOwner } from '../../services/devices/device-directory.ts';
import { enrolmentCodeIn } from '../../services/devices/tak.service.ts';
import type { GatewayLogger as Logger } from './logger.ts';
import {
  DOWNLINK_CHANNEL,
  type MeshPacket,
  type MeshPosition,
  type MeshTopic,
  nodeIdOf,
  parseMeshPacket,
  parseMeshTopic,
} from './parse.ts';
import type { MeshtasticServices } from './services.ts';

/** Packets several gateways relay are seen once: the last this many `from:id` keys are remembered. */
const SEEN_MAX = 4096;
/** The last battery a node reported, attached to its next positions (the map shows it). */
const BATTERY_MAX = 10_000;

export interface InboundHooks {
  /** A registered node was heard through a gateway: its team's texts go back through it. */
  seen(teamId: string, where: MeshTopic): void;
  /** Whether a text from `nodeId` is one Howl itself sent through that gateway, coming back up. */
  isEcho(where: MeshTopic, nodeId: string, text: string): boolean;
}

export type InboundOutcome =
  | 'stored'
  | 'message'
  | 'status'
  | 'held'
  | 'ignored'
  | 'duplicate'
  | 'rejected'
  | 'refused';

/**
 * What arrives from the gateways: position packets of registered nodes become positions (at the time of
 * receipt when the node has no clock), texts team messages in the team's mode, nodeinfo and telemetry the
 * device's name and battery; other types are ignored. Nodes no member owns are held for a leader (never
 * stored). Bad packets are logged and dropped; nothing is stored from them.
 */
export class MeshtasticInbound {
  private readonly seenKeys = new Set<string>();
  private readonly battery = new Map<string, number>();

  constructor(
    private readonly services: MeshtasticServices,
    private readonly root: string,
    private readonly log: Logger,
    private readonly hooks: InboundHooks,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Handles one MQTT message; never throws for bad input (a failure is logged and the packet dropped). */
  async handle(topic: string, payload: Uint8Array): Promise<InboundOutcome> {
    const where = parseMeshTopic(this.root, topic);
    // Downlinks (Howl's own among them) are for the gateways, not for Howl.
    if (!where || where.channel === DOWNLINK_CHANNEL) return 'ignored';
    const parsed = parseMeshPacket(payload);
    if (!parsed.ok) {
      this.log.warn(
        { topic, field: parsed.field, reason: parsed.reason, bytes: payload.byteLength },
        'meshtastic: packet rejected, nothing stored',
      );
      return 'rejected';
    }
    const p = parsed.packet;
    if (p.body.type === 'other') {
      this.log.debug({ topic, type: p.body.messageType }, 'meshtastic: packet type not used, ignored');
      return 'ignored';
    }
    if (this.repeat(p)) return 'duplicate';
    const nodeId = nodeIdOf(p.from);
    if (p.body.type === 'text' && this.hooks.isEcho(where, nodeId, p.body.text)) return 'ignored';
    const owner = await this.services.devices.owner(nodeId);
    if (!owner) return this.hold(topic, nodeId, p);
    this.hooks.seen(owner.teamId, where);
    try {
      return await this.take(owner, nodeId, p);
    } catch (err) {
      if (!(err instanceof HowlError)) throw err;
      this.log.warn(
        {
          topic,
          deviceId: nodeId,
          field: (err.details as { field?: string } | undefined)?.field,
          reason: err.message,
        },
        'meshtastic: packet refused, nothing stored',
      );
      return 'refused';
    }
  }

  private async take(owner: DeviceOwner, nodeId: string, p: MeshPacket): Promise<InboundOutcome> {
    const { services } = this;
    switch (p.body.type) {
      case 'position': {
        const pos = p.body.position;
        await services.positions.reportFromDevice({
          deviceId: nodeId,
          time: pos.time ?? this.now(),
          lat: pos.lat,
          lon: pos.lon,
          accuracyM: inRange(pos.accuracyM, 0, 100_000),
          altitudeM: inRange(pos.altitudeM, -1000, 100_000),
          speedMps: inRange(pos.speedMps, 0, 1000),
          bearingDeg: pos.bearingDeg,
          batteryPct: this.battery.get(nodeId),
          source: 'meshtastic',
        });
        return 'stored';
      }
      case 'text': {
        if (p.body.text.trim() === '') return 'ignored';
        await services.messages.postFromDevice(deviceAuth(owner.memberId, owner.teamId), owner.teamId, {
          text: p.body.text,
          source: 'meshtastic',
          externalId: p.id !== undefined ? `${nodeId}:${p.id}` : undefined,
        });
        return 'message';
      }
      case 'nodeinfo': {
        const name = p.body.longName || p.body.shortName;
        if (name) await services.meshtastic.status(nodeId, { name });
        return 'status';
      }
      case 'telemetry': {
        const batteryPct = p.body.batteryPct;
        if (batteryPct === undefined) return 'ignored';
        if (this.battery.size >= BATTERY_MAX && !this.battery.has(nodeId)) this.battery.clear();
        this.battery.set(nodeId, batteryPct);
        await services.meshtastic.status(nodeId, { battery: batteryPct });
        return 'status';
      }
      case 'other':
        return 'ignored';
      default: {
        const never: never = p.body;
        return never;
      }
    }
  }

  /** A node no member owns: held for a leader, on a team's list once it sent that team's enrolment code. */
  private hold(topic: string, nodeId: string, p: MeshPacket): InboundOutcome {
    const body = p.body;
    const code = body.type === 'text' ? enrolmentCodeIn(body.text) : undefined;
    const teamId = code ? this.services.tak.claim(code) : undefined;
    const fresh = this.services.meshtastic.hold({
      uid: nodeId,
      type: body.type,
      remote: topic,
      position: body.type === 'position' ? heldPosition(body.position, this.now()) : undefined,
      name: body.type === 'nodeinfo' ? body.longName || body.shortName : undefined,
      teamId,
    });
    if (fresh || teamId)
      this.log.info(
        { topic, nodeId, type: body.type, enrolled: Boolean(teamId) },
        `meshtastic: unknown node ${nodeId} held for a leader to approve, nothing stored`,
      );
    return 'held';
  }

  /** A packet heard already through another gateway (the docs: deduplicate by packet id). */
  private repeat(p: MeshPacket): boolean {
    if (p.id === undefined) return false;
    const key = `${p.from}:${p.id}`;
    if (this.seenKeys.has(key)) return true;
    if (this.seenKeys.size >= SEEN_MAX) this.seenKeys.delete(this.seenKeys.values().next().value as string);
    this.seenKeys.add(key);
    return false;
  }
}

function heldPosition(pos: MeshPosition, now: Date) {
  return { lat: pos.lat, lon: pos.lon, time: pos.time ?? now };
}

/** An auxiliary value Howl can store; out of range it is dropped (the position is kept). */
function inRange(v: number | undefined, min: number, max: number): number | undefined {
  return v !== undefined && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
}
