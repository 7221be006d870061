import type { Kysely } from 'kysely';
import type { LatLon } from '../../contract/common.ts';
import { HowlError, notFound } from '../../contract/errors.ts';
import type { InReachFeed, InReachFeedBody, InReachOutboundInfo } from '../../contract/inreach.ts';
import {
  allFeeds,
  deleteFeed,
  getFeed,
  type InReachFeedRow,
  positionAt,
  recordPoll,
  setTeamSecret,
  teamOfSecret,
  teamSecret,
  upsertFeed,
} from '../../store/inreach.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { AlertsService } from '../alerts/alerts.service.ts';
import { type Auth, deviceAuth, requireLeader, requireMember } from '../core/auth.ts';
import { newSecret } from '../core/secrets.ts';
import type { MessagesService } from '../messages/messages.service.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { PositionsService } from './positions.service.ts';

/** A feed as the poller reads it. */
export type PolledFeed = InReachFeedRow;

/** What an inReach reported, from a MapShare placemark or an IPC Outbound event. */
export interface InReachReport {
  imei: string;
  time: Date;
  position?: LatLon & { altitudeM?: number; speedMps?: number; courseDeg?: number };
  /** The device is in SOS state: a real SOS, marked satellite. */
  emergency: boolean;
  text?: string;
}

export type InReachOutcome = 'stored' | 'duplicate' | 'unknown_device' | 'not_yours' | 'refused';

/** Where a report must come from: the team whose secret was given, the member whose feed was polled. */
export interface Expected {
  teamId?: string;
  memberId?: string;
}

/**
 * Garmin inReach: each member's MapShare feed (set by a leader or the member), each team's IPC Outbound
 * secret, and what an inReach report does: its point stored once (by IMEI, the member's device id, and
 * time), an emergency a real SOS marked satellite, a text a team message.
 */
export class InReachService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly devices: DeviceDirectory,
    private readonly positions: PositionsService,
    private readonly alerts: AlertsService,
    private readonly messages: MessagesService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async setFeed(auth: Auth, teamId: string, memberId: string, body: InReachFeedBody): Promise<InReachFeed> {
    await this.requireLeaderOrSelf(auth, teamId, memberId);
    await upsertFeed(this.db, {
      member_id: memberId,
      team_id: teamId,
      url: body.url,
      password: body.password ?? null,
      created_at: this.now(),
    });
    return this.feed(auth, teamId, memberId);
  }

  async feed(auth: Auth, teamId: string, memberId: string): Promise<InReachFeed> {
    await this.requireLeaderOrSelf(auth, teamId, memberId);
    const row = await getFeed(this.db, memberId);
    if (!row) throw notFound('feed');
    return toFeed(row);
  }

  async removeFeed(auth: Auth, teamId: string, memberId: string): Promise<void> {
    await this.requireLeaderOrSelf(auth, teamId, memberId);
    if (!(await deleteFeed(this.db, memberId))) throw notFound('feed');
  }

  /** The team's IPC Outbound URL and secret (made on first asking; `rotate` replaces it). */
  async outbound(
    auth: Auth,
    teamId: string,
    publicUrl: string,
    rotate = false,
  ): Promise<InReachOutboundInfo> {
    requireLeader(auth, teamId);
    let secret = rotate ? undefined : await teamSecret(this.db, teamId);
    if (!secret) {
      secret = newSecret('inreach');
      await setTeamSecret(this.db, teamId, secret);
    }
    return { url: `${publicUrl}/api/inreach/outbound?secret=${secret}`, secret };
  }

  /** The team's outbound secret as stored, if it has one. */
  outboundSecret(teamId: string): Promise<string | undefined> {
    return teamSecret(this.db, teamId);
  }

  teamOfSecret(secret: string): Promise<string | undefined> {
    return teamOfSecret(this.db, secret);
  }

  /** Every current member's feed, for the poller. */
  feeds(): Promise<PolledFeed[]> {
    return allFeeds(this.db);
  }

  recordPoll(memberId: string, r: { lastPointAt?: Date; error: string | null }): Promise<void> {
    return recordPoll(this.db, memberId, { ...r, at: this.now() });
  }

  /** Takes one report; throws a HowlError only for a position Howl refuses (e.g. a time in the future). */
  async take(r: InReachReport, expected: Expected = {}): Promise<InReachOutcome> {
    const owner = await this.devices.owner(r.imei);
    if (!owner) return 'unknown_device';
    if (
      (expected.teamId !== undefined && owner.teamId !== expected.teamId) ||
      (expected.memberId !== undefined && owner.memberId !== expected.memberId)
    )
      return 'not_yours';
    if (await positionAt(this.db, r.imei, r.time)) return 'duplicate';
    if (r.position) {
      const p = r.position;
      await this.positions.reportFromDevice({
        deviceId: r.imei,
        time: r.time,
        lat: p.lat,
        lon: p.lon,
        altitudeM: within(p.altitudeM, -1000, 100_000),
        speedMps: within(p.speedMps, 0, 1000),
        bearingDeg: within(p.courseDeg, 0, 360),
        source: 'inreach',
      });
    }
    const text = r.text?.trim() || undefined;
    if (r.emergency) {
      await this.alerts.sosFromDevice(
        owner,
        r.position && { lat: r.position.lat, lon: r.position.lon },
        text ? `satellite SOS (inReach): ${text}` : 'satellite SOS (inReach)',
      );
    } else if (text) {
      await this.messages.postFromDevice(deviceAuth(owner.memberId, owner.teamId), owner.teamId, {
        text,
        source: 'inreach',
        position: r.position && { lat: r.position.lat, lon: r.position.lon },
        externalId: `${r.imei}:${r.time.getTime()}`,
      });
    }
    return 'stored';
  }

  private async requireLeaderOrSelf(auth: Auth, teamId: string, memberId: string): Promise<void> {
    requireMember(auth, teamId);
    if (auth.kind === 'member' && auth.role !== 'leader' && auth.memberId !== memberId)
      throw new HowlError(403, 'forbidden', 'a leader sets the feeds of other members');
    const m = await getMember(this.db, memberId);
    if (!m || m.team_id !== teamId || m.removed_at !== null) throw notFound('member');
  }
}

function toFeed(r: InReachFeedRow): InReachFeed {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    memberId: r.member_id,
    url: r.url,
    hasPassword: r.password !== null,
    lastPointAt: iso(r.last_point_at),
    lastPolledAt: iso(r.last_polled_at),
    lastError: r.last_error,
  };
}

const within = (v: number | undefined, min: number, max: number) =>
  v !== undefined && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
