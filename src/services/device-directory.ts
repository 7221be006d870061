import type { Kysely } from 'kysely';
import { type DeviceOwner, findDeviceOwner } from '../store/devices.repo.ts';
import type { DB } from '../store/schema.ts';

const UNKNOWN_TTL_MS = 5_000;

/**
 * Which member a device id belongs to, cached: every OsmAnd position would otherwise cost a
 * lookup on the hot path. Members change rarely, and the members service tells the
 * directory when they do.
 */
export class DeviceDirectory {
  private readonly known = new Map<string, DeviceOwner>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async owner(deviceId: string): Promise<DeviceOwner | undefined> {
    const hit = this.known.get(deviceId);
    if (hit) return hit;
    const missUntil = this.unknown.get(deviceId);
    if (missUntil !== undefined && missUntil > this.nowMs()) return undefined;
    const owner = await findDeviceOwner(this.db, deviceId);
    if (owner) {
      this.known.set(deviceId, owner);
      this.unknown.delete(deviceId);
    } else {
      if (this.unknown.size > 10_000) this.unknown.clear();
      this.unknown.set(deviceId, this.nowMs() + UNKNOWN_TTL_MS);
    }
    return owner;
  }

  /** A device was registered: forget that it was unknown. */
  added(deviceId: string): void {
    this.unknown.delete(deviceId);
  }

  /** A member was removed: their devices stop reporting at once. */
  memberRemoved(memberId: string): void {
    for (const [id, o] of this.known) if (o.memberId === memberId) this.known.delete(id);
  }
}
