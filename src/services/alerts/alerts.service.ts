import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Alert, AlertType } from '../../contract/alerts.ts';
import type { LatLon, Mode } from '../../contract/common.ts';
import { badRequest, conflict, HowlError, notFound } from '../../contract/errors.ts';
import type { Contact, UpdateContactBody } from '../../contract/incidents.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { sortAlerts } from '../../domain/alerts.ts';
import { teamMode } from '../../domain/mode.ts';
import { isSosAlarm } from '../../domain/presence.ts';
import {
  type AlertView,
  acksOf,
  activeAlertsOf,
  endAlert,
  findActiveFrom,
  getAlert,
  insertAck,
  insertAlert,
  listAlerts,
  lockTeam,
} from '../../store/alerts.repo.ts';
import {
  getContactForUpdate,
  insertContact,
  listContacts,
  updateContact,
} from '../../store/contacts.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import { findActiveOperation } from '../../store/operations.repo.ts';
import { latestPositions } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, deviceAuth, type MemberAuth, requireMember, requireSelf } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { DeviceAlarm } from '../devices/positions.service.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { ActiveOperations } from '../operations/active-operations.ts';
import type { OperationHooks, OperationsService } from '../operations/operations.service.ts';
import { alertCore, toAlert, toContact } from './alert-mappers.ts';
import { AlertMonitor } from './alert-monitor.ts';

/** What raises an alert: the service itself, the condition monitor, or another service (a member reported missing). */
export interface NewAlert {
  type: AlertType;
  mode: Mode;
  operationId: string | null;
  /** The member who raised it; null when Howl did. */
  senderId: string | null;
  subjectId?: string | null;
  position?: LatLon | null;
  count?: number | null;
  direction?: string | null;
  text?: string;
}

/** Alarms from devices that mean "I need help now" (OsmAnd `alarm=sos`, TAK emergencies). */
export const DEFAULT_CANCEL_REASON = 'cancelled — false alarm';

const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

