import type { ReactNode } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { EXERCISE_PREFIX, EXERCISE_WORD, REAL_BANNER, teamMode } from '../../../src/domain/mode.ts';
import { callsignOf } from './alert-view.ts';
import { isIncident } from './incident-view.ts';
import './mode.css';

interface Props {
  operation: Operation | null;
  members: readonly Member[];
  /** Shown inside the REAL WORLD banner, e.g. the console's "N of M accounted". */
  realExtra?: ReactNode;
  /** Leader or controller: may end a safety time-out. */
  canResume: boolean;
  onResume: () => void;
  resumeBusy?: boolean;
  resumeError?: string | null;
}

const WATERMARK_ROWS = 14;
const WATERMARK_LINE = Array(4).fill(EXERCISE_WORD).join(' ');

/**
 * What every screen carries in each mode, so the two never look alike: an exercise gets a blue
 * striped strip and a diagonal EXERCISE watermark; a real incident a solid red REAL WORLD banner
 * and nothing of the exercise look. A safety time-out covers every screen at once.
 */
export function ModeFrame({ operation, members, realExtra, canResume, onResume, ...rest }: Props) {
  const exercise = teamMode(operation) === 'exercise' && operation ? operation : null;
  return (
    <>
      {isIncident(operation) && (
        <div className="mode-banner" data-testid="mode-banner" role="status">
          <strong className="mode-banner-word">{REAL_BANNER}</strong>
          <span className="mode-banner-name">{operation.name}</span>
          {realExtra}
        </div>
      )}
      {exercise && (
        <div className="exercise-banner" data-testid="exercise-banner" role="status">
          <strong>{EXERCISE_PREFIX}</strong>
          <span>
            {exercise.name}
            {exercise.state === 'paused' ? ' · PAUSED' : ''}
          </span>
        </div>
      )}
      {exercise && (
        <div className="exercise-watermark" data-testid="exercise-watermark" aria-hidden="true">
          <div className="exercise-watermark-grid">
            {Array.from({ length: WATERMARK_ROWS }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed decorative rows
              <span key={i}>{WATERMARK_LINE}</span>
            ))}
          </div>
        </div>
      )}
      {exercise?.state === 'paused' && (
        <div className="timeout-overlay" data-testid="timeout-overlay" role="alert">
          <div className="timeout-card">
            <h1>SAFETY TIME-OUT</h1>
            <p className="timeout-by">called by {callsignOf(members, exercise.pausedBy)}</p>
            <p>All play stops. Stand still, stay safe, wait for the controller.</p>
            {canResume && (
              <button type="button" className="timeout-resume" onClick={onResume} disabled={rest.resumeBusy}>
                {rest.resumeBusy ? 'Resuming…' : 'Resume exercise'}
              </button>
            )}
            {rest.resumeError && <p className="form-error">{rest.resumeError}</p>}
          </div>
        </div>
      )}
    </>
  );
}
