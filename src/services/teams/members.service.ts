import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { badRequest, conflict, notFound } from '../../contract/errors.ts';
import type {
  AddedMember,
  AddMemberBody,
  Connection,
  Member,
  UpdateMemberBody,
} from '../../contract/members.ts';
import {
  deleteDevices,
  deleteMemberDevices,
  deviceExists,
  devicesByMember,
  insertDevice,
  memberDeviceIds,
  renameDevice,
} from '../../store/devices.repo.ts';
import {
  findMemberByCallsign,
  getMember,
  insertMember,
  listMembers,
  markMemberRemoved,
  updateMember,
} from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { TeamRow } from '../../store/teams.repo.ts';
import { revokeMemberTokens } from '../../store/tokens.repo.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import { newDeviceId } from '../core/secrets.ts';
import type { DeviceDirectory } from '../devices/device-directory.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { toMember } from './team-mappers.ts';
import type { TokensService } from './tokens.service.ts';

/** Where phones reach this server, for links and QR codes. */
export interface PublicUrls {
  publicUrl: string;
  httpsUrl: string | null;
  osmandUrl: string;
}

/**
 * What Traccar Client's settings QR scanner reads: the server URL with the settings it
 * applies as query parameters (its `ConfigurationService.applyUri`): device id, high
 * accuracy, a report every 15 s, and buffering while offline.
 */
export function traccarClientConfigUrl(osmandUrl: string, device: string): string {
  const q = new URLSearchParams({ id: device, accuracy: 'high', interval: '15', buffer: 'true' });
  return `${osmandUrl}?${q}`;
}

/** A unique-constraint violation (PostgreSQL 23505) with the constraint's name. */
function uniqueViolation(e: unknown): string | undefined {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err?.code !== '23505') return undefined;
  return err.constraint ?? err.message ?? 'unique';
}

