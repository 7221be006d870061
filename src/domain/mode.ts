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

/** The words of each mode, used by every screen, notification and export: they never look alike. */
export const EXERCISE_WORD = 'EXERCISE';
export const EXERCISE_PREFIX = 'EXERCISE EXERCISE EXERCISE';
export const REAL_HEADLINE = 'REAL — NOT A DRILL';
/** The banner every screen shows while a real incident is open. */
export const REAL_BANNER = 'REAL WORLD';

/** How an SOS is named in a mode: "EXERCISE SOS" or "SOS". */
export function sosWord(mode: Mode): string {
  return mode === 'exercise' ? `${EXERCISE_WORD} SOS` : 'SOS';
}

/** What the sender of an SOS reads once it is out. */
export function sosSentHeadline(mode: Mode): string {
  return mode === 'exercise' ? `${EXERCISE_WORD} SOS IS OUT` : 'YOUR SOS IS OUT';
}

/** A notification's text as it must read in a mode: exercise traffic always carries the prefix. */
export function notificationText(mode: Mode, text: string): string {
  return mode === 'exercise' ? `${EXERCISE_PREFIX} — ${text}` : `${REAL_HEADLINE} — ${text}`;
}
