import type { Mode } from '../contract/common.ts';

/** The team's mode: `exercise` only while an exercise runs; anything else is `real`. */
export function teamMode(runningExercise: boolean): Mode {
  return runningExercise ? 'exercise' : 'real';
}
