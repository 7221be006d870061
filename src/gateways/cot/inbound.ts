import type { LatLon, Mode } from '../../contract/common.ts';
import { HowlError } from '../../contract/errors.ts';
import { distanceM } from '../../domain/geo.ts';
import { teamMode } from '../../domain/mode.ts';
import type { BoundMember } from './binding.ts';
import { geoChatAudience } from './geochat.ts';
import type { CotLogger } from './logger.ts';
import type { CotMessage, CotPoint } from './parse.ts';
import type { CotServices } from './services.ts';

export type InboundMessage = Extract<CotMessage, { kind: 'position' | 'emergency' | 'hostile' | 'chat' }>;

/** ATAK re-sends a marker every few seconds with auto-send on: a repeat within this distance changes nothing. */
const MARKER_MOVE_M = 25;
const MAX_REMEMBERED = 5000;
const CANCEL_REASON = 'cancelled from the TAK client';

interface MarkerState {
  alertTime: string;
  contactId?: string;
  point: CotPoint;
  count: number;
}

/**
 * Turns a bound member's TAK events into Howl: positions, SOS, contact reports, hostile markers and GeoChat.
 *
 * Modes: a position takes the team's mode (the positions service decides; a fix is a fact). An SOS is real,
 * as Howl's own SOS button is, unless the event says `opex="e"` during a running exercise: then it is an
 * exercise SOS that escalates nothing. A contact takes the event's `opex`, else the team's mode; a contact
 * declared real (`opex="o"`) during an exercise escalates it first, as any member may.
 */
export class CotInbound {
  private readonly markers = new Map<string, MarkerState>();
  /** In Contact alarms already reported, per member and alarm uid, until the member cancels. */
  private readonly contacts = new Set<string>();

  constructor(
    private readonly services: CotServices,
    private readonly log: CotLogger,
  ) {}

  async handle(m: BoundMember, msg: InboundMessage): Promise<void> {
    try {
      switch (msg.kind) {
        case 'position':
          return await this.position(m, msg);
        case 'emergency':
          if (msg.emergency === 'sos') return await this.sos(m, msg);
          if (msg.emergency === 'contact') return await this.inContact(m, msg);
          return await this.cancel(m, msg);
        case 'hostile':
          return await this.hostile(m, msg);
        case 'chat':
          return await this.chat(m, msg);
        default: {
          const never: never = msg;
          return never;
        }
      }
    } catch (err) {
      if (!(err instanceof HowlError)) throw err;
      this.log.warn(
        { uid: msg.uid, type: msg.type, member: m.callsign, err: err.message },
        'cot: event refused',
      );
    }
  }

  private async position(m: BoundMember, msg: Extract<InboundMessage, { kind: 'position' }>): Promise<void> {
    await this.services.positions.reportFromDevice({
      deviceId: m.deviceId,
      time: msg.time,
      lat: msg.point.lat,
      lon: msg.point.lon,
      accuracyM: msg.point.ceM,
      altitudeM: msg.point.haeM,
      speedMps: msg.speedMps,
      bearingDeg: msg.courseDeg,
      batteryPct: msg.batteryPct,
      source: 'cot',
    });
  }

  private async sos(m: BoundMember, msg: Extract<InboundMessage, { kind: 'emergency' }>): Promise<void> {
    const position = latLon(msg.point);
    const text = describe(`TAK ${msg.label}`, msg.remarks);
    const op = await this.services.active.get(m.teamId);
    if (msg.opex === 'exercise' && op && teamMode(op) === 'exercise') {
      const active = await this.services.alerts.activeAlerts(m.teamId);
      if (active.some((a) => a.type === 'sos' && a.senderId === m.memberId && a.operationId === op.id))
        return;
      await this.services.alerts.raise(m.teamId, {
        type: 'sos',
        mode: 'exercise',
        operationId: op.id,
        senderId: m.memberId,
        position,
        text,
      });
      return;
    }
    if (msg.opex === 'exercise')
      this.log.warn(
        { uid: msg.uid, member: m.callsign },
        'cot: exercise SOS outside an exercise, raised as real',
      );
    await this.services.alerts.raiseSos(m.auth, m.teamId, { position, text });
  }

  private async inContact(
    m: BoundMember,
    msg: Extract<InboundMessage, { kind: 'emergency' }>,
  ): Promise<void> {
    const key = `${m.memberId}|${msg.uid}`;
    if (this.contacts.has(key)) return;
    const position = latLon(msg.point);
    await this.applyDeclaredMode(m, msg.opex, `${msg.label} reported from TAK by ${m.callsign}`, position);
    await this.services.contacts.report(m.auth, m.teamId, {
      count: msg.count ?? 1,
      position,
      text: describe(`TAK ${msg.label}`, msg.remarks),
    });
    remember(this.contacts, key);
  }

