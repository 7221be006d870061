import type { Kysely } from 'kysely';
import type { Alert } from '../../contract/alerts.ts';
import { CONDITION_ALERTS, resendDue, unacknowledged } from '../../domain/alerts.ts';
import { audience } from '../../domain/triage.ts';
import { activeRealAlerts, claimResend, orphanedConditionAlerts } from '../../store/alerts.repo.ts';
import { listMembers, type MemberRow } from '../../store/members.repo.ts';
import { activeOperations, type OperationRow } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { alertCore } from './alert-mappers.ts';
import { type NewAlert, withAcks } from './alert-records.ts';
import { OperationWatch } from './condition-watch.ts';

/** What the monitor asks the alerts service to do (one transaction and event each). */
export interface MonitorActions {
  raise(teamId: string, input: NewAlert): Promise<Alert>;
  resolve(teamId: string, alertId: string): Promise<void>;
}

const timeMs = (d: Date | string) => new Date(d).getTime();

/**
 * The alert clock: re-sends real alerts to those who have not acknowledged them, and watches
 * every active operation for separated, silent, out-of-area and motionless members.
 */
export class AlertMonitor {
  private readonly watches = new Map<string, OperationWatch>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date,
    private readonly actions: MonitorActions,
  ) {}

  /**
   * Sends each due, active real alert again to those it goes to who have not acknowledged it (its sender
   * too): everyone, but a condition alert only to the leaders and the member it is about.
   */
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
    const teams = new Map<string, MemberRow[]>();
    for (const [i, alert] of alerts.entries()) {
      const row = due[i] as (typeof due)[number];
      let members = teams.get(row.team_id);
      if (!members) {
        members = await listMembers(this.db, row.team_id);
        teams.set(row.team_id, members);
      }
      const pending = unacknowledged(alertCore(alert), audience(alert, members));
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
    for (const id of this.watches.keys()) {
      if (!ops.some((o) => o.id === id)) this.watches.delete(id);
    }
    const failures: unknown[] = [];
    for (const op of ops) {
      // One team's failure must not blind the others.
      await this.watchOperation(op).catch((e: unknown) => failures.push(e));
    }
    if (failures.length > 0) throw failures[0];
  }

  private async watchOperation(op: OperationRow): Promise<void> {
    const team = await getTeam(this.db, op.team_id);
    if (!team) return;
    let w = this.watches.get(op.id);
    if (!w) {
      w = new OperationWatch(this.db, this.actions);
      this.watches.set(op.id, w);
    }
    await w.run(op, team, this.now().getTime());
  }
}
