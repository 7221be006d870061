import type { Alert } from '../../contract/alerts.ts';
import { framesMessages, type LiveMessage } from '../../contract/live.ts';
import type { Position } from '../../contract/positions.ts';
import { Roster } from './roster.ts';
import type { OwnTracksServices } from './services.ts';

/** What an HTTP answer is built from: the team's roster, each member's latest position, the active alerts. */
export interface TeamView {
  readonly roster: Roster;
  /** memberId → the newest position, kept current from the team's live positions. */
  readonly latest: ReadonlyMap<string, Position>;
  readonly active: readonly Alert[];
}

/** Events after which a team's roster or alerts are read again. */
const CHANGES = new Set([
  'member.added',
  'member.updated',
  'member.removed',
  'alert.updated',
  'token.revoked',
]);

/**
 * Each team's view for OwnTracks HTTP answers, read once and shared by every app that posts, instead of three
 * queries a POST: the roster and the active alerts are read again after a change of them (the team's live events,
 * this node's and the cluster's), and at the latest after `maxAgeMs`; the latest positions follow the live
 * positions as they come. An app of a team that posts every few seconds would otherwise cost a read of the whole
 * team each time.
 */
export class TeamViews {
  private readonly views = new Map<
    string,
    { view: Promise<TeamView>; until: number; latest: Map<string, Position> }
  >();
  /** The teams whose live messages this follows (each since its first POST). */
  private readonly following = new Map<string, () => void>();

  constructor(
    private readonly services: OwnTracksServices,
    private readonly maxAgeMs = 5000,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  get(teamId: string): Promise<TeamView> {
    if (!this.following.has(teamId)) {
      this.following.set(
        teamId,
        this.services.bus.subscribe(teamId, (msg) => this.heard(teamId, msg)),
      );
    }
    const hit = this.views.get(teamId);
    if (hit && hit.until > this.nowMs()) return hit.view;
    const latest = new Map<string, Position>();
    const entry = { view: this.load(teamId, latest), until: this.nowMs() + this.maxAgeMs, latest };
    this.views.set(teamId, entry);
    entry.view.catch(() => {
      if (this.views.get(teamId) === entry) this.views.delete(teamId);
    });
    return entry.view;
  }

  /** Reads the team again on the next request (a member the cached roster does not know may be new). */
  forget(teamId: string): void {
    this.views.delete(teamId);
  }

  close(): void {
    for (const stop of this.following.values()) stop();
    this.following.clear();
    this.views.clear();
  }

  private async load(teamId: string, latest: Map<string, Position>): Promise<TeamView> {
    const admin = { kind: 'admin' } as const;
    const [members, positions, active] = await Promise.all([
      this.services.members.list(admin, teamId),
      this.services.positions.latestList(admin, teamId),
      this.services.alerts.activeAlerts(teamId),
    ]);
    // Positions heard while the read was under way are newer than what it found, unless it found newer.
    for (const p of positions) keepNewer(latest, p);
    return { roster: new Roster(teamId, members), latest, active };
  }

  private heard(teamId: string, msg: LiveMessage): void {
    const entry = this.views.get(teamId);
    if (!entry) return;
    if (msg.type === 'event' && CHANGES.has(msg.event.type)) {
      this.views.delete(teamId);
      return;
    }
    for (const m of framesMessages(msg)) if (m.type === 'position') keepNewer(entry.latest, m.position);
  }
}

function keepNewer(latest: Map<string, Position>, p: Position): void {
  const had = latest.get(p.memberId);
  if (!had || Date.parse(had.time) <= Date.parse(p.time)) latest.set(p.memberId, p);
}