  /** ATAK's Cancel Alert ends the member's emergency: their active SOS alerts are cancelled. */
  private async cancel(m: BoundMember, msg: Extract<InboundMessage, { kind: 'emergency' }>): Promise<void> {
    for (const key of this.contacts) if (key.startsWith(`${m.memberId}|`)) this.contacts.delete(key);
    const mine = (await this.services.alerts.activeAlerts(m.teamId)).filter(
      (a) => a.type === 'sos' && a.senderId === m.memberId,
    );
    if (mine.length === 0)
      this.log.info({ uid: msg.uid, member: m.callsign }, 'cot: cancel with no active SOS');
    for (const a of mine) await this.services.alerts.cancel(m.auth, m.teamId, a.id, CANCEL_REASON);
  }

  /** A hostile marker: a contact report the first time, an update when it moves or its count changes. */
  /**
   * GeoChat to the team's rooms becomes a team message from the member (see geochat.ts for which rooms).
   * Its mode is the event's `opex` when that says real, else the team's: nothing outside an exercise is one.
   */
  private async chat(m: BoundMember, msg: Extract<InboundMessage, { kind: 'chat' }>): Promise<void> {
    if (geoChatAudience(msg) === 'private') {
      this.log.info(
        { uid: msg.uid, room: msg.chatroom, member: m.callsign },
        'cot: GeoChat not relayed: a direct or private group message stays between TAK users',
      );
      return;
    }
    if (msg.opex === 'exercise' && (await this.services.active.mode(m.teamId)) === 'real')
      this.log.warn(
        { uid: msg.uid, member: m.callsign },
        'cot: exercise GeoChat outside an exercise, taken as real',
      );
    const posted = await this.services.messages.postFromDevice(m.auth, m.teamId, {
      text: msg.text,
      source: 'tak',
      position: latLon(msg.point),
      declaredMode: msg.opex,
      externalId: msg.messageId ?? msg.uid,
    });
    if (!posted) this.log.debug({ uid: msg.uid, member: m.callsign }, 'cot: GeoChat repeat ignored');
  }

  private async hostile(m: BoundMember, msg: Extract<InboundMessage, { kind: 'hostile' }>): Promise<void> {
    const key = `${m.teamId}|${msg.uid}`;
    const prev = this.markers.get(key);
    const position = { lat: msg.point.lat, lon: msg.point.lon };
    if (prev) {
      if (prev.count === msg.count && distanceM(prev.point, msg.point) < MARKER_MOVE_M) return;
      const contactId = prev.contactId ?? (await this.findContact(m, prev.alertTime));
      if (!contactId) return;
      await this.services.contacts.update(m.auth, m.teamId, contactId, { count: msg.count, position });
      this.markers.set(key, { ...prev, contactId, point: msg.point, count: msg.count });
      return;
    }
    const label = `hostile marker ${msg.callsign ?? msg.uid}`;
    await this.applyDeclaredMode(m, msg.opex, `hostiles reported from TAK by ${m.callsign}`, position);
    const alert = await this.services.contacts.report(m.auth, m.teamId, {
      count: msg.count,
      position,
      text: describe(`TAK ${label}`, msg.remarks),
    });
    if (this.markers.size >= MAX_REMEMBERED) this.markers.delete(this.markers.keys().next().value as string);
    this.markers.set(key, { alertTime: alert.time, point: msg.point, count: msg.count });
  }

  /** The contact a report created: same reporter, same instant. */
  private async findContact(m: BoundMember, time: string): Promise<string | undefined> {
    const contacts = await this.services.contacts.list(m.auth, m.teamId);
    return contacts.find((c) => c.reportedBy === m.memberId && c.time === time)?.id;
  }

  /** An event declared real during an exercise escalates it ("no duff"); one declared exercise outside one is real. */
  private async applyDeclaredMode(
    m: BoundMember,
    declared: Mode | undefined,
    reason: string,
    position: LatLon | undefined,
  ): Promise<void> {
    if (!declared) return;
    const mode = teamMode(await this.services.active.get(m.teamId));
    if (declared === 'exercise' && mode === 'real')
      this.log.warn({ member: m.callsign }, 'cot: exercise-marked report outside an exercise, taken as real');
    if (declared !== 'real' || mode !== 'exercise') return;
    try {
      await this.services.operations.escalate(m.auth, m.teamId, reason, position);
    } catch (err) {
      // Someone else escalated a moment ago.
      if (!(err instanceof HowlError && err.status === 409)) throw err;
    }
  }
}

const latLon = (p: CotPoint | undefined): LatLon | undefined => (p ? { lat: p.lat, lon: p.lon } : undefined);
const describe = (what: string, remarks: string | undefined) =>
  (remarks ? `${what}: ${remarks}` : what).slice(0, 2000);

function remember(set: Set<string>, key: string): void {
  if (set.size >= MAX_REMEMBERED) set.delete(set.values().next().value as string);
  set.add(key);
}
