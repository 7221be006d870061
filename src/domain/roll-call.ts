import type { RollCallStatus } from './vocabulary.ts';

export interface RollCallCore {
  readonly memberIds: readonly string[];
  readonly deadlineMs: number;
  readonly answers: ReadonlyArray<{ memberId: string; status: RollCallStatus }>;
}

export interface Accountability {
  /** Members who answered ok, injured or needs help (they are found). */
  accounted: string[];
  /** Members not answered past the deadline, or reported missing. */
  unaccounted: string[];
  /** Members not answered yet, before the deadline. */
  pending: string[];
  total: number;
}

/** The latest answer of each member (answers in the order given), in the order members first answered. */
export function latestAnswers<A extends { readonly memberId: string }>(answers: readonly A[]): A[] {
  const latest = new Map<string, A>();
  for (const a of answers) latest.set(a.memberId, a);
  return [...latest.values()];
}

/** Who is accounted for in a roll call at `nowMs` (answers oldest first; the latest counts). */
export function accountability(rc: RollCallCore, nowMs: number): Accountability {
  const latest = new Map<string, RollCallStatus>();
  for (const a of latestAnswers(rc.answers)) latest.set(a.memberId, a.status);
  const out: Accountability = { accounted: [], unaccounted: [], pending: [], total: rc.memberIds.length };
  for (const id of rc.memberIds) {
    const status = latest.get(id);
    if (status === undefined) (nowMs >= rc.deadlineMs ? out.unaccounted : out.pending).push(id);
    else if (status === 'missing') out.unaccounted.push(id);
    else out.accounted.push(id);
  }
  return out;
}

export type ReminderLevel = 'ok' | 'due' | 'overdue';

/** How urgently the leader should repeat the roll call: due (yellow) after `repeatS`, overdue (red) after twice that. */
export function reminderLevel(lastStartedMs: number, nowMs: number, repeatS: number): ReminderLevel {
  const elapsedS = (nowMs - lastStartedMs) / 1000;
  if (elapsedS >= 2 * repeatS) return 'overdue';
  if (elapsedS >= repeatS) return 'due';
  return 'ok';
}

export type CloseCheck = { ok: true } | { ok: false; reason: string; unaccounted: string[] };

/** Whether an incident may close: every member accounted for, or an explicit override with a reason. */
export function canCloseIncident(acc: Accountability | undefined, override: string | undefined): CloseCheck {
  if (override && override.trim().length >= 3) return { ok: true };
  if (!acc)
    return {
      ok: false,
      reason: 'no roll call was taken: take one, or give an override reason',
      unaccounted: [],
    };
  const open = [...acc.unaccounted, ...acc.pending];
  if (open.length > 0) {
    return {
      ok: false,
      reason: `${open.length} member(s) not accounted for: give an override reason`,
      unaccounted: open,
    };
  }
  return { ok: true };
}