export class AlertsService {
  private readonly monitor: AlertMonitor;
  /** A device's alarm that is not an SOS (wired in services.ts to the device notices service). */
  onOtherAlarm: (e: DeviceAlarm) => Promise<void> = async () => undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly active: ActiveOperations,
    private readonly operations: OperationsService,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.monitor = new AlertMonitor(db, bus, now, {
      raise: (teamId, input) => this.raise(teamId, input),
      resolve: (teamId, alertId) => this.resolve(teamId, alertId),
      withAcks: (db, views) => this.withAcks(db, views),
    });
  }

  /** The team's alerts, active first, then newest first, with who acknowledged them. */
  async list(auth: Auth, teamId: string): Promise<Alert[]> {
    requireMember(auth, teamId);
    return this.sorted(await this.withAcks(this.db, await listAlerts(this.db, teamId)));
  }

  /** Active alerts, for the live snapshot (no access check: callers have done it). */
  async activeAlerts(teamId: string): Promise<Alert[]> {
    return this.sorted(await this.withAcks(this.db, await activeAlertsOf(this.db, teamId)));
  }

  /** "Howl": an SOS from the caller. Always real: opens an incident when none is open. */
  async raiseSos(auth: Auth, teamId: string, body: { position?: LatLon; text?: string }): Promise<Alert> {
    requireMember(auth, teamId);
    return this.sos(requireSelf(auth), body.position, body.text ?? '');
  }

  /** Hostiles seen: a contact alert and a marker. During a running exercise it is exercise traffic. */
  async reportContact(
    auth: Auth,
    teamId: string,
    body: { count: number; position?: LatLon; direction?: string; text?: string },
  ): Promise<Alert> {
    requireMember(auth, teamId);
    const self = requireSelf(auth);
    const now = this.now();
    const { alert, events } = await this.db.transaction().execute(async (trx) => {
      const op = await this.active.get(teamId, trx);
      const mode = teamMode(op);
      const raised = await this.insert(trx, teamId, now, {
        type: 'contact',
        mode,
        operationId: op?.id ?? null,
        senderId: self.memberId,
        position: body.position,
        count: body.count,
        direction: body.direction,
        text: body.text,
      });
      const contact = await insertContact(trx, {
        id: randomUUID(),
        team_id: teamId,
        operation_id: op?.id ?? null,
        alert_id: raised.alert.id,
        count: body.count,
        withdrawn: 0,
        lat: body.position?.lat ?? null,
        lon: body.position?.lon ?? null,
        direction: body.direction ?? null,
        text: body.text ?? '',
        reported_by: self.memberId,
        time: now,
        updated_at: now,
      });
      const marker = await logEvent(
        trx,
        teamId,
        { type: 'contact.updated', contact: toContact(contact) },
        self.memberId,
        now,
        mode,
      );
      return { alert: raised.alert, events: [raised.event, marker] };
    });
    publishEvents(this.bus, teamId, events);
    return alert;
  }

  /** The team's hostile contacts, newest first. */
  async contacts(auth: Auth, teamId: string): Promise<Contact[]> {
    requireMember(auth, teamId);
    return (await listContacts(this.db, teamId)).map(toContact);
  }

  /** A contact as new reports come in: "three of six withdrawing". */
  async updateContact(
    auth: Auth,
    teamId: string,
    contactId: string,
    body: z.infer<typeof UpdateContactBody>,
  ): Promise<Contact> {
    requireMember(auth, teamId);
    const actor = actorOf(auth);
    const now = this.now();
    const { contact, event } = await this.db.transaction().execute(async (trx) => {
      const c = await getContactForUpdate(trx, contactId);
      if (!c || c.team_id !== teamId) throw notFound('contact');
      if (Object.values(body).every((v) => v === undefined))
        return { contact: toContact(c), event: undefined };
      const count = body.count ?? c.count;
      const withdrawn = body.withdrawn ?? c.withdrawn;
      if (withdrawn > count) throw badRequest('withdrawn', `${withdrawn} withdrawn of ${count} seen`);
      const row = await updateContact(trx, contactId, {
        count,
        withdrawn,
        ...(body.position && { lat: body.position.lat, lon: body.position.lon }),
        ...(body.text !== undefined && { text: body.text }),
        updated_at: now,
      });
      // A marker keeps the mode of the report that placed it.
      const mode = c.alert_id ? (await getAlert(trx, c.alert_id))?.mode : undefined;
      const contact = toContact(row);
      const event = await logEvent(trx, teamId, { type: 'contact.updated', contact }, actor, now, mode);
      return { contact, event };
    });
    if (event) publishEvents(this.bus, teamId, [event]);
    return contact;
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
      const alert = await this.load(trx, alertId);
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
      const alert = await this.load(trx, alertId);
      const body = { type: 'alert.updated' as const, change: 'cancelled' as const, by: actor, alert };
      return { alert, event: await logEvent(trx, teamId, body, actor, now, a.mode) };
    });
    publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  /** An incident was opened: everyone is alerted, from whoever declared it. */
  async onEscalated(e: Parameters<OperationHooks['escalated']>[0]): Promise<void> {
    await this.raise(e.teamId, {
      type: 'escalation',
      mode: 'real',
      operationId: e.incident.id,
      senderId: e.actorId,
      position: e.position,
      text: e.reason,
    });
  }

  /** A device's SOS alarm (OsmAnd `alarm=sos`): an SOS from its member at its position; other words go on. */
  async onDeviceAlarm(e: DeviceAlarm): Promise<void> {
    if (!isSosAlarm(e.alarm)) return this.onOtherAlarm(e);
    const m = await getMember(this.db, e.memberId);
    if (!m || m.team_id !== e.teamId || m.removed_at) return;
    await this.sos(
      deviceAuth(m.id, m.team_id, m.role),
      { lat: e.position.lat, lon: e.position.lon },
      `device alarm: ${e.alarm}`,
    );
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
      .execute((trx) => this.insert(trx, teamId, this.now(), input));
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
      return this.insert(trx, teamId, this.now(), input);
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
    if (existing) return (await this.withAcks(this.db, [existing]))[0] as Alert;
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
      const alert = await this.load(trx, alertId);
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
        return { alert: (await this.withAcks(trx, [same]))[0] as Alert, event: undefined };
      const input: NewAlert = {
        type: 'sos',
        mode: 'real',
        operationId: op?.id ?? null,
        senderId: self.memberId,
        position: where,
        text,
      };
      return this.insert(trx, teamId, now, input);
    });
    if (event) publishEvents(this.bus, teamId, [event]);
    return alert;
  }

  private async lastKnown(teamId: string, memberId: string): Promise<LatLon | undefined> {
    const p = (await latestPositions(this.db, teamId)).find((r) => r.member_id === memberId);
    return p ? { lat: p.lat, lon: p.lon } : undefined;
  }

  private async insert(
    trx: Kysely<DB>,
    teamId: string,
    now: Date,
    input: NewAlert,
  ): Promise<{ alert: Alert; event: LiveEvent }> {
    const id = randomUUID();
    await insertAlert(trx, {
      id,
      team_id: teamId,
      operation_id: input.operationId,
      type: input.type,
      mode: input.mode,
      state: 'active',
      sender_id: input.senderId,
      subject_id: input.subjectId ?? null,
      time: now,
      lat: input.position?.lat ?? null,
      lon: input.position?.lon ?? null,
      count: input.count ?? null,
      direction: input.direction ?? null,
      text: input.text ?? '',
      last_sent_at: now,
    });
    const alert = await this.load(trx, id);
    const body = { type: 'alert.updated' as const, change: 'raised' as const, by: input.senderId, alert };
    return { alert, event: await logEvent(trx, teamId, body, input.senderId, now, input.mode) };
  }

  private async load(db: Kysely<DB>, id: string): Promise<Alert> {
    const view = await getAlert(db, id);
    if (!view) throw notFound('alert');
    return toAlert(view, await acksOf(db, [id]));
  }

  private async withAcks(db: Kysely<DB>, views: readonly AlertView[]): Promise<Alert[]> {
    const acks = await acksOf(
      db,
      views.map((v) => v.id),
    );
    return views.map((v) => toAlert(v, acks));
  }

  private sorted(alerts: readonly Alert[]): Alert[] {
    return sortAlerts(alerts.map((alert) => ({ ...alertCore(alert), alert }))).map((x) => x.alert);
  }
}
