import type { Kysely } from 'kysely';
import { HowlError, notFound } from '../../contract/errors.ts';
import type { ExportTrack, LatestPositions, Position, PositionReport } from '../../contract/positions.ts';
import { sosSenders } from '../../domain/alerts.ts';
import { isStale, presenceStatus } from '../../domain/presence.ts';
import { checkReportTime } from '../../domain/report-time.ts';
import { activeAlertsOf } from '../../store/alerts.repo.ts';
import { listMembers } from '../../store/members.repo.ts';
import {
  findEscalatedTo,
  getOperation,
  listParticipants,
  type OperationRow,
} from '../../store/operations.repo.ts';
import type { PositionBatcher } from '../../store/position-batcher.ts';
import {
  latestPositions,
  type PositionRow,
  positionsBetween,
  positionsSince,
} from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';
import { type Auth, requireMember, requireSelf } from '../core/auth.ts';
import type { InternalEvents } from '../core/internal-events.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';
import { toPosition } from '../teams/team-mappers.ts';
import type { DeviceDirectory } from './device-directory.ts';

const HOUR_MS = 3600_000;

export class PositionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly batcher: PositionBatcher,
    private readonly devices: DeviceDirectory,
    private readonly operations: ActiveOperations,
    private readonly events: InternalEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Throws 404 unless the device is registered to a current member (a report that carries no position). */
  async requireDevice(deviceId: string): Promise<void> {
    if (!(await this.devices.owner(deviceId))) {
      throw new HowlError(404, 'unknown_device', `id: device ${deviceId} is not registered`, { field: 'id' });
    }
  }

  /** A position from a device that identifies itself only by its id (OsmAnd, OwnTracks, CoT). */
  async reportFromDevice(r: PositionReport): Promise<Position> {
    const owner = await this.devices.owner(r.deviceId);
    if (!owner)
      throw new HowlError(404, 'unknown_device', `id: device ${r.deviceId} is not registered`, {
        field: 'id',
      });
    return this.store(owner.teamId, owner.memberId, r);
  }

  /** A position the member's own field page sends with its token. */
  async reportFromMember(auth: Auth, r: Omit<PositionReport, 'deviceId'>): Promise<Position> {
    const self = requireSelf(auth);
    return this.store(self.teamId, self.memberId, { ...r, deviceId: 'field' });
  }

  async latest(auth: Auth, teamId: string): Promise<LatestPositions> {
    requireMember(auth, teamId);
    const [team, members, rows, alerts] = await Promise.all([
      getTeam(this.db, teamId),
      listMembers(this.db, teamId),
      latestPositions(this.db, teamId),
      activeAlertsOf(this.db, teamId),
    ]);
    if (!team) throw notFound('team');
    // Red while an SOS of theirs is active, whichever client sent it (as on the console's map).
    const sos = sosSenders(
      alerts.map((a) => ({ type: a.type, mode: a.mode, state: a.state, senderId: a.sender_id })),
    );
    const byId = new Map(members.map((m) => [m.id, m]));
    const nowMs = this.now().getTime();
    const features = rows.flatMap((p) => {
      const m = byId.get(p.member_id);
      if (!m) return [];
      const t = new Date(p.time).getTime();
      return [
        {
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
          properties: {
            memberId: m.id,
            callsign: m.callsign,
            name: m.name,
            time: new Date(p.time).toISOString(),
            accuracy: p.accuracy,
            battery: p.battery,
            speed: p.speed,
            alarm: p.alarm,
            stale: isStale(t, nowMs, team.stale_seconds),
            status: sos.has(m.id) ? 'sos' : presenceStatus(t, nowMs, team.stale_seconds, p.alarm),
            mode: p.mode,
          },
        },
      ];
    });
    return { type: 'FeatureCollection', features };
  }

  /** Latest position of each member, in the live feed's form. */
  async latestList(auth: Auth, teamId: string): Promise<Position[]> {
    requireMember(auth, teamId);
    return (await latestPositions(this.db, teamId)).map(toPosition);
  }

  /** Each member's positions since `since` (default: the last hour), in time order. */
  async trails(auth: Auth, teamId: string, since?: Date): Promise<Record<string, Position[]>> {
    requireMember(auth, teamId);
    const from = since ?? new Date(this.now().getTime() - HOUR_MS);
    const out: Record<string, Position[]> = {};
    for (const row of await positionsSince(this.db, teamId, from)) {
      const p = toPosition(row);
      const list = out[p.memberId];
      if (list) list.push(p);
      else out[p.memberId] = [p];
    }
    return out;
  }

  /**
   * Each member's positions between `since` (default: a day before `until`) and `until`
   * (default: now), one member when named, for export.
   */
  async tracks(
    auth: Auth,
    teamId: string,
    q: { memberId?: string; since?: Date; until?: Date },
  ): Promise<ExportTrack[]> {
    requireMember(auth, teamId);
    const until = q.until ?? this.now();
    const o = { memberId: q.memberId, until, since: q.since ?? new Date(until.getTime() - 24 * HOUR_MS) };
    if (o.until < o.since)
      throw new HowlError(400, 'invalid_input', 'until: is before since', { field: 'until' });
    const members = new Map((await listMembers(this.db, teamId)).map((m) => [m.id, m.callsign]));
    if (o.memberId && !members.has(o.memberId)) throw notFound('member');
    const rows = await positionsBetween(this.db, teamId, {
      since: o.since,
      until: o.until,
      memberIds: o.memberId ? [o.memberId] : undefined,
    });
    return groupTracks(rows, members);
  }

  /**
   * An operation's trails: its participants' positions (everyone's when it names none) from its
   * start to its end, or to now while it runs. A suspended exercise ends where its incident began.
   */
  async operationTracks(
    auth: Auth,
    teamId: string,
    operationId: string,
    memberId?: string,
  ): Promise<{ name: string; tracks: ExportTrack[] }> {
    requireMember(auth, teamId);
    const op = await getOperation(this.db, operationId);
    if (!op || op.team_id !== teamId) throw notFound('operation');
    const members = new Map((await listMembers(this.db, teamId)).map((m) => [m.id, m.callsign]));
    if (memberId && !members.has(memberId)) throw notFound('member');
    if (!op.started_at) return { name: op.name, tracks: [] };
    const participants = (await listParticipants(this.db, op.id)).map((p) => p.memberId);
    const chosen = participants.length ? participants : [...members.keys()];
    const rows = await positionsBetween(this.db, teamId, {
      since: new Date(op.started_at),
      until: await this.operationEnd(op),
      memberIds: memberId ? chosen.filter((id) => id === memberId) : chosen,
    });
    return { name: op.name, tracks: groupTracks(rows, members) };
  }

  private async operationEnd(op: OperationRow): Promise<Date> {
    if (op.ended_at) return new Date(op.ended_at);
    if (op.state === 'suspended') {
      const incidentId = await findEscalatedTo(this.db, op.id);
      const incident = incidentId ? await getOperation(this.db, incidentId) : undefined;
      if (incident?.started_at) return new Date(incident.started_at);
    }
    return this.now();
  }

  private async store(teamId: string, memberId: string, r: PositionReport): Promise<Position> {
    const now = this.now();
    const check = checkReportTime(r.time.getTime(), now.getTime());
    if (!check.ok)
      throw new HowlError(400, 'invalid_time', `timestamp: ${check.reason}`, { field: 'timestamp' });
    const row: Omit<PositionRow, 'id'> = {
      team_id: teamId,
      member_id: memberId,
      device_id: r.deviceId,
      time: r.time,
      received_at: now,
      lat: r.lat,
      lon: r.lon,
      accuracy: r.accuracyM ?? null,
      altitude: r.altitudeM ?? null,
      speed: r.speedMps ?? null,
      bearing: r.bearingDeg ?? null,
      battery: r.batteryPct ?? null,
      alarm: r.alarm ?? null,
      source: r.source,
      mode: await this.operations.mode(teamId),
    };
    await this.batcher.write(row);
    const position = toPosition(row);
    this.bus.publish(teamId, { type: 'position', position });
    if (r.alarm)
      await this.events.emit('device.alarm', {
        teamId,
        memberId,
        deviceId: r.deviceId,
        alarm: r.alarm,
        position,
      });
    return position;
  }
}

/** Rows in time order → one track per member, in order of first appearance. */
function groupTracks(rows: readonly PositionRow[], callsigns: ReadonlyMap<string, string>): ExportTrack[] {
  const out = new Map<string, ExportTrack>();
  for (const row of rows) {
    let track = out.get(row.member_id);
    if (!track) {
      track = { memberId: row.member_id, callsign: callsigns.get(row.member_id) ?? '?', points: [] };
      out.set(row.member_id, track);
    }
    track.points.push({ lat: row.lat, lon: row.lon, timeMs: new Date(row.time).getTime() });
  }
  return [...out.values()];
}
