import type { OperationAction, OperationKind, OperationState } from './vocabulary.ts';

/** The part of an operation the rules look at. */
export interface OperationCore {
  readonly kind: OperationKind;
  readonly state: OperationState;
}

export type Transition = { ok: true; state: OperationState } | { ok: false; reason: string };

const EXERCISE_MOVES: Record<OperationAction, Partial<Record<OperationState, OperationState>>> = {
  start: { planned: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running', suspended: 'running' },
  end: { running: 'ended', paused: 'ended', planned: 'ended', suspended: 'ended' },
};

/** The state an exercise moves to on `action`, or why it cannot. */
export function exerciseTransition(op: OperationCore, action: OperationAction): Transition {
  if (op.kind !== 'exercise') return { ok: false, reason: `an incident cannot ${action}; close it instead` };
  const next = EXERCISE_MOVES[action][op.state];
  if (!next) return { ok: false, reason: `cannot ${action} an exercise that is ${op.state}` };
  return { ok: true, state: next };
}

/**
 * Whether a suspended exercise may resume: only once the incident that suspended it is closed and
 * nothing else holds the team (the real emergency always comes first).
 */
export function canResumeSuspended(
  incident: OperationCore | undefined,
  active: OperationCore | undefined,
): Transition {
  if (incident && incident.state !== 'closed')
    return { ok: false, reason: 'the incident that suspended it is still open; close it first' };
  const start = canStartExercise(active);
  return start.ok ? start : { ok: false, reason: start.reason };
}

/** Whether an exercise's plan (name, scenario, area, participants, injects) may still be changed. */
export function canEditPlan(op: OperationCore): Transition {
  if (op.kind !== 'exercise') return { ok: false, reason: 'only an exercise has a plan to edit' };
  if (op.state !== 'planned')
    return { ok: false, reason: `the exercise is ${op.state}; only a planned one can be edited` };
  return { ok: true, state: op.state };
}

/** Whether an inject can be sent now, ahead of its time: a running exercise, an inject not yet delivered. */
export function canSendInject(op: OperationCore, delivered: boolean): Transition {
  if (op.kind !== 'exercise' || op.state !== 'running')
    return { ok: false, reason: 'injects are sent only while the exercise runs' };
  if (delivered) return { ok: false, reason: 'the inject was delivered already' };
  return { ok: true, state: op.state };
}

/** Whether an operation holds the team: a running or paused exercise, or an open incident. */
export function isActive(op: OperationCore): boolean {
  return op.state === 'running' || op.state === 'paused' || op.state === 'open';
}

/** The team's active operation among its operations: an open incident always takes precedence. */
export function activeOperation<T extends OperationCore>(ops: readonly T[]): T | undefined {
  return ops.find((o) => o.kind === 'incident' && o.state === 'open') ?? ops.find(isActive);
}

/** Whether a new exercise may start while `active` holds the team. */
export function canStartExercise(active: OperationCore | undefined): Transition {
  if (!active) return { ok: true, state: 'running' };
  return {
    ok: false,
    reason: active.kind === 'incident' ? 'a real incident is open' : 'another exercise is running',
  };
}

/**
 * What escalation does: an open incident already exists → refused (escalating twice);
 * a running or paused exercise is suspended; otherwise a direct callout.
 */
export function escalation(
  active: OperationCore | undefined,
): { ok: true; suspends: boolean } | { ok: false; reason: string } {
  if (active?.kind === 'incident') return { ok: false, reason: 'a real incident is already open' };
  return { ok: true, suspends: active !== undefined };
}

/** Seconds of play of an exercise at `nowMs`, pauses excluded. */
export function playedSeconds(playedBeforeS: number, runningSinceMs: number | null, nowMs: number): number {
  return playedBeforeS + (runningSinceMs === null ? 0 : Math.max(0, (nowMs - runningSinceMs) / 1000));
}

const INCIDENT_NAME_MAX = 80;

/**
 * An escalated incident's name, from what happened (the reason given, "SOS from SCOTT"), so that the
 * operations list and the replays say which incident it was; "Real incident" when nothing was said.
 */
export function incidentName(reason: string): string {
  const line = reason.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (!line) return 'Real incident';
  return line.length <= INCIDENT_NAME_MAX ? line : `${line.slice(0, INCIDENT_NAME_MAX - 1).trimEnd()}…`;
}
