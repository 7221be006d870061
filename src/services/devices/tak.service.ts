import type { Kysely } from 'kysely';
import { conflict, HowlError } from '../../contract/errors.ts';
import type { TakApproved, TakPendingDevice } from '../../contract/tak.ts';
import { devicesByMember, findDeviceOwner, insertDevice } from '../../store/devices.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { toMember } from '../teams/team-mappers.ts';
import type { DeviceDirectory } from './device-directory.ts';

/** One held uid: what its client last said, never stored. */
export interface HeldEvent {
  uid: string;
  type: string;
  callsign?: string;
  remote: string;
  firstAt: Date;
  lastAt: Date;
  count: number;
  lastPosition?: { lat: number; lon: number; time: Date };
}

export interface HoldInput {
  uid: string;
  type: string;
  callsign?: string;
  remote: string;
  position?: { lat: number; lon: number; time: Date };
}

/** How TAK clients reach this node, as its CoT gateway reports once listening. */
export interface TakEndpoints {
  tcpPort: number;
  tlsPort: number | null;
  /** PEM of the TLS listener's certificate, for the data package's truststore. */
  certPem: string | null;
  clientCertificates: boolean;
}

/** A dismissed uid stays off the list this long, even if its client keeps sending. */
const DISMISS_MS = 60 * 60_000;

/**
 * Uids no member owns, as this node's TAK gateway heard them: kept in a bounded map for a leader to approve
 * (bind to a member) or dismiss. Held uids belong to no team yet, so every leader of this server sees them.
 */
export class HeldEvents {
  private readonly held = new Map<string, HeldEvent>();
  private readonly dismissed = new Map<string, number>();

  constructor(private readonly max = 1000) {}

  /** Records an event; true when this uid was not held yet (worth a log line). */
  hold(e: HoldInput, now: Date): boolean {
    const prev = this.held.get(e.uid);
    this.held.delete(e.uid);
    if (!prev && this.held.size >= this.max) {
      const oldest = this.held.keys().next().value;
      if (oldest !== undefined) this.held.delete(oldest);
    }
    const { position, ...rest } = e;
    this.held.set(e.uid, {
      ...rest,
      callsign: e.callsign ?? prev?.callsign,
      firstAt: prev?.firstAt ?? now,
      lastAt: now,
      count: (prev?.count ?? 0) + 1,
      lastPosition: position ?? prev?.lastPosition,
    });
    return !prev;
  }

  get(uid: string): HeldEvent | undefined {
    return this.held.get(uid);
  }

  /** Held uids a leader should see, most recent first. */
  list(nowMs = Date.now()): HeldEvent[] {
    return [...this.held.values()].reverse().filter((e) => !this.isDismissed(e.uid, nowMs));
  }

  forget(uid: string): void {
    this.held.delete(uid);
  }

  dismiss(uid: string, nowMs: number): void {
    this.held.delete(uid);
    if (this.dismissed.size >= this.max) this.dismissed.delete(this.dismissed.keys().next().value as string);
    this.dismissed.set(uid, nowMs + DISMISS_MS);
  }

  private isDismissed(uid: string, nowMs: number): boolean {
    const until = this.dismissed.get(uid);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.dismissed.delete(uid);
    return false;
  }
}

type ApprovedListener = (uid: string) => number;

/**
 * TAK onboarding: the uids this node's gateway holds, their approval as a member's device and dismissal,
 * and where TAK clients connect. The gateway registers itself (`gateway`) so that an approval rebinds
 * a client that is still connected, without it reconnecting.
 */
export class TakService {
  readonly held = new HeldEvents();
  private endpoints: TakEndpoints | null = null;
  private readonly listeners = new Set<ApprovedListener>();
  /** Uids whose client still has an open connection here: uid → connections. */
  private readonly open = new Map<string, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly devices: DeviceDirectory,
    private readonly now: () => Date,
  ) {}

  /** The gateway is listening: how clients reach it, and how it hears of approvals (returns the unsubscribe). */
  gateway(endpoints: TakEndpoints, onApproved: ApprovedListener): () => void {
    this.endpoints = endpoints;
    this.listeners.add(onApproved);
    return () => {
      this.listeners.delete(onApproved);
      if (this.listeners.size === 0) this.endpoints = null;
    };
  }

  listening(): TakEndpoints | null {
    return this.endpoints;
  }

  /** A connection holding `uid` opened (+1) or closed (-1). */
  connection(uid: string, delta: 1 | -1): void {
    const n = (this.open.get(uid) ?? 0) + delta;
    if (n > 0) this.open.set(uid, n);
    else this.open.delete(uid);
  }

  list(auth: Auth, teamId: string): TakPendingDevice[] {
    requireLeader(auth, teamId);
    return this.held.list(this.now().getTime()).map((e) => ({
      uid: e.uid,
      callsign: e.callsign ?? null,
      type: e.type,
      remote: e.remote,
      firstAt: e.firstAt.toISOString(),
      lastAt: e.lastAt.toISOString(),
      count: e.count,
      lastPosition: e.lastPosition
        ? { lat: e.lastPosition.lat, lon: e.lastPosition.lon, time: e.lastPosition.time.toISOString() }
        : null,
      connected: this.open.has(e.uid),
    }));
  }

  /** Registers a held uid as a device of a member of the leader's team; its open connections bind at once. */
  async approve(auth: Auth, teamId: string, uid: string, memberId: string): Promise<TakApproved> {
    requireLeader(auth, teamId);
    const owner = await findDeviceOwner(this.db, uid);
    if (owner) {
      throw conflict(
        owner.teamId === teamId
          ? `uid: ${uid} is already a device of a member of your team`
          : `uid: ${uid} is already registered to another team`,
        { field: 'uid' },
      );
    }
    if (!this.held.get(uid)) throw notWaiting(uid);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    let result: { event: Awaited<ReturnType<typeof logEvent>>; callsign: string };
    try {
      result = await this.db.transaction().execute(async (trx) => {
        const row = await getMember(trx, memberId);
        if (!row || row.team_id !== teamId || row.removed_at !== null)
          throw new HowlError(404, 'not_found', 'memberId: no such member in your team', {
            field: 'memberId',
          });
        await insertDevice(trx, { id: uid, member_id: row.id, team_id: teamId });
        const devices = (await devicesByMember(trx, teamId)).get(row.id) ?? [uid];
        // `member.added` carries the member as they now are: every live client upserts by id.
        const event = await logEvent(
          trx,
          teamId,
          { type: 'member.added', member: toMember(row, devices) },
          actor,
          this.now(),
        );
        return { event, callsign: row.callsign };
      });
    } catch (e) {
      if ((e as { code?: string })?.code === '23505')
        throw conflict(`uid: ${uid} was registered a moment ago`, { field: 'uid' });
      throw e;
    }
    this.devices.added(uid);
    this.held.forget(uid);
    publishEvents(this.bus, teamId, [result.event]);
    let connections = 0;
    for (const l of this.listeners) connections += l(uid);
    return { uid, memberId, callsign: result.callsign, connections };
  }

  /** Takes a held uid off the list (for an hour, even if its client keeps sending). */
  dismiss(auth: Auth, teamId: string, uid: string): void {
    requireLeader(auth, teamId);
    if (!this.held.get(uid)) throw notWaiting(uid);
    this.held.dismiss(uid, this.now().getTime());
  }
}

const notWaiting = (uid: string) =>
  new HowlError(404, 'not_found', `uid: no TAK device ${uid} is waiting for approval`, { field: 'uid' });
