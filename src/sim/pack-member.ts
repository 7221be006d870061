import type { Alert } from '../contract/alerts.ts';
import type { LiveMessage } from '../contract/live.ts';
import type { Point } from '../domain/geo.ts';
import { CotClient } from './clients/cot.ts';
import { ApiError, FieldApi } from './clients/field-api.ts';
import { LiveFeed } from './clients/live-feed.ts';
import { OsmAndClient } from './clients/osmand.ts';
import { OwnTracksClient } from './clients/owntracks.ts';
import { DEFAULT_GPS, type Fix, GPS_START, type GpsOptions, type GpsState, readFix } from './gps.ts';
import { advance, createWalker, type Gait, goTo, halt, pause, type Walker } from './movement.ts';
import { forkRng, type Rng, uniform } from './random.ts';
import type { Actor, World } from './world.ts';

/** How a simulated phone sends its positions: the field page, Traccar Client, a TAK client, or OwnTracks (HTTP mode). */
export type Gateway = 'field' | 'osmand' | 'cot' | 'owntracks';

export interface Connection {
  apiUrl: string;
  osmandUrl: string;
  cot?: { host: string; port: number };
}

export interface MemberCredentials {
  memberId: string;
  callsign: string;
  token: string;
  device: string;
}

export interface PackMemberOptions {
  gateway: Gateway;
  start: Point;
  /** Story seconds between position reports (Traccar Client's interval, the field page's rate). */
  reportEveryS: number;
  /** Real time between two reports at the least, however fast the story runs. */
  minReportGapMs?: number;
  gps?: GpsOptions;
}

/** Which alerts a member acknowledges: all by default; a runner sure it is all part of the drill, none. */
export type AckPolicy = (alert: Alert) => boolean;

const ackAll: AckPolicy = () => true;

/**
 * One simulated member: a person moving through the woods with a phone that reports positions through
 * a gateway, and the field page open on the live feed, acknowledging alerts like a person would.
 */
export class PackMember implements Actor {
  walker: Walker;
  readonly api: FieldApi;
  readonly feed: LiveFeed;
  readonly positions = { sent: 0, stored: 0, lost: 0, failed: 0 };
  /** First receipt of each raised alert, in real ms. */
  readonly receipts = new Map<string, { alert: Alert; atMs: number }>();
  /** Re-sends naming this member, per alert. */
  readonly reminders = new Map<string, number>();
  /** Seconds from receipt to an acknowledged answer, per alert. */
  readonly ackSeconds = new Map<string, number>();
  readonly errors: string[] = [];
  /** Called for each alert this member's phone shows for the first time. */
  readonly alertListeners: Array<(alert: Alert) => void> = [];
  private readonly osmand?: OsmAndClient;
  private readonly cot?: CotClient;
  /** The OwnTracks app, when the phone reports through it. */
  readonly owntracks?: OwnTracksClient;
  private gps: GpsState = GPS_START;
  private readonly gpsOptions: GpsOptions;
  private nextReportS = 0;
  private lastSentMs = 0;
  private inFlight = false;
  private lastSend: Promise<void> = Promise.resolve();
  private battery: number;
  private ackPolicy: AckPolicy = ackAll;
  private readonly ackScheduled = new Set<string>();
  private readonly moveRng: Rng;

  constructor(
    readonly creds: MemberCredentials,
    readonly name: string,
    private readonly world: World,
    private readonly rng: Rng,
    conn: Connection,
    private readonly opts: PackMemberOptions,
  ) {
    // Movement draws from its own sequence, so that a seeded story moves everyone the same way at any speed.
    this.moveRng = forkRng(rng);
    this.walker = createWalker(opts.start, { headingDeg: uniform(rng, 0, 360) });
    this.gpsOptions = opts.gps ?? DEFAULT_GPS;
    this.battery = uniform(rng, 55, 95);
    this.nextReportS = uniform(rng, 0, opts.reportEveryS);
    this.api = new FieldApi(conn.apiUrl, creds.token);
    if (opts.gateway === 'osmand') this.osmand = new OsmAndClient(conn.osmandUrl, creds.device);
    if (opts.gateway === 'cot') {
      if (!conn.cot) throw new Error(`${creds.callsign}: no CoT port to report to`);
      this.cot = new CotClient(conn.cot.host, conn.cot.port, creds.device, creds.callsign);
    }
    if (opts.gateway === 'owntracks') {
      // The app's user and device names: the device is registered as `USER-DEVICE` (`allison-phone`).
      const dash = creds.device.indexOf('-');
      if (dash <= 0)
        throw new Error(`${creds.callsign}: an OwnTracks device is USER-DEVICE, not ${creds.device}`);
      this.owntracks = new OwnTracksClient(
        conn.apiUrl,
        creds.callsign,
        creds.token,
        creds.device.slice(0, dash),
        creds.device.slice(dash + 1),
      );
    }
    this.feed = new LiveFeed(conn.apiUrl, creds.token, {
      keep: (m) => m.type !== 'position' || m.position.memberId !== creds.memberId,
      onMessage: (m, at) => this.onLive(m, at),
    });
  }

