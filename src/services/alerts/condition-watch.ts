import type { Kysely } from 'kysely';
import { arrivedMembers } from '../../domain/callout-arrival.ts';
import { type BeyondSince, decideConditionAlerts } from '../../domain/condition-debounce.ts';
import { type ConditionType, evaluateConditions } from '../../domain/conditions.ts';
import type { Point } from '../../domain/geo.ts';
import type { TimedPoint } from '../../domain/man-down.ts';
import { teamMode } from '../../domain/mode.ts';
import { isStale } from '../../domain/presence.ts';
import { conditionAlertsOf, getAlert } from '../../store/alerts.repo.ts';
import { listCalloutResponses } from '../../store/incidents.repo.ts';
import { listMembers } from '../../store/members.repo.ts';
import { getOperation, listParticipants, type OperationRow } from '../../store/operations.repo.ts';
import { latestPositions, positionsSince } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { TeamRow } from '../../store/teams.repo.ts';
import type { MonitorActions } from './alert-monitor.ts';

const CONDITIONS: readonly ConditionType[] = ['separation', 'no_report', 'geofence', 'man_down'];

/** Man-down reads minutes of fixes: often enough for a rule counted in minutes, not every second. */
const MAN_DOWN_CHECK_MS = 10_000;

const timeMs = (d: Date | string) => new Date(d).getTime();

/**
 * What the monitor remembers about one operation between ticks: the clocks of members beyond a limit
 * (the minimum duration before raising), who has arrived at a callout, where the incident is, and when
 * man-down was last read. Kept in memory: a restart only starts the clocks again.
 */
export class OperationWatch {
  private beyondSince: BeyondSince = new Map();
  private arrived = new Set<string>();
  private scene: Point | null | undefined;
  private manDownCheckedAt: number | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly actions: MonitorActions,
  ) {}

  /** Evaluates the operation's conditions at `nowMs` and raises and resolves its condition alerts. */
  async run(op: OperationRow, team: TeamRow, nowMs: number): Promise<void> {
    const teamId = op.team_id;
    // An incident escalated from an exercise keeps watching from the exercise's start.
    const exercise = op.escalated_from ? await getOperation(this.db, op.escalated_from) : undefined;
    const watchSinceMs = timeMs(exercise?.started_at ?? op.started_at ?? op.created_at);
    const [members, latestRows, participants, exerciseParticipants, existing] = await Promise.all([
      listMembers(this.db, teamId),
      latestPositions(this.db, teamId),
      listParticipants(this.db, op.id),
      exercise ? listParticipants(this.db, exercise.id) : Promise.resolve([]),
      conditionAlertsOf(this.db, teamId, op.id, CONDITIONS),
    ]);
    const latest = new Map<string, TimedPoint>(
      latestRows.map((p) => [p.member_id, { lat: p.lat, lon: p.lon, timeMs: timeMs(p.time) }]),
    );
    const part = new Set([...participants, ...exerciseParticipants].map((p) => p.memberId));
    const watched = members
      .map((m) => m.id)
      .filter((id) => part.has(id) || (latest.get(id)?.timeMs ?? Number.NEGATIVE_INFINITY) >= watchSinceMs);
    const mode = teamMode(op);
    const refs = existing.map((a) => ({
      id: a.id,
      type: a.type as ConditionType,
      subjectId: a.subject_id,
      state: a.state,
    }));
    const conditions = evaluateConditions({
      nowMs,
      watched,
      latest,
      recent: await this.recentFixes(team, watchSinceMs, nowMs),
      watchSinceMs,
      staleS: team.stale_seconds,
      separationM: team.separation_m,
      area: op.area,
      manDownMinutes: team.man_down_minutes,
      drillRoles:
        mode === 'exercise'
          ? new Map(participants.map((p) => [p.memberId, p.role]))
          : new Map<string, string>(),
      arrived: isCallout(op) ? await this.arrivedAtCallout(op, team, watched, latest, refs, nowMs) : null,
    });
    const decision = decideConditionAlerts(conditions, refs, this.beyondSince, nowMs);
    this.beyondSince = decision.beyondSince;
    for (const { type, finding } of decision.raise) {
      await this.actions.raise(teamId, {
        type,
        mode,
        operationId: op.id,
        senderId: null,
        subjectId: finding.memberId,
        position: finding.position,
        text: finding.text,
      });
    }
    for (const id of decision.resolve) await this.actions.resolve(teamId, id);
  }

  private async arrivedAtCallout(
    op: OperationRow,
    team: TeamRow,
    watched: readonly string[],
    latest: ReadonlyMap<string, TimedPoint>,
    refs: ReadonlyArray<{ type: ConditionType; subjectId: string | null; state: string }>,
    nowMs: number,
  ): Promise<Set<string>> {
    const answers = await listCalloutResponses(this.db, op.id);
    // A member with a separation alert up had arrived (this node may have restarted since).
    const before = new Set(this.arrived);
    for (const a of refs) if (a.type === 'separation' && a.subjectId) before.add(a.subjectId);
    this.arrived = arrivedMembers({
      before,
      answeredArrived: new Set(answers.filter((r) => r.status === 'arrived').map((r) => r.member_id)),
      responding: new Set(answers.filter((r) => r.status !== 'unavailable').map((r) => r.member_id)),
      fresh: watched.flatMap((id) => {
        const p = latest.get(id);
        return p && !isStale(p.timeMs, nowMs, team.stale_seconds) ? [{ ...p, memberId: id }] : [];
      }),
      scene: await this.sceneOf(op),
      limitM: team.separation_m,
    });
    return this.arrived;
  }

  /** The incident's position: where its escalation alert says it was declared (or the callout's rendezvous). */
  private async sceneOf(op: OperationRow): Promise<Point | null> {
    if (this.scene !== undefined) return this.scene;
    const [raised] = await conditionAlertsOf(this.db, op.team_id, op.id, ['escalation']);
    if (!raised) return null; // not raised yet: look again next time
    const a = await getAlert(this.db, raised.id);
    this.scene = a && a.lat !== null && a.lon !== null ? { lat: a.lat, lon: a.lon } : null;
    return this.scene;
  }

  /** Each member's fixes over the man-down window (and the one before it), or null when not due. */
  private async recentFixes(
    team: TeamRow,
    watchSinceMs: number,
    nowMs: number,
  ): Promise<Map<string, TimedPoint[]> | null> {
    const minutes = team.man_down_minutes;
    if (minutes === null) return null;
    const last = this.manDownCheckedAt;
    if (last !== undefined && nowMs - last < MAN_DOWN_CHECK_MS) return null;
    this.manDownCheckedAt = nowMs;
    // A member reporting steadily has a fix within the stale limit before the window starts.
    const fromMs = Math.max(watchSinceMs, nowMs - minutes * 60_000 - team.stale_seconds * 1000);
    const out = new Map<string, TimedPoint[]>();
    for (const p of await positionsSince(this.db, team.id, new Date(fromMs))) {
      const fix = { lat: p.lat, lon: p.lon, timeMs: timeMs(p.time) };
      const list = out.get(p.member_id);
      if (list) list.push(fix);
      else out.set(p.member_id, [fix]);
    }
    return out;
  }
}

/** A callout: an incident that did not interrupt an exercise, so its members start from wherever they are. */
function isCallout(op: OperationRow): boolean {
  return op.kind === 'incident' && op.escalated_from === null;
}
