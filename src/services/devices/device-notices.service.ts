import type { Kysely } from 'kysely';
import type { LatLon } from '../../contract/common.ts';
import { type DeviceNotice, type DeviceNoticeInput, NoticeSource } from '../../contract/device-notices.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { deviceAlarmAction } from '../../domain/alerts.ts';
import { teamMode } from '../../domain/mode.ts';
import { conditionAlertsOf } from '../../store/alerts.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { AlertsService } from '../alerts/alerts.service.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { DeviceAlarm } from '../core/internal-events.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';

/**
 * What members' devices report besides positions and SOS: alarm words (OsmAnd `alarm=…`), regions entered or
 * left (OwnTracks `transition`), a lost connection (OwnTracks `lwt`). Each is a `device.notice` team event in
 * the team's mode; a fall or a left geofence is also an alert about the member.
 */
export class DeviceNoticesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly alerts: AlertsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Logs a device's notice as a team event in the team's mode, and sends it live. */
  async notice(teamId: string, input: DeviceNoticeInput): Promise<LiveEvent> {
    const m = await getMember(this.db, input.memberId);
    const notice = { ...input, callsign: m?.callsign ?? '?' } as DeviceNotice;
    const event = await this.db
      .transaction()
      .execute((trx) =>
        logEvent(trx, teamId, { type: 'device.notice', notice }, notice.memberId, this.now()),
      );
    publishEvents(this.bus, teamId, [event]);
    return event;
  }

  /**
   * A device's alarm other than SOS (which the alerts service raises), by `deviceAlarmAction`: `fallDown` a
   * man-down alert about the member, `geofenceExit` a geofence alert, both in the team's mode; else a notice
   * (low battery, or the word as sent). A device's alert belongs to no operation: it is the device's word, not
   * a condition Howl watches, so the condition monitor leaves it until a person cancels it.
   */
  async onDeviceAlarm(e: DeviceAlarm): Promise<void> {
    const m = await getMember(this.db, e.memberId);
    if (!m || m.team_id !== e.teamId || m.removed_at) return;
    const position: LatLon = { lat: e.position.lat, lon: e.position.lon };
    const action = deviceAlarmAction(e.alarm);
    switch (action.kind) {
      case 'sos':
        return;
      case 'alert':
        await this.alerts.raiseOnce(e.teamId, {
          type: action.type,
          mode: await this.active.mode(e.teamId),
          operationId: null,
          senderId: m.id,
          subjectId: m.id,
          position,
          text: `device alarm: ${e.alarm}`,
        });
        return;
      case 'notice': {
        const common = {
          memberId: m.id,
          deviceId: e.deviceId,
          source: NoticeSource.catch('osmand').parse(e.position.source),
          time: e.position.time,
          alarm: e.alarm,
          position,
        };
        await this.notice(
          e.teamId,
          action.notice === 'low_battery'
            ? { kind: 'low_battery', ...common, battery: e.position.battery }
            : { kind: 'alarm', ...common },
        );
        return;
      }
      default: {
        const never: never = action;
        return never;
      }
    }
  }

  /**
   * A region a member's app entered or left (OwnTracks `transition`): a notice; leaving the running
   * exercise's area (the region Howl sent the app) also raises that exercise's geofence alert about them,
   * once, as the condition monitor would (which resolves it when their positions say they are back inside).
   */
  async onRegion(teamId: string, notice: Extract<DeviceNoticeInput, { kind: 'region' }>): Promise<void> {
    await this.notice(teamId, notice);
    if (notice.event !== 'leave' || !notice.operationArea) return;
    const op = await this.active.get(teamId);
    if (op?.kind !== 'exercise') return;
    const existing = await conditionAlertsOf(this.db, teamId, op.id, ['geofence']);
    if (existing.some((a) => a.subject_id === notice.memberId)) return;
    await this.alerts.raise(teamId, {
      type: 'geofence',
      mode: teamMode(op),
      operationId: op.id,
      senderId: null,
      subjectId: notice.memberId,
      position: notice.position,
      text: `outside the exercise area (their app left the region ${notice.region ?? ''})`,
    });
  }
}
