import type { Alert } from '../../contract/alerts.ts';
import type { LatLon } from '../../contract/common.ts';
import type { LiveEvent, LiveMessage } from '../../contract/live.ts';
import type { Operation } from '../../contract/operations.ts';
import type { Position } from '../../contract/positions.ts';
import { triageClass } from '../../domain/triage.ts';
import { deviceAuth } from '../../services/core/auth.ts';
import type { DeviceOwner } from '../../services/devices/device-directory.ts';
import { type AreaSource, areaOfRow, areaRegion, setWaypointsCmd } from './area.ts';
import { alertTransition, cardMessage, locationMessage } from './build.ts';
import { memberTopic, teamKey, teamSpace } from './identity.ts';
import type { OwnTracksLogger } from './logger.ts';
import { HOWL_TID, loadRoster, type Roster } from './roster.ts';
import type { OwnTracksServices } from './services.ts';

/** Sends one message to the broker (QoS 1); retained ones replace the topic's last message. */
export type Publish = (topic: string, payload: string, retain: boolean) => void;

interface Ctx {
  services: OwnTracksServices;
  /** The topic root; each team publishes only under its own space, `ROOT/<team key>`. */
  root: string;
  publish: Publish;
  log: OwnTracksLogger;
  now: () => Date;
}

/**
 * What Howl publishes for the teams whose apps use the broker, each only in its own topic space
 * (`ROOT/<team key>`, see identity.ts), which is what the team's apps subscribe to: each other member's
 * latest location (retained, `ROOT/<team>/howl/<callsign>`) and card (retained, `…/info`), so teammates on
 * the Traccar Client, the field page or TAK appear in OwnTracks, and alerts as transitions (`…/event`, not
 * retained).
 * Members whose own app publishes in the team's space are left out: they are already there under their own
 * topic, and a second marker of the same person would only confuse.
 */
export class OwnTracksMqttOutbound {
  private readonly teams = new Map<string, TeamPublisher>();
  /** Team key → team id: two teams never share a space, however unlikely equal keys are. */
  private readonly spaces = new Map<string, string>();

  constructor(private readonly ctx: Ctx) {}

  /**
   * A registered device spoke on the broker: its team is published from now on. From `appTopic` (its
   * `ROOT/<team>/USER/DEVICE`) the member is on the broker already, so Howl's copy of them goes, and the app
   * gets the running exercise's area as a region; without one (an app still on the shared layout of earlier
   * versions) Howl keeps publishing the member to the team and sends that app nothing.
   */
  async seen(owner: DeviceOwner, appTopic?: string): Promise<void> {
    let team = this.teams.get(owner.teamId);
    if (team) {
      if (appTopic) team.onBroker(owner.memberId, appTopic);
      return;
    }
    const key = teamKey(owner.teamId);
    const holder = this.spaces.get(key);
    if (holder !== undefined && holder !== owner.teamId)
      throw new Error(`owntracks: teams ${holder} and ${owner.teamId} have the same topic key ${key}`);
    team = new TeamPublisher(this.ctx, owner.teamId, owner.memberId);
    this.teams.set(owner.teamId, team);
    this.spaces.set(key, owner.teamId);
    if (appTopic) team.onBroker(owner.memberId, appTopic);
    this.ctx.log.info(
      { teamId: owner.teamId, topic: team.space },
      `owntracks: publishing the team under ${team.space}`,
    );
    try {
      await team.start();
    } catch (err) {
      // Tried again when the team's next app speaks.
      team.stop();
      this.teams.delete(owner.teamId);
      this.spaces.delete(key);
      throw err;
    }
  }

  /** After a reconnect: the broker may have restarted without its retained messages. */
  async republish(): Promise<void> {
    for (const t of this.teams.values()) await t.snapshot();
  }

  stop(): void {
    for (const t of this.teams.values()) t.stop();
    this.teams.clear();
    this.spaces.clear();
  }
}

class TeamPublisher {
  /** The team's topic space, `ROOT/<team key>`: nothing of the team is published elsewhere. */
  readonly space: string;
  private roster?: Roster;
  private readonly onBrokerIds = new Set<string>();
  /** Members with a retained location and card of Howl's on the broker. */
  private readonly published = new Set<string>();
  private readonly lastKnown = new Map<string, LatLon>();
  /** The team's apps on the broker (`ROOT/<team>/USER/DEVICE`), and the exercise whose area each was sent. */
  private readonly apps = new Map<string, string | null>();
  private pending: LiveMessage[] | null = [];
  private unsubscribe?: () => void;
  private ready?: Promise<void>;

  constructor(
    private readonly ctx: Ctx,
    private readonly teamId: string,
    /** A member of the team, to read it as. */
    private readonly asMemberId: string,
  ) {
    this.space = teamSpace(ctx.root, teamId);
  }