export class MembersService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly tokens: TokensService,
    private readonly devices: DeviceDirectory,
    private readonly urls: () => PublicUrls,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The team's members. A device id is a credential (the OsmAnd and CoT protocols carry nothing else), so
   * each member's device ids are shown only to leaders and to the member themself.
   */
  async list(auth: Auth, teamId: string): Promise<Member[]> {
    requireMember(auth, teamId);
    const [rows, devices] = await Promise.all([
      listMembers(this.db, teamId),
      devicesByMember(this.db, teamId),
    ]);
    const seesDevicesOf = (memberId: string) =>
      auth.kind === 'admin' || auth.role === 'leader' || auth.memberId === memberId;
    return rows.map((m) => toMember(m, seesDevicesOf(m.id) ? (devices.get(m.id) ?? []) : []));
  }

  /** Adds a member; a K9 (`kind: 'animal'`) names its handler by id, or by callsign (`handler`, the CLI). */
  async add(
    auth: Auth,
    team: Pick<TeamRow, 'id' | 'name'>,
    body: AddMemberBody & { handler?: string },
  ): Promise<AddedMember> {
    requireLeader(auth, team.id);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    const device = body.device ?? newDeviceId();
    const role = body.role ?? 'member';
    const kind = body.kind ?? 'person';
    const handlerGiven = body.handlerId !== undefined || body.handler !== undefined;
    if (kind === 'person' && handlerGiven)
      throw badRequest('handlerId', 'only a K9 (kind animal) has a handler');
    if (kind === 'animal' && !handlerGiven) throw badRequest('handlerId', 'a K9 needs its handler');
    if (kind === 'animal' && role === 'leader') throw badRequest('role', 'a K9 cannot be a leader');
    try {
      const { added, event } = await this.db.transaction().execute(async (trx) => {
        const handlerId = kind === 'animal' ? await this.handlerOf(trx, team.id, body) : null;
        if (await findMemberByCallsign(trx, team.id, body.callsign)) {
          throw conflict(`callsign: ${body.callsign} is already a member of ${team.name}`, {
            field: 'callsign',
          });
        }
        if (await deviceExists(trx, device)) {
          throw conflict(`device: ${device} is already registered`, { field: 'device' });
        }
        const row = await insertMember(trx, {
          id: randomUUID(),
          team_id: team.id,
          name: body.name,
          callsign: body.callsign,
          role,
          kind,
          handler_id: handlerId,
        });
        await insertDevice(trx, { id: device, member_id: row.id, team_id: team.id });
        const token = await this.tokens.issue(trx, row, 'device');
        const event = await logEvent(
          trx,
          team.id,
          // Events reach every member: the new device id goes only to the leader who added it.
          { type: 'member.added', member: toMember(row, []) },
          actor,
          this.now(),
        );
        const added: AddedMember = {
          memberId: row.id,
          teamId: team.id,
          team: team.name,
          name: row.name,
          callsign: row.callsign,
          role: row.role,
          kind: row.kind,
          handlerId: row.handler_id,
          device,
          token,
        };
        return { added, event };
      });
      this.devices.added(device);
      publishEvents(this.bus, team.id, [event]);
      return added;
    } catch (e) {
      const c = uniqueViolation(e);
      if (c?.includes('devices'))
        throw conflict(`device: ${device} is already registered`, { field: 'device' });
      if (c)
        throw conflict(`callsign: ${body.callsign} is already a member of ${team.name}`, {
          field: 'callsign',
        });
      throw e;
    }
  }

  /** A K9's handler: a current person of the same team, by id or callsign. */
  private async handlerOf(
    db: Kysely<DB>,
    teamId: string,
    body: { handlerId?: string; handler?: string },
  ): Promise<string> {
    const field = body.handlerId !== undefined ? 'handlerId' : 'handler';
    const h = body.handlerId
      ? await getMember(db, body.handlerId)
      : await findMemberByCallsign(db, teamId, body.handler ?? '');
    if (!h || h.team_id !== teamId || h.removed_at)
      throw badRequest(field, `${body.handlerId ?? body.handler} is not a member of this team`);
    if (h.kind !== 'person') throw badRequest(field, `${h.callsign} is a K9, not a person`);
    return h.id;
  }

  /**
   * Changes a member afterwards (a leader): name, callsign, role, a K9's handler, and the device ids. Device
   * ids left out of `devices` stop working at once, open connections included; new ones are registered.
   */
  async update(auth: Auth, teamId: string, memberId: string, body: UpdateMemberBody): Promise<Member> {
    requireLeader(auth, teamId);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    try {
      const { member, event, dropped, added } = await this.db.transaction().execute(async (trx) => {
        const m = await getMember(trx, memberId);
        if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
        if (body.handlerId !== undefined && m.kind !== 'animal')
          throw badRequest('handlerId', 'only a K9 (kind animal) has a handler');
        if (body.handlerId === memberId) throw badRequest('handlerId', 'a member cannot handle itself');
        if (body.role === 'leader' && m.kind === 'animal')
          throw badRequest('role', 'a K9 cannot be a leader');
        if (body.role === 'member' && m.role === 'leader') await this.keepALeader(trx, teamId, m.callsign);
        if (body.callsign !== undefined && body.callsign !== m.callsign) {
          const other = await findMemberByCallsign(trx, teamId, body.callsign);
          if (other && other.id !== memberId)
            throw conflict(`callsign: ${body.callsign} is already a member of this team`, {
              field: 'callsign',
            });
        }
        const handlerId =
          body.handlerId !== undefined
            ? await this.handlerOf(trx, teamId, { handlerId: body.handlerId })
            : undefined;
        const row = await updateMember(trx, memberId, {
          name: body.name,
          callsign: body.callsign,
          role: body.role,
          handler_id: handlerId,
        });
        const { dropped, added } = await this.replaceDevices(trx, row, body.devices);
        const devices = await memberDeviceIds(trx, memberId);
        // Events reach every member: device ids (credentials) go only to the leader, in the answer.
        const event = await logEvent(
          trx,
          teamId,
          { type: 'member.updated', member: toMember(row, []) },
          actor,
          this.now(),
        );
        return { member: toMember(row, devices), event, dropped, added };
      });
      this.devicesChanged(memberId, added);
      publishEvents(this.bus, teamId, [event]);
      if (dropped.length > 0) this.bus.revoked([], dropped);
      return member;
    } catch (e) {
      const c = uniqueViolation(e);
      if (c?.includes('devices'))
        throw conflict('devices: one of these device ids is already registered', { field: 'devices' });
      if (c)
        throw conflict(`callsign: ${body.callsign} is already a member of this team`, { field: 'callsign' });
      throw e;
    }
  }

  /** Sets a member's device ids to `wanted` (when given): returns the ids dropped and the ids added. */
  private async replaceDevices(
    trx: Kysely<DB>,
    m: { id: string; team_id: string },
    wanted: readonly string[] | undefined,
  ): Promise<{ dropped: string[]; added: string[] }> {
    if (wanted === undefined) return { dropped: [], added: [] };
    const current = await memberDeviceIds(trx, m.id);
    const want = new Set(wanted);
    const dropped = await deleteDevices(
      trx,
      m.id,
      current.filter((id) => !want.has(id)),
    );
    const added: string[] = [];
    for (const id of want) {
      if (current.includes(id)) continue;
      if (await deviceExists(trx, id))
        throw conflict(`devices: ${id} is already registered`, { field: 'devices' });
      await insertDevice(trx, { id, member_id: m.id, team_id: m.team_id });
      added.push(id);
    }
    return { dropped, added };
  }

  /** Refuses to take away the team's only leader. */
  private async keepALeader(trx: Kysely<DB>, teamId: string, callsign: string): Promise<void> {
    const leaders = (await listMembers(trx, teamId)).filter((x) => x.role === 'leader');
    if (leaders.length <= 1)
      throw conflict(`member: ${callsign} is the team's only leader; make another member leader first`, {
        field: 'memberId',
      });
  }

  /** Removes a member: tokens stop working, device ids are freed, positions stay. */
  async remove(auth: Auth, teamId: string, memberId: string): Promise<void> {
    requireLeader(auth, teamId);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    const { event, revoked, deviceIds } = await this.db.transaction().execute(async (trx) => {
      const m = await getMember(trx, memberId);
      if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
      if (m.role === 'leader') await this.keepALeader(trx, teamId, m.callsign);
      await markMemberRemoved(trx, memberId, this.now());
      const deviceIds = await memberDeviceIds(trx, memberId);
      await deleteMemberDevices(trx, memberId);
      const revoked = await revokeMemberTokens(trx, memberId, ['device', 'session', 'login'], this.now());
      const event = await logEvent(trx, teamId, { type: 'member.removed', memberId }, actor, this.now());
      return { event, revoked, deviceIds };
    });
    this.devices.memberChanged(memberId);
    publishEvents(this.bus, teamId, [event]);
    this.bus.revoked(revoked, deviceIds);
  }

  /**
   * Cuts off a lost phone: every token of the member is revoked and every device id replaced by a new
   * one (a device id is the only credential of OsmAnd and CoT), open connections included. The member
   * reconnects with a fresh connection (QR codes) from a leader.
   */
  async revoke(auth: Auth, teamId: string, memberId: string): Promise<void> {
    requireLeader(auth, teamId);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    const { event, revoked, deviceIds, fresh } = await this.db.transaction().execute(async (trx) => {
      const m = await getMember(trx, memberId);
      if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
      const revoked = await revokeMemberTokens(trx, memberId, ['device', 'session', 'login'], this.now());
      const deviceIds = await memberDeviceIds(trx, memberId);
      const fresh: string[] = [];
      for (const old of deviceIds) {
        const id = newDeviceId();
        await renameDevice(trx, memberId, old, id);
        fresh.push(id);
      }
      const event = await logEvent(trx, teamId, { type: 'token.revoked', memberId }, actor, this.now());
      return { event, revoked, deviceIds, fresh };
    });
    this.devicesChanged(memberId, fresh);
    publishEvents(this.bus, teamId, [event]);
    this.bus.revoked(revoked, deviceIds);
  }

  /**
   * Gives one of a member's devices a new id (a leader, e.g. when an id was seen by someone else): the old
   * id stops working at once, open connections included. Returns the new id, to configure the device with.
   */
  async rotateDevice(
    auth: Auth,
    teamId: string,
    memberId: string,
    deviceId: string,
  ): Promise<{ memberId: string; device: string }> {
    requireLeader(auth, teamId);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    const device = newDeviceId();
    const event = await this.db.transaction().execute(async (trx) => {
      const m = await getMember(trx, memberId);
      if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
      if (!(await renameDevice(trx, memberId, deviceId, device)))
        throw notFound(`device ${deviceId} of ${m.callsign}`);
      return logEvent(trx, teamId, { type: 'token.revoked', memberId }, actor, this.now());
    });
    this.devicesChanged(memberId, [device]);
    publishEvents(this.bus, teamId, [event]);
    this.bus.revoked([], [deviceId]);
    return { memberId, device };
  }

  private devicesChanged(memberId: string, added: readonly string[]): void {
    this.devices.memberChanged(memberId);
    for (const id of added) this.devices.added(id);
  }

  /** Issues a fresh device token and the links and QR codes to connect a phone with it. */
  async connection(auth: Auth, teamId: string, memberId: string): Promise<Connection> {
    requireLeader(auth, teamId);
    const m = await getMember(this.db, memberId);
    if (!m || m.team_id !== teamId || m.removed_at) throw notFound('member');
    const devices = (await devicesByMember(this.db, teamId)).get(memberId) ?? [];
    const token = await this.tokens.issue(this.db, m, 'device');
    const urls = this.urls();
    const fieldUrl = `${urls.httpsUrl ?? urls.publicUrl}/field#token=${encodeURIComponent(token)}`;
    const device = devices[0] ?? '';
    const QRCode = (await import('qrcode')).default;
    const svg = (text: string) =>
      QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return {
      memberId,
      callsign: m.callsign,
      token,
      fieldUrl,
      osmandUrl: urls.osmandUrl,
      device,
      fieldQr: await svg(fieldUrl),
      osmandQr: await svg(traccarClientConfigUrl(urls.osmandUrl, device)),
    };
  }
}
