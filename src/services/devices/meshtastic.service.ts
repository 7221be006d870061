import type { Kysely } from 'kysely';
import { HowlError } from '../../contract/errors.ts';
import type { MeshApproved, MeshPendingNode } from '../../contract/meshtastic.ts';
import { findDeviceOwner, updateDeviceStatus } from '../../store/devices.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader } from '../core/auth.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { approveHeldDevice } from './device-approval.ts';
import type { DeviceDirectory } from './device-directory.ts';
import { HeldEvents, type HoldInput } from './tak.service.ts';

/**
 * Meshtastic onboarding: the nodes no member owns, as the gateway heard them, held (never stored) for a
 * leader to approve as a member's device or dismiss. A held node belongs to no team until it sends a team's
 * enrolment code (the one TAK clients send) as a text; only then does it show on that team's list. A leader
 * may also approve a node id read off the device itself. Also what nodes say of themselves (name, battery).
 */
export class MeshtasticService {
  readonly held = new HeldEvents();
  /** Long names from nodeinfo of held nodes, for the list. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly devices: DeviceDirectory,
    private readonly now: () => Date,
  ) {}

  /** A packet from a node no member owns: held; true when the node was not held yet (worth a log line). */
  hold(e: HoldInput & { name?: string }): boolean {
    if (e.name) {
      if (this.names.size >= 1000 && !this.names.has(e.uid)) this.names.clear();
      this.names.set(e.uid, e.name);
    }
    const { name: _, ...held } = e;
    return this.held.hold(held, this.now());
  }

  /** A registered node said its name or battery. */
  async status(deviceId: string, s: { name?: string; battery?: number }): Promise<void> {
    await updateDeviceStatus(this.db, deviceId, { ...s, name: s.name?.slice(0, 80), at: this.now() });
  }

  list(auth: Auth, teamId: string): MeshPendingNode[] {
    requireLeader(auth, teamId);
    return this.waitingFor(teamId).map((e) => ({
      nodeId: e.uid,
      name: this.names.get(e.uid) ?? e.callsign ?? null,
      type: e.type,
      gateway: e.remote,
      firstAt: e.firstAt.toISOString(),
      lastAt: e.lastAt.toISOString(),
      count: e.count,
      lastPosition: e.lastPosition
        ? { lat: e.lastPosition.lat, lon: e.lastPosition.lon, time: e.lastPosition.time.toISOString() }
        : null,
    }));
  }

  /**
   * Registers a node as a device of a member of the leader's team. A node on another team's list is not
   * waiting for this one (404, as if unknown); one on no list can be approved by a leader who read its id
   * off the device (it is shown nowhere).
   */
  async approve(auth: Auth, teamId: string, nodeId: string, memberId: string): Promise<MeshApproved> {
    requireLeader(auth, teamId);
    const held = this.held.get(nodeId);
    if (held?.teamId !== undefined && held.teamId !== teamId && !(await findDeviceOwner(this.db, nodeId)))
      throw notWaiting(nodeId);
    const { callsign } = await approveHeldDevice(
      { db: this.db, bus: this.bus, devices: this.devices, now: this.now },
      auth,
      teamId,
      nodeId,
      memberId,
      'nodeId',
    );
    const name = this.names.get(nodeId);
    if (name) await this.status(nodeId, { name });
    this.held.forget(nodeId);
    this.names.delete(nodeId);
    return { nodeId, memberId, callsign };
  }

  /** Takes a node off the team's list (for an hour, even if it keeps sending). */
  dismiss(auth: Auth, teamId: string, nodeId: string): void {
    requireLeader(auth, teamId);
    if (!this.waitingFor(teamId).some((e) => e.uid === nodeId)) throw notWaiting(nodeId);
    this.held.dismiss(nodeId, this.now().getTime());
  }

  private waitingFor(teamId: string) {
    return this.held.list(this.now().getTime()).filter((e) => e.teamId === teamId);
  }
}

const notWaiting = (nodeId: string) =>
  new HowlError(404, 'not_found', `nodeId: no Meshtastic node ${nodeId} is waiting for approval`, {
    field: 'nodeId',
  });
