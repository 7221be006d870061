import type { Alert } from '../../contract/alerts.ts';
import type { LatLon, Mode } from '../../contract/common.ts';
import type { Contact } from '../../contract/incidents.ts';
import type { LiveEvent, LiveMessage } from '../../contract/live.ts';
import type { Message } from '../../contract/messages.ts';
import type { Position } from '../../contract/positions.ts';
import { concerns } from '../../domain/triage.ts';
import { newestFrame } from '../../services/live/position-ticks.ts';
import type { BoundMember } from './binding.ts';
import { buildEmergency, buildEmergencyCancel, buildHostile, buildMemberSa } from './build.ts';
import { buildGeoChat } from './geochat.ts';
import type { CotLogger } from './logger.ts';
import type { CotServices } from './services.ts';

/**
 * Each relayed position's SA, built once for all the team's TAK clients: the ticks hand every client the same
 * frame (and its newest positions), and they share the callsign and the stale time.
 */
const builtSa = new WeakMap<Position, { key: string; xml: string }>();

function memberSa(position: Position, callsign: string, staleS: number, now: () => Date): string {
  const key = `${callsign}\n${staleS}`;
  const hit = builtSa.get(position);
  if (hit?.key === key) return hit.xml;
  const xml = buildMemberSa({ position, callsign, now: now(), staleS });
  builtSa.set(position, { key, xml });
  return xml;
}

export interface OutboundOptions {
  services: CotServices;
  member: BoundMember;
  send: (xml: string) => void;
  /** The member was removed: the connection must end. */
  close: (reason: string) => void;
  log: CotLogger;
  now: () => Date;
  /** How often active emergencies are sent again (ATAK sends its own only once). */
  resendMs: number;
}

/**
 * What one bound TAK client receives: the other members' positions, hostile contacts, alerts and messages
 * (GeoChat) of its team, from a snapshot on connect and then the live bus. Active emergencies are sent
 * again every `resendMs` until cancelled, resolved or acknowledged by this member.
 */