  start(): Promise<void> {
    this.unsubscribe = this.ctx.services.bus.subscribe(this.teamId, (msg) => {
      if (this.pending) this.pending.push(msg);
      else this.deliver(msg);
    });
    this.ready ??= this.snapshot().finally(() => {
      const queued = this.pending ?? [];
      this.pending = null;
      for (const msg of queued) this.deliver(msg);
    });
    return this.ready;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Every member's latest position, published again (retained). */
  async snapshot(): Promise<void> {
    const { services } = this.ctx;
    this.roster = await loadRoster(services, this.teamId, this.asMemberId);
    const latest = await services.positions.latestList(deviceAuth(this.asMemberId, this.teamId), this.teamId);
    this.published.clear();
    for (const p of latest) this.position(p);
    const op = await services.active.get(this.teamId);
    this.area(
      op && { id: op.id, kind: op.kind, name: op.name, area: areaOfRow(op.area), createdAt: op.created_at },
    );
  }

  /** The member's own app is in the team's space (`appTopic`): take Howl's copy of them off it. */
  onBroker(memberId: string, appTopic: string): void {
    if (!appTopic.startsWith(`${this.space}/`)) return;
    if (!this.apps.has(appTopic)) {
      this.apps.set(appTopic, null);
      // Started already: the new app gets the area now (else the snapshot sends it).
      if (this.pending === null) void this.areaNow();
    }
    if (this.onBrokerIds.has(memberId)) return;
    this.onBrokerIds.add(memberId);
    if (this.published.delete(memberId)) this.clear(memberId);
  }

  private deliver(msg: LiveMessage): void {
    try {
      if (msg.type === 'position') this.position(msg.position);
      else if (msg.type === 'event') this.event(msg.event);
    } catch (err) {
      this.ctx.log.error({ err, teamId: this.teamId }, 'owntracks: could not publish a live message');
    }
  }

  private event(e: LiveEvent): void {
    switch (e.type) {
      case 'alert.updated':
        if (e.change !== 'acknowledged') this.alert(e.alert, e.change);
        return;
      case 'operation.updated':
        if (e.change === 'started' || e.change === 'resumed') this.area(areaSourceOf(e.operation));
        return;
      case 'member.added':
      case 'member.updated':
        void this.reloadRoster();
        return;
      case 'member.removed':
        if (this.published.delete(e.memberId)) this.clear(e.memberId);
        void this.reloadRoster();
        return;
      default:
        return;
    }
  }

  private position(p: Position): void {
    this.lastKnown.set(p.memberId, { lat: p.lat, lon: p.lon });
    if (this.onBrokerIds.has(p.memberId)) return;
    const m = this.roster?.get(p.memberId);
    if (!m) return;
    const topic = memberTopic(this.space, m.callsign);
    if (!this.published.has(m.id))
      this.ctx.publish(`${topic}/info`, JSON.stringify(cardMessage(m.callsign, m.tid)), true);
    this.ctx.publish(topic, JSON.stringify(locationMessage(p, m.tid)), true);
    this.published.add(m.id);
  }

  private alert(a: Alert, change: 'raised' | 'cancelled' | 'resolved'): void {
    // Every app of the team reads this topic space: a condition alert (separated, silent…), which is only for
    // leaders and the member it is about, is not published here (the console and the field page show it).
    if (triageClass(a.type) === 'condition') return;
    const who = a.subjectId ?? a.senderId;
    const where = a.position ?? (who ? this.lastKnown.get(who) : undefined);
    const tid = this.roster?.tidOf(a.senderId) ?? HOWL_TID;
    const msg = alertTransition(a, change, { tid, where, now: this.ctx.now() });
    this.ctx.publish(`${memberTopic(this.space, a.sender)}/event`, JSON.stringify(msg), false);
  }

  /**
   * The running exercise's area, as a region, to each app that has not had it (`setWaypoints` on the app's
   * own `…/cmd` topic; the app takes it when remote commands are enabled). Not retained: a retained command
   * would be taken again at every reconnect.
   */
  private area(op: (AreaSource & { id: string }) | undefined): void {
    const region = op && areaRegion(op);
    if (!op || !region) return;
    const payload = JSON.stringify(setWaypointsCmd(region));
    for (const [topic, sent] of this.apps) {
      if (sent === op.id) continue;
      this.ctx.publish(`${topic}/cmd`, payload, false);
      this.apps.set(topic, op.id);
    }
  }

  private async areaNow(): Promise<void> {
    try {
      const op = await this.ctx.services.active.get(this.teamId);
      this.area(
        op && { id: op.id, kind: op.kind, name: op.name, area: areaOfRow(op.area), createdAt: op.created_at },
      );
    } catch (err) {
      this.ctx.log.error({ err, teamId: this.teamId }, 'owntracks: could not send the exercise area');
    }
  }

  /** An empty retained message deletes the topic's last one; the apps drop the friend. */
  private clear(memberId: string): void {
    const m = this.roster?.get(memberId);
    if (!m) return;
    const topic = memberTopic(this.space, m.callsign);
    this.ctx.publish(topic, '', true);
    this.ctx.publish(`${topic}/info`, '', true);
  }

  private async reloadRoster(): Promise<void> {
    try {
      this.roster = await loadRoster(this.ctx.services, this.teamId, this.asMemberId);
    } catch (err) {
      this.ctx.log.error({ err, teamId: this.teamId }, 'owntracks: could not read the team');
    }
  }
}

function areaSourceOf(op: Operation): (AreaSource & { id: string }) | undefined {
  return op.state === 'running'
    ? { id: op.id, kind: op.kind, name: op.name, area: op.area, createdAt: op.createdAt }
    : undefined;
}
