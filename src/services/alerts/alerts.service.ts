import type { Kysely } from 'kysely';
import type { Alert } from '../../contract/alerts.ts';
import type { LatLon } from '../../contract/common.ts';
import { conflict, HowlError, notFound } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { isSosAlarm } from '../../domain/presence.ts';
import {
  activeAlertsOf,
  endAlert,
  findActiveFrom,
  getAlert,
  insertAck,
  listAlerts,
  lockTeam,
} from '../../store/alerts.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import { findActiveOperation } from '../../store/operations.repo.ts';
import { latestPositions } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, deviceAuth, type MemberAuth, requireMember, requireSelf } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { DeviceAlarm, IncidentOpened } from '../core/internal-events.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import { AlertMonitor } from './alert-monitor.ts';
import { insertAlertLogged, loadAlert, type NewAlert, sortedAlerts, withAcks } from './alert-records.ts';

export const DEFAULT_CANCEL_REASON = 'cancelled — false alarm';

const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

export class AlertsService {
  private readonly monitor: AlertMonitor;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    readonly _active: ActiveOperations,
    private readonly operations: OperationsService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.monitor = new AlertMonitor(db, bus, now, {
      raise: (teamId, input) => this.raise(teamId, input),
      resolve: (teamId, alertId) => this.resolve(teamId, alertId),
    });
  }

  /** The team's alerts, active first, then newest first, with who acknowledged them. */
  async list(auth: Auth, teamId: string): Promise<Alert[]> {
    requireMember(auth, teamId);
    return sortedAlerts(await withAcks(this.db, await listAlerts(this.db, teamId)));
  }

  /** Active alerts, for the live snapshot (no access check: callers have done it). */
  async activeAlerts(teamId: string): Promise<Alert[]> {
    return sortedAlerts(await withAcks(this.db, await activeAlertsOf(this.db, teamId)));
  }

  /** "Howl": an SOS from the caller. Always real: opens an incident when none is open. */
  async raiseSos(auth: Auth, teamId: string, body: { position?: LatLon; text?: string }): Promise<Alert> {
    requireMember(auth, teamId);
    return this.sos(requireSelf(auth), body.position, body.text ?? '');
  }

  /** The caller acknowledges an alert of their team, for themselves; doing it again changes nothing. */
  async acknowledge(auth: Auth, alertId: string): Promise<Alert> {
    const self = requireSelf(auth);
    const now = this.now();
    const { alert, event } = await this.db.transaction().execute(async (trx) => {
      const a = await getAlert(trx, alertId, { lock: true });
      // Another team's alert does not exist for this caller.
      if (!a || a.team_id !== self.teamId) throw notFound('alert');
      if (a.state !== 'active') throw conflict(`alert: it is ${a.state}`, { field: 'alertId' });
      const added = await insertAck(trx, alertId, self.memberId, now);
      const alert = await loadAlert(trx, alertId);
      if (!added) return { alert, event: undefined };
      const body = {
        type: 'alert.updated' as const,
        change: 'acknowledged' as const,
        by: self.memberId,
        alert,
      };
      return { alert, event: await logEvent(trx, a.team_id, body, self.memberId, now, a.mode) };
    });
    if (event) publishEvents(this.bus, self.teamId, [event]);
    return alert;
  }

  /**
   * The caller acknowledges several alerts of their team at once (a group: "4 members separated"), in one
   * transaction: an unknown id or another team's alert is a 404 naming it and nothing is recorded. An alert
   * that ended meanwhile (the member rejoined) is answered as it is, without an acknowledgement.
   */
  async acknowledgeMany(auth: Auth, alertIds: readonly string[]): Promise<Alert[]> {
    const self = requireSelf(auth);
    const now = this.now();
    const ids = [...new Set(alertIds)];
    const { alerts, events } = await this.db.transaction().execute(async (trx) => {
      // Locked in one order, so that two group acknowledgements cannot wait on each other.
      const rows = [];
      for (const id of [...ids].sort()) {
        const a = await getAlert(trx, id, { lock: true });
        if (!a || a.team_id !== self.teamId)
          throw new HowlError(404, 'not_found', `alertIds: alert ${id} not found`, {
            field: 'alertIds',
            alertId: id,
          });
        rows.push(a);
      }
      const events: LiveEvent[] = [];
      for (const a of rows) {
        if (a.state !== 'active' || !(await insertAck(trx, a.id, self.memberId, now))) continue;
        const alert = await loadAlert(trx, a.id);
        const body = {
          type: 'alert.updated' as const,
          change: 'acknowledged' as const,
          by: self.memberId,
          alert,
        };
        events.push(await logEvent(trx, self.teamId, body, self.memberId, now, a.mode));
      }
      const alerts: Alert[] = [];
      for (const id of ids) alerts.push(await loadAlert(trx, id));
      return { alerts, events };
    });
    publishEvents(this.bus, self.teamId, events);
    return alerts;
  }

  /** Closes an alert as a false alarm, visibly to everyone: its sender or a leader. */
  async cancel(auth: Auth, teamId: string, alertId: string, reason = DEFAULT_CANCEL_REASON): Promise<Alert> {
    requireMember(auth, teamId);
    const actor = actorOf(auth);
    const now = this.now();
    const { alert, event } = await this.db.transaction().execute(async (trx) => {
      const a = await getAlert(trx, alertId, { lock: true });
      if (!a || a.team_id !== teamId) throw notFound('alert');
      if (auth.kind === 'member' && auth.role !== 'leader' && a.sender_id !== auth.memberId)
        throw new HowlError(403, 'forbidden', 'only the sender or a team leader may cancel this alert');
      if (a.state !== 'active') throw conflict(`alert: it is ${a.state} already`, { field: 'alertId' });
      await endAlert(trx, alertId, {
        state: 'cancelled',
        cancelled_by: actor,
        cancelled_at: now,
        cancel_reason: reason,
      });
      const alert = await loadAlert(trx, alertId);
      const body = { type: 'alert.updated' as const, change: 'cancelled' as const, by: actor, alert };
      return { alert, event: await logEvent(trx, teamId, body, actor, now, a.mode) };
    });
    publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  /** An incident was opened: everyone is alerted, from whoever declared it. */
  async onIncidentOpened(e: IncidentOpened): Promise<void> {
    await this.raise(e.teamId, {
      type: 'escalation',
      mode: 'real',
      operationId: e.incident.id,
      senderId: e.actorId,
      position: e.position,
      text: e.reason,
    });
  }

  /** A device's SOS alarm (OsmAnd `alarm=sos`): an SOS from its member at its position (other words are notices'). */
  async onDeviceAlarm(e: DeviceAlarm): Promise<void> {
    if (!isSosAlarm(e.alarm)) return;
    const m = await getMember(this.db, e.memberId);
    if (!m || m.team_id !== e.teamId || m.removed_at) return;
    await this.sos(
      deviceAuth(m.id, m.team_id, m.role),
      { lat: e.position.lat, lon: e.position.lon },
      `device alarm: ${e.alarm}`,
    );
  }

  /**
   * An SOS a device sent by other means than an alarm word (a satellite messenger's emergency): always real,
   * from its member, at `position` or their last known one, in the words given ("satellite SOS …").
   */
  async sosFromDevice(
    owner: { teamId: string; memberId: string },
    position: LatLon | undefined,
    text: string,
  ): Promise<Alert | undefined> {
    const m = await getMember(this.db, owner.memberId);
    if (!m || m.team_id !== owner.teamId || m.removed_at) return undefined;
    return this.sos(deviceAuth(m.id, m.team_id, m.role), position, text);
  }

  /** Re-sends unacknowledged real alerts and runs the condition monitor; the server calls it every second. */
  async tick(): Promise<void> {
    await this.monitor.resend();
    await this.monitor.watch();
  }

  /** Raises an alert and tells the team (a member reported missing, an escalation, a condition). */
  async raise(teamId: string, input: NewAlert): Promise<Alert> {
    const { alert, event } = await this.db
      .transaction()
      .execute((trx) => insertAlertLogged(trx, teamId, this.now(), input));
    publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  /**
   * Raises an alert a member's device sent (`input.senderId`), unless one of its type from them is active: a
   * device repeating its alarm is the same alert. Returns the new alert, or undefined for a repeat.
   */
  async raiseOnce(teamId: string, input: NewAlert & { senderId: string }): Promise<Alert | undefined> {
    const { alert, event } = await this.db.transaction().execute(async (trx) => {
      await lockTeam(trx, teamId);
      if (await findActiveFrom(trx, teamId, input.senderId, input.type))
        return { alert: undefined, event: undefined };
      return insertAlertLogged(trx, teamId, this.now(), input);
    });
    if (event) publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  /** A member reported missing in a roll call: a real alert about them at once (once while it lasts). */
  async raiseMissing(
    teamId: string,
    operationId: string,
    subjectId: string,
    reportedBy: string,
  ): Promise<Alert> {
    const existing = (await activeAlertsOf(this.db, teamId)).find(
      (a) => a.type === 'missing' && a.subject_id === subjectId && a.operation_id === operationId,
    );
    if (existing) return (await withAcks(this.db, [existing]))[0] as Alert;
    return this.raise(teamId, {
      type: 'missing',
      mode: 'real',
      operationId,
      senderId: reportedBy,
      subjectId,
      position: await this.lastKnown(teamId, subjectId),
      text: 'reported missing in the roll call',
    });
  }

  /** A closed incident's alerts (and those of the exercise it interrupted) are over: resolve them. */
  async onOperationClosed(teamId: string, operationIds: readonly string[]): Promise<void> {
    for (const a of await activeAlertsOf(this.db, teamId)) {
      if (a.operation_id && operationIds.includes(a.operation_id)) await this.resolve(teamId, a.id);
    }
  }

  /** Ends an active alert whose condition is over; nothing when it had ended already. */
  async resolve(teamId: string, alertId: string): Promise<void> {
    const event = await this.db.transaction().execute(async (trx) => {
      if (!(await endAlert(trx, alertId, { state: 'resolved' }))) return undefined;
      const alert = await loadAlert(trx, alertId);
      const body = { type: 'alert.updated' as const, change: 'resolved' as const, by: null, alert };
      return logEvent(trx, teamId, body, null, this.now(), alert.mode);
    });
    if (event) publishEvents(this.bus, teamId, [event]);
  }

  private async sos(self: MemberAuth, position: LatLon | undefined, text: string): Promise<Alert> {
    const teamId = self.teamId;
    const member = await getMember(this.db, self.memberId);
    const where = position ?? (await this.lastKnown(teamId, self.memberId));
    const open = await findActiveOperation(this.db, teamId);
    if (open?.kind !== 'incident') {
      try {
        await this.operations.escalate(self, teamId, `SOS from ${member?.callsign ?? '?'}`, where);
      } catch (e) {
        // Someone else opened the incident a moment ago: the SOS goes into it.
        if (!(e instanceof HowlError && e.status === 409)) throw e;
      }
    }
    const now = this.now();
    const { alert, event } = await this.db.transaction().execute(async (trx) => {
      await lockTeam(trx, teamId);
      const op = await findActiveOperation(trx, teamId);
      // A second press (or a device repeating its alarm) is the same SOS.
      const same = await findActiveFrom(trx, teamId, self.memberId, 'sos');
      if (same && same.operation_id === (op?.id ?? null))
        return { alert: (await withAcks(trx, [same]))[0] as Alert, event: undefined };
      const input: NewAlert = {
        type: 'sos',
        mode: 'real',
        operationId: op?.id ?? null,
        senderId: self.memberId,
        position: where,
        text,
      };
      return insertAlertLogged(trx, teamId, now, input);
    });
    if (event) publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  private async lastKnown(teamId: string, memberId: string): Promise<LatLon | undefined> {
    const p = (await latestPositions(this.db, teamId)).find((r) => r.member_id === memberId);
    return p ? { lat: p.lat, lon: p.lon } : undefined;
  }
}
