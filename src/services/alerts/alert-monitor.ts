import type { Kysely } from 'kysely';
import type { Alert } from '../../contract/alerts.ts';
import type { Area } from '../../contract/operations.ts';
import { CONDITION_ALERTS, resendDue, unacknowledged } from '../../domain/alerts.ts';
import { type ConditionType, evaluateConditions } from '../../domain/conditions.ts';
import type { TimedPoint } from '../../domain/man-down.ts';
import { teamMode } from '../../domain/mode.ts';
import {
  activeRealAlerts,
  claimResend,
  conditionAlertsOf,
  orphanedConditionAlerts,
} from '../../store/alerts.repo.ts';
import { listMembers } from '../../store/members.repo.ts';
import {
  activeOperations,
  getOperation,
  listParticipants,
  type OperationRow,
} from '../../store/operations.repo.ts';
import { latestPositions, positionsSince } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam, type TeamRow } from '../../store/teams.repo.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { alertCore } from './alert-mappers.ts';
import { type NewAlert, withAcks } from './alert-records.ts';

/** What the monitor asks the alerts service to do (one transaction and event each). */
export interface MonitorActions {
  raise(teamId: string, input: NewAlert): Promise<Alert>;
  resolve(teamId: string, alertId: string): Promise<void>;
}

/** Man-down reads minutes of fixes: often enough for a rule counted in minutes, not every second. */
const MAN_DOWN_CHECK_MS = 10_000;

const timeMs = (d: Date | string) => new Date(d).getTime();

/**
 * The alert clock: re-sends real alerts to those who have not acknowledged them, and watches
 * every active operation for separated, silent, out-of-area and motionless members.
 */
export class AlertMonitor {
  private readonly manDownCheckedAt = new Map<string, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date,
    private readonly actions: MonitorActions,
  ) {}

  /** Sends each due, active real alert again to the members who have not acknowledged it (its sender too). */
  async resend(): Promise<void> {
    const now = this.now();
    const nowMs = now.getTime();
    const due = (await activeRealAlerts(this.db)).filter((a) =>
      resendDue(
        { type: a.type as Alert['type'], mode: a.mode, state: a.state, timeMs: timeMs(a.time), ackedBy: [] },
        timeMs(a.last_sent_at),
        nowMs,
        a.alert_resend_s,
      ),
    );
    if (due.length === 0) return;
    const alerts = await withAcks(this.db, due);
    const teams = new Map<string, string[]>();
    for (const [i, alert] of alerts.entries()) {
      const row = due[i] as (typeof due)[number];
      let memberIds = teams.get(row.team_id);
      if (!memberIds) {
        memberIds = (await listMembers(this.db, row.team_id)).map((m) => m.id);
        teams.set(row.team_id, memberIds);
      }
      const pending = unacknowledged(alertCore(alert), memberIds);
      if (pending.length === 0) continue;
      const dueBefore = new Date(nowMs - row.alert_resend_s * 1000);
      // Another node (or an overlapping tick) may have sent it already.
      if (!(await claimResend(this.db, row.id, dueBefore, now))) continue;
      this.bus.publish(row.team_id, { type: 'alert.reminder', alertId: alert.id, memberIds: pending, alert });
    }
  }

  /** Raises and resolves the condition alerts of every team with an active operation. */
  async watch(): Promise<void> {
    // The operation ended (or was escalated): its conditions are no longer watched.
    for (const a of await orphanedConditionAlerts(this.db, CONDITION_ALERTS)) {
      await this.actions.resolve(a.team_id, a.id);
    }
    const ops = await activeOperations(this.db);
    for (const id of this.manDownCheckedAt.keys()) {
      if (!ops.some((o) => o.id === id)) this.manDownCheckedAt.delete(id);
    }
    const failures: unknown[] = [];
    for (const op of ops) {
      // One team's failure must not blind the others.
      await this.watchOperation(op).catch((e: unknown) => failures.push(e));
    }
    if (failures.length > 0) throw failures[0];
  }

  private async watchOperation(op: OperationRow): Promise<void> {
    const nowMs = this.now().getTime();
    const teamId = op.team_id;
    const team = await getTeam(this.db, teamId);
    if (!team) return;
    // An incident escalated from an exercise keeps watching from the exercise's start.
    const exercise = op.escalated_from ? await getOperation(this.db, op.escalated_from) : undefined;
    const watchSinceMs = timeMs(exercise?.started_at ?? op.started_at ?? op.created_at);
    const [members, latestRows, participants, exerciseParticipants, existing] = await Promise.all([
      listMembers(this.db, teamId),
      latestPositions(this.db, teamId),
      listParticipants(this.db, op.id),
      exercise ? listParticipants(this.db, exercise.id) : Promise.resolve([]),
      conditionAlertsOf(this.db, teamId, op.id, CONDITION_ALERTS),
    ]);
    const latest = new Map<string, TimedPoint>(
      latestRows.map((p) => [p.member_id, { lat: p.lat, lon: p.lon, timeMs: timeMs(p.time) }]),
    );
    const part = new Set([...participants, ...exerciseParticipants].map((p) => p.memberId));
    const watched = members
      .map((m) => m.id)
      .filter((id) => part.has(id) || (latest.get(id)?.timeMs ?? Number.NEGATIVE_INFINITY) >= watchSinceMs);
    const conditions = evaluateConditions({
      nowMs,
      watched,
      latest,
      recent: await this.recentFixes(op, team, watchSinceMs, nowMs),
      watchSinceMs,
      staleS: team.stale_seconds,
      separationM: team.separation_m,
      area: areaOf(op),
      manDownMinutes: team.man_down_minutes,
    });
    const mode = teamMode(op);
    for (const type of Object.keys(conditions) as ConditionType[]) {
      const { on, unknown } = conditions[type];
      const alerts = existing.filter((a) => a.type === type);
      for (const f of on) {
        // One alert per member while the condition lasts; a cancelled one stays cancelled for the operation.
        if (alerts.some((a) => a.subject_id === f.memberId)) continue;
        await this.actions.raise(teamId, {
          type,
          mode,
          operationId: op.id,
          senderId: null,
          subjectId: f.memberId,
          position: f.position,
          text: f.text,
        });
      }
      const lasting = new Set([...on.map((f) => f.memberId), ...unknown]);
      for (const a of alerts) {
        if (a.state === 'active' && !(a.subject_id && lasting.has(a.subject_id)))
          await this.actions.resolve(teamId, a.id);
      }
    }
  }

  /** Each member's fixes over the man-down window (and the one before it), or null when not due. */
  private async recentFixes(
    op: OperationRow,
    team: TeamRow,
    watchSinceMs: number,
    nowMs: number,
  ): Promise<Map<string, TimedPoint[]> | null> {
    const minutes = team.man_down_minutes;
    if (minutes === null) return null;
    const last = this.manDownCheckedAt.get(op.id);
    if (last !== undefined && nowMs - last < MAN_DOWN_CHECK_MS) return null;
    this.manDownCheckedAt.set(op.id, nowMs);
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

function areaOf(op: OperationRow): Area | null {
  return op.area;
}