export class CotOutbound {
  private readonly callsigns = new Map<string, string>();
  private readonly lastKnown = new Map<string, LatLon>();
  private readonly emergencies = new Map<string, Alert>();
  private staleS = 300;
  /** Live messages that arrive while the snapshot loads, delivered after it. */
  private pending: LiveMessage[] | null = [];
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: OutboundOptions) {}

  private get self(): string {
    return this.o.member.memberId;
  }

  async start(): Promise<void> {
    const { services, member } = this.o;
    const { auth, teamId } = member;
    // The team's live traffic by ticks (position-ticks.ts): a tick's positions in one frame, of which a TAK map
    // needs each member's newest only.
    this.unsubscribe = services.ticks.subscribe(teamId, (msg) => {
      if (this.pending) this.pending.push(msg);
      else this.deliver(msg);
    });
    const [team, members, positions, alerts, active, contacts] = await Promise.all([
      services.teams.get(auth, teamId),
      services.members.list(auth, teamId),
      services.positions.latestList(auth, teamId),
      services.alerts.activeAlerts(teamId),
      services.operations.activeOf(teamId),
      services.contacts.list(auth, teamId),
    ]);
    if (this.stopped) return;
    this.staleS = team.staleSeconds;
    for (const m of members) this.callsigns.set(m.id, m.callsign);
    for (const p of positions) this.position(p);
    for (const a of alerts) this.alertChanged('raised', a);
    const operationId = active?.id ?? null;
    for (const c of contacts) {
      if (c.operationId === operationId && c.withdrawn < c.count) this.contact(c, active?.mode ?? 'real');
    }
    const queued = this.pending ?? [];
    this.pending = null;
    for (const msg of queued) this.deliver(msg);
    this.timer = setInterval(() => this.resend(), this.o.resendMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.emergencies.clear();
  }

  private deliver(msg: LiveMessage): void {
    try {
      if (msg.type === 'positions') for (const p of newestFrame(msg).positions) this.position(p);
      else if (msg.type === 'position') this.position(msg.position);
      else if (msg.type === 'event') this.event(msg.event);
      // Howl's own `alert.reminder`s are for the web app: TAK clients get this gateway's re-sends.
    } catch (err) {
      this.o.log.error({ err, member: this.o.member.callsign }, 'cot: could not send a live message');
    }
  }

  private event(e: LiveEvent): void {
    switch (e.type) {
      case 'alert.updated':
        this.alertChanged(e.change, e.alert);
        return;
      case 'contact.updated':
        this.contact(e.contact, e.mode === 'exercise' ? 'exercise' : 'real');
        return;
      case 'member.added':
      case 'member.updated':
        this.callsigns.set(e.member.id, e.member.callsign);
        return;
      case 'member.removed':
        if (e.memberId === this.self) this.o.close('member removed');
        else this.callsigns.delete(e.memberId);
        return;
      case 'team.updated':
        this.staleS = e.team.staleSeconds;
        return;
      case 'message.posted':
        this.message(e.message);
        return;
      default:
        return;
    }
  }

  private position(p: Position): void {
    this.lastKnown.set(p.memberId, { lat: p.lat, lon: p.lon });
    // A client knows where it is: its own position would only draw a second marker of itself.
    if (p.memberId === this.self) return;
    const callsign = this.callsigns.get(p.memberId) ?? `HOWL-${p.memberId.slice(0, 4)}`;
    this.o.send(memberSa(p, callsign, this.staleS, this.o.now));
  }

  /** Team messages as GeoChat; not on connect (TAK clients keep their own chat history). */
  private message(m: Message): void {
    // The client shows its own GeoChat already; the same member writing in the console is news to it.
    if (m.source === 'tak' && m.senderId === this.self) return;
    this.o.send(buildGeoChat(m));
  }

  private contact(c: Contact, mode: Mode): void {
    // The member's own marker is already on their map.
    if (c.reportedBy === this.self) return;
    const xml = buildHostile({ contact: c, mode, now: this.o.now() });
    if (xml) this.o.send(xml);
  }

  private alertChanged(change: 'raised' | 'acknowledged' | 'cancelled' | 'resolved', a: Alert): void {
    // The member's own alarm is already showing on their device; a condition (separated, silent…) goes
    // only to leaders and the member it is about, as on the field page.
    if (a.senderId === this.self) return;
    if (!concerns(a, { memberId: this.self, role: this.o.member.auth.role })) return;
    if (change === 'raised' && a.state === 'active') {
      this.emergencies.set(a.id, a);
      this.sendEmergency(a);
    } else if (change === 'acknowledged') {
      if (!this.emergencies.has(a.id)) return;
      if (a.acknowledgements.some((k) => k.memberId === this.self)) this.emergencies.delete(a.id);
      else this.emergencies.set(a.id, a);
    } else if (change === 'cancelled' || change === 'resolved') {
      this.emergencies.delete(a.id);
      const where = this.where(a);
      if (where) this.o.send(buildEmergencyCancel({ alert: a, where, now: this.o.now() }));
    }
  }

  private resend(): void {
    for (const a of this.emergencies.values()) this.sendEmergency(a);
  }

  private sendEmergency(a: Alert): void {
    const where = this.where(a);
    if (!where) {
      this.o.log.debug({ alertId: a.id }, 'cot: alert without a position not sent to TAK');
      return;
    }
    // Live a little longer than two re-sends, so the marker does not flicker between them.
    const staleS = Math.ceil((this.o.resendMs * 2) / 1000) + 5;
    this.o.send(buildEmergency({ alert: a, where, now: this.o.now(), staleS }));
  }

  private where(a: Alert): LatLon | undefined {
    const who = a.subjectId ?? a.senderId;
    return a.position ?? (who ? this.lastKnown.get(who) : undefined);
  }
}
