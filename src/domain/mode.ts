import type { OperationCore } from './operation.ts';
import type { Mode } from './vocabulary.ts';

/**
 * The team's mode: `exercise` only while an exercise runs (or is paused for a safety
 * time-out) and no incident is open; anything else is `real`.
 */
export function teamMode(active: OperationCore | undefined | null): Mode {
  return active?.kind === 'exercise' && (active.state === 'running' || active.state === 'paused')
    ? 'exercise'
    : 'real';
}

export const EXERCISE_PREFIX = 'EXERCISE EXERCISE EXERCISE';
export const REAL_HEADLINE = 'REAL — NOT A DRILL';

/** A notification's text as it must read in a mode: exercise traffic always carries the prefix. */
export function notificationText(mode: Mode, text: string): string {
  return mode === 'exercise' ? `${EXERCISE_PREFIX} — ${text}` : `${REAL_HEADLINE} — ${text}`;
}
