import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { HowlError } from '../../contract/errors.ts';
import type { TakApproved, TakEnrolment, TakPendingDevice } from '../../contract/tak.ts';
import { findDeviceOwner } from '../../store/devices.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireLeader } from '../core/auth.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { approveHeldDevice } from './device-approval.ts';
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
  /** The team whose enrolment code the client sent: only that team's leaders see it and pick it. */
  teamId?: string;
}

export interface HoldInput {
  uid: string;
  type: string;
  callsign?: string;
  remote: string;
  position?: { lat: number; lon: number; time: Date };
  teamId?: string;
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
/** An enrolment code is valid this long; a new one is issued when less than `CODE_RENEW_MS` is left. */
const CODE_TTL_MS = 60 * 60_000;
const CODE_RENEW_MS = 15 * 60_000;
/** No 0/O, 1/I/L: read aloud or off a screen, and typed on a phone. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/**
 * The enrolment code a GeoChat text is, if it is one: case, spaces, dashes and a leading "HOWL" do not
 * matter; anything else in the text makes it no code (one message, one guess).
 */
export function enrolmentCodeIn(text: string): string | undefined {
  const t = text
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/^HOWL:?/, '');
  return t.length === CODE_LENGTH && [...t].every((c) => CODE_ALPHABET.includes(c)) ? t : undefined;
}

/**
 * Uids no member owns, as this node's TAK gateway heard them: kept in a bounded map for a leader to approve
 * (bind to a member) or dismiss. A held uid belongs to no team until its client sends a team's enrolment
 * code; only then does it show on a list, that team's.
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
      // Random uids must not push out the ones a team is waiting for.
      let victim: string | undefined;
      for (const [uid, h] of this.held) {
        victim ??= uid;
        if (!h.teamId) {
          victim = uid;
          break;
        }
      }
      if (victim !== undefined) this.held.delete(victim);
    }
    const { position, ...rest } = e;
    this.held.set(e.uid, {
      ...rest,
      callsign: e.callsign ?? prev?.callsign,
      firstAt: prev?.firstAt ?? now,
      lastAt: now,
      count: (prev?.count ?? 0) + 1,
      lastPosition: position ?? prev?.lastPosition,
      teamId: e.teamId ?? prev?.teamId,
    });
    return !prev;
  }

  get(uid: string): HeldEvent | undefined {
    return this.held.get(uid);
  }

  /** Held uids not dismissed, most recent first. */
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
  /** Enrolment codes: code → its team and expiry; and each team's newest code. */
  private readonly codes = new Map<string, { teamId: string; expiresMs: number }>();
  private readonly teamCodes = new Map<string, string>();

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

  /**
   * The team's enrolment code: a TAK client that sends it as a GeoChat message (any room) is put on this
   * team's list of devices waiting. Valid an hour; a new one comes when less than a quarter is left.
   */
  enrolment(auth: Auth, teamId: string): TakEnrolment {
    requireLeader(auth, teamId);
    const nowMs = this.now().getTime();
    this.expireCodes(nowMs);
    const current = this.teamCodes.get(teamId);
    const entry = current ? this.codes.get(current) : undefined;
    if (current && entry && entry.expiresMs - nowMs > CODE_RENEW_MS)
      return { code: formatCode(current), expiresAt: new Date(entry.expiresMs).toISOString() };
    let code = randomCode();
    while (this.codes.has(code)) code = randomCode();
    const expiresMs = nowMs + CODE_TTL_MS;
    this.codes.set(code, { teamId, expiresMs });
    this.teamCodes.set(teamId, code);
    return { code: formatCode(code), expiresAt: new Date(expiresMs).toISOString() };
  }

  /** The team whose valid enrolment code `code` (as `enrolmentCodeIn` reads it) is, if any. */
  claim(code: string): string | undefined {
    const entry = this.codes.get(code);
    return entry && entry.expiresMs > this.now().getTime() ? entry.teamId : undefined;
  }

  /** The uids waiting for the leader's team: those whose client sent its enrolment code, and no others. */
  list(auth: Auth, teamId: string): TakPendingDevice[] {
    requireLeader(auth, teamId);
    return this.waitingFor(teamId).map((e) => ({
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

  /**
   * Registers a held uid as a device of a member of the leader's team; its open connections bind at once.
   * A uid on another team's list is not waiting for this one (404, as if unknown). A uid on no list can
   * only be approved by a leader who has it from the device itself: it is shown nowhere.
   */
  async approve(auth: Auth, teamId: string, uid: string, memberId: string): Promise<TakApproved> {
    requireLeader(auth, teamId);
    const held = this.held.get(uid);
    const waiting = held && (held.teamId === undefined || held.teamId === teamId);
    // Registered already: a conflict naming it, before "not waiting".
    if (!waiting && !(await findDeviceOwner(this.db, uid))) throw notWaiting(uid);
    const { callsign } = await approveHeldDevice(
      { db: this.db, bus: this.bus, devices: this.devices, now: this.now },
      auth,
      teamId,
      uid,
      memberId,
      'uid',
    );
    this.held.forget(uid);
    let connections = 0;
    for (const l of this.listeners) connections += l(uid);
    return { uid, memberId, callsign, connections };
  }

  /** Takes a uid off the team's list (for an hour, even if its client keeps sending). */
  dismiss(auth: Auth, teamId: string, uid: string): void {
    requireLeader(auth, teamId);
    if (!this.waitingFor(teamId).some((e) => e.uid === uid)) throw notWaiting(uid);
    this.held.dismiss(uid, this.now().getTime());
  }

  private waitingFor(teamId: string): HeldEvent[] {
    return this.held.list(this.now().getTime()).filter((e) => e.teamId === teamId);
  }

  private expireCodes(nowMs: number): void {
    for (const [code, e] of this.codes) {
      if (e.expiresMs > nowMs) continue;
      this.codes.delete(code);
      if (this.teamCodes.get(e.teamId) === code) this.teamCodes.delete(e.teamId);
    }
  }
}

const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
const randomCode = () =>
  Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

const notWaiting = (uid: string) =>
  new HowlError(404, 'not_found', `uid: no TAK device ${uid} is waiting for approval`, { field: 'uid' });