  get callsign(): string {
    return this.creds.callsign;
  }

  get gateway(): Gateway {
    return this.opts.gateway;
  }

  get pos(): Point {
    return this.walker.pos;
  }

  goTo(waypoints: readonly Point[], gait: Gait): void {
    this.walker = goTo(this.walker, waypoints, gait, this.moveRng);
  }

  hold(seconds: number): void {
    this.walker = pause(this.walker, seconds);
  }

  stopHere(): void {
    this.walker = halt(this.walker);
  }

  arrived(): boolean {
    return this.walker.waypoints.length === 0;
  }

  /** From now on, acknowledges the alerts `policy` accepts, including those received already and still open. */
  acknowledges(policy: AckPolicy, delayS: [number, number] = [2, 8]): void {
    this.ackPolicy = policy;
    for (const { alert } of this.receipts.values()) this.maybeAck(alert, delayS);
  }

  step(dtS: number): void {
    this.walker = advance(this.walker, dtS, this.moveRng);
    this.battery = Math.max(5, this.battery - dtS / 1200);
  }

  afterTick(): void {
    const nowMs = Date.now();
    if (this.inFlight || this.world.elapsedS < this.nextReportS) return;
    if (nowMs - this.lastSentMs < (this.opts.minReportGapMs ?? 500)) return;
    this.nextReportS = this.world.elapsedS + this.opts.reportEveryS * uniform(this.rng, 0.9, 1.1);
    const r = readFix(this.walker, this.gps, this.gpsOptions, this.rng);
    this.gps = r.state;
    if (!r.fix) {
      this.positions.lost++;
      return;
    }
    const fix = r.fix;
    this.inFlight = true;
    this.lastSentMs = nowMs;
    this.positions.sent++;
    const time = new Date(nowMs);
    const sent = this.report(fix, time);
    this.lastSend = sent
      .then((status) => {
        if (status === 200) this.positions.stored++;
        else {
          this.positions.failed++;
          this.errors.push(`position refused: ${status}`);
        }
      })
      .catch((e: unknown) => {
        this.positions.failed++;
        this.errors.push(`position not sent: ${(e as Error).message}`);
      })
      .finally(() => {
        this.inFlight = false;
      });
  }

  private report(fix: Fix, time: Date): Promise<number> {
    switch (this.opts.gateway) {
      case 'field':
        return this.api.reportPosition(fix, time, this.battery);
      case 'osmand':
        return (this.osmand as OsmAndClient).send(fix, time, this.battery);
      case 'owntracks':
        return (this.owntracks as OwnTracksClient).send(fix, time, this.battery);
      case 'cot':
        return (this.cot as CotClient).send(fix, time).then(() => 200);
    }
  }

  /** Resolves once the report in flight (if any) has been answered. */
  settled(): Promise<void> {
    return this.lastSend;
  }

  /** Whether this member's feed has received the raised alert `alertId`. */
  received(alertId: string): boolean {
    return this.receipts.has(alertId);
  }

  /** The live messages received so far that match. */
  seen(predicate: (m: LiveMessage) => boolean): LiveMessage[] {
    return this.feed.messages.filter(predicate);
  }

  close(): void {
    this.cot?.close();
    void this.feed.close();
  }

  private onLive(m: LiveMessage, atMs: number): void {
    if (m.type === 'event' && m.event.type === 'alert.updated' && m.event.change === 'raised') {
      const alert = m.event.alert;
      if (!this.receipts.has(alert.id)) {
        this.receipts.set(alert.id, { alert, atMs });
        for (const l of this.alertListeners) l(alert);
      }
      this.maybeAck(alert);
    } else if (m.type === 'alert.reminder' && m.memberIds.includes(this.creds.memberId)) {
      this.reminders.set(m.alertId, (this.reminders.get(m.alertId) ?? 0) + 1);
      if (!this.receipts.has(m.alertId)) this.receipts.set(m.alertId, { alert: m.alert, atMs });
      this.maybeAck(m.alert);
    }
  }

  private maybeAck(alert: Alert, delayS: [number, number] = [2, 8]): void {
    if (this.ackScheduled.has(alert.id) || !this.ackPolicy(alert)) return;
    this.ackScheduled.add(alert.id);
    this.world.after(uniform(this.rng, delayS[0], delayS[1]), () => void this.ack(alert.id));
  }

  private async ack(alertId: string): Promise<void> {
    try {
      await this.api.ack(alertId);
      const receipt = this.receipts.get(alertId);
      if (receipt) this.ackSeconds.set(alertId, (Date.now() - receipt.atMs) / 1000);
    } catch (e) {
      // Resolved (the condition is over) or closed before the member got to it: nothing to acknowledge.
      if (!(e instanceof ApiError && (e.status === 409 || e.status === 404))) {
        this.errors.push(`ack ${alertId}: ${(e as Error).message}`);
      }
    }
  }
}
