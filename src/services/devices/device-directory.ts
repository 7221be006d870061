import type { Kysely } from 'kysely';
import { type DeviceOwner, deviceIdsMatching, findDeviceOwner } from '../../store/devices.repo.ts';

export type { DeviceOwner };

import type { DB } from '../../store/schema.ts';

/** How long a known owner is trusted without asking the database again (other nodes may change it). */
const KNOWN_TTL_MS = 30_000;
const UNKNOWN_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

/**
 * Which member a device id belongs to, cached: every OsmAnd position would otherwise cost a
 * lookup on the hot path. On this node the members service tells the directory at once when
 * devices change; changes made by another node are seen within KNOWN_TTL_MS.
 */
export class DeviceDirectory {
  private readonly known = new Map<string, { owner: DeviceOwner; until: number }>();
  private readonly unknown = new Map<string, number>();
  /** Bumped on every change, so a lookup that raced a change is not cached. */
  private generation = 0;
  /** Lookups under way, shared by the reports that wait for the same device. */
  private readonly asking = new Map<string, Promise<DeviceOwner | undefined>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async owner(deviceId: string): Promise<DeviceOwner | undefined> {
    const now = this.nowMs();
    const hit = this.known.get(deviceId);
    if (hit && hit.until > now) return hit.owner;
    const missUntil = this.unknown.get(deviceId);
    if (missUntil !== undefined && missUntil > now) return undefined;
    // Many reports of one device arriving together (a phone's buffer emptied) ask the database once.
    const asked = this.asking.get(deviceId);
    if (asked) return asked;
    const lookup = this.lookUp(deviceId, now).finally(() => this.asking.delete(deviceId));
    this.asking.set(deviceId, lookup);
    return lookup;
  }

  private async lookUp(deviceId: string, now: number): Promise<DeviceOwner | undefined> {
    const generation = this.generation;
    const owner = await findDeviceOwner(this.db, deviceId);
    if (generation !== this.generation) return owner;
    if (this.known.size + this.unknown.size > MAX_ENTRIES) {
      this.known.clear();
      this.unknown.clear();
    }
    if (owner) {
      this.known.set(deviceId, { owner, until: now + KNOWN_TTL_MS });
      this.unknown.delete(deviceId);
    } else {
      this.known.delete(deviceId);
      this.unknown.set(deviceId, now + UNKNOWN_TTL_MS);
    }
    return owner;
  }

  /**
   * The registered device ids of every team that match a POSIX regular expression (any case), read afresh:
   * a gateway that must tell its upstream which devices to send (the APRS-IS filter) asks this.
   */
  idsMatching(pattern: string): Promise<string[]> {
    return deviceIdsMatching(this.db, pattern);
  }

  /** A device was registered: forget that it was unknown. */
  added(deviceId: string): void {
    this.generation++;
    this.asking.clear();
    this.unknown.delete(deviceId);
  }

  /** A member was removed, or their device ids changed: the old ids stop reporting at once. */
  memberChanged(memberId: string): void {
    this.generation++;
    // A lookup under way may answer with the old owner: later reports ask afresh.
    this.asking.clear();
    for (const [id, e] of this.known) if (e.owner.memberId === memberId) this.known.delete(id);
  }

  /** Forget everything (tests that empty the database). */
  clear(): void {
    this.generation++;
    this.asking.clear();
    this.known.clear();
    this.unknown.clear();
  }
}
