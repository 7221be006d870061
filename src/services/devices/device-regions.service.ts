import type { Kysely } from 'kysely';
import type { DeviceRegion, DeviceRegionList } from '../../contract/device-notices.ts';
import { notFound } from '../../contract/errors.ts';
import { getMember } from '../../store/members.repo.ts';
import { saveWaypoints, type WaypointRow, waypointsOf } from '../../store/owntracks-waypoints.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireMember } from '../core/auth.ts';

/** A region as a device defines it (an OwnTracks waypoint), decoded. */
export interface NewDeviceRegion {
  name: string;
  createdAt: Date;
  lat?: number;
  lon?: number;
  radiusM?: number;
  rid?: string;
}

/** The regions members' apps define (OwnTracks waypoints): kept per device, listed per member. */
export class DeviceRegionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores a device's regions: its whole list (`replace`), or the named ones replaced. */
  async save(
    device: { teamId: string; memberId: string; deviceId: string },
    regions: readonly NewDeviceRegion[],
    replace: boolean,
  ): Promise<void> {
    const receivedAt = this.now();
    const rows = regions.map((r) => ({
      team_id: device.teamId,
      member_id: device.memberId,
      device_id: device.deviceId,
      name: r.name,
      lat: r.lat ?? null,
      lon: r.lon ?? null,
      radius: r.radiusM ?? null,
      rid: r.rid ?? null,
      created_at: r.createdAt,
      received_at: receivedAt,
    }));
    await this.db.transaction().execute((trx) => saveWaypoints(trx, device, rows, replace));
  }

  /** A member's regions, for a member of their team. */
  async list(auth: Auth, teamId: string, memberId: string): Promise<DeviceRegionList> {
    requireMember(auth, teamId);
    const m = await getMember(this.db, memberId);
    // Another team's member does not exist for this caller.
    if (!m || m.team_id !== teamId) throw notFound('member');
    return { memberId, regions: (await waypointsOf(this.db, teamId, memberId)).map(toRegion) };
  }
}

function toRegion(r: WaypointRow): DeviceRegion {
  return {
    deviceId: r.device_id,
    name: r.name,
    lat: r.lat,
    lon: r.lon,
    radiusM: r.radius,
    rid: r.rid,
    createdAt: new Date(r.created_at).toISOString(),
    receivedAt: new Date(r.received_at).toISOString(),
  };
}
