import { MIN_BEYOND_S } from './condition-limits.ts';
import type { ConditionState, ConditionType, Finding } from './conditions.ts';

/** When each member was first found beyond a condition's limit, without a break: `type:memberId` → ms. */
export type BeyondSince = ReadonlyMap<string, number>;

/** A condition alert of the operation, active or cancelled (a cancelled one is not raised again). */
export interface ConditionAlertRef {
  readonly id: string;
  readonly type: ConditionType;
  readonly subjectId: string | null;
  readonly state: 'active' | 'cancelled' | 'resolved';
}

export interface ConditionDecision {
  readonly raise: ReadonlyArray<{ type: ConditionType; finding: Finding }>;
  /** Ids of active alerts whose member is clear of the condition. */
  readonly resolve: readonly string[];
  /** The clocks to keep for the next evaluation. */
  readonly beyondSince: Map<string, number>;
}

const key = (type: ConditionType, memberId: string) => `${type}:${memberId}`;

/**
 * What to raise and resolve at `nowMs`: an alert is raised once its member has been beyond the limit for
 * `minBeyondS` without a break (a reading back inside the limit starts the clock again; an unknown one
 * leaves it running), at most one per member and condition while it lasts, never again once cancelled in
 * the operation; an active alert resolves only when its member is clear (inside the resolve threshold).
 */
export function decideConditionAlerts(
  states: Readonly<Record<ConditionType, ConditionState>>,
  existing: readonly ConditionAlertRef[],
  beyondSince: BeyondSince,
  nowMs: number,
  minBeyondS = MIN_BEYOND_S,
): ConditionDecision {
  const raise: Array<{ type: ConditionType; finding: Finding }> = [];
  const resolve: string[] = [];
  const next = new Map<string, number>();
  for (const type of Object.keys(states) as ConditionType[]) {
    const { on, band, unknown } = states[type];
    const alerts = existing.filter((a) => a.type === type && a.state !== 'resolved');
    for (const id of unknown) {
      const since = beyondSince.get(key(type, id));
      if (since !== undefined) next.set(key(type, id), since);
    }
    for (const f of on) {
      const since = beyondSince.get(key(type, f.memberId)) ?? nowMs;
      next.set(key(type, f.memberId), since);
      if (alerts.some((a) => a.subjectId === f.memberId)) continue;
      if (nowMs - since >= minBeyondS * 1000) raise.push({ type, finding: f });
    }
    const lasting = new Set([...on.map((f) => f.memberId), ...band, ...unknown]);
    for (const a of alerts) {
      if (a.state === 'active' && !(a.subjectId && lasting.has(a.subjectId))) resolve.push(a.id);
    }
  }
  return { raise, resolve, beyondSince: next };
}
