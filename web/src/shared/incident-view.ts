import type { RollCall, RollCallAnswer, RollCallStatus } from '../../../src/contract/incidents.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { type Accountability, accountability, latestAnswers } from '../../../src/domain/roll-call.ts';

/** Who is accounted for in a roll call at `nowMs` (the domain's rule over the contract's shape). */
export function accountabilityOf(rc: RollCall, nowMs: number): Accountability {
  return accountability({ ...rc, deadlineMs: Date.parse(rc.deadlineAt) }, nowMs);
}

/** "5 of 6 accounted". */
export function accountedText(acc: Accountability): string {
  return `${acc.accounted.length} of ${acc.total} accounted`;
}

/** A member's latest answer in the roll call, if any. */
export function latestAnswerOf(rc: RollCall, memberId: string): RollCallAnswer | null {
  return latestAnswers(rc.answers).find((a) => a.memberId === memberId) ?? null;
}

/** A member's latest status in the roll call, if they (or someone for them) answered. */
export function answerOf(rc: RollCall, memberId: string): RollCallStatus | null {
  return latestAnswerOf(rc, memberId)?.status ?? null;
}

export const STATUS_WORD: Record<RollCallStatus, string> = {
  ok: 'OK',
  injured: 'injured',
  needs_help: 'needs help',
  missing: 'MISSING',
};

export function isIncident(op: Operation | null): op is Operation {
  return op?.kind === 'incident' && op.state === 'open';
}

/** "12:04" for a duration in seconds: minutes and seconds, hours when long. */
export function formatClock(totalS: number): string {
  const s = Math.max(0, Math.floor(totalS));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
