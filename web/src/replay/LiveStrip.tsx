import { EXERCISE_WORD, REAL_BANNER } from '../../../src/domain/mode.ts';
import { isActive } from '../../../src/domain/operation.ts';
import type { TeamState } from '../shared/team-state.ts';

/**
 * What is under way now, while a replay shows the past: a replay's banners follow its scrubber, so the live
 * operation is named here, apart, with the way back to the live map.
 */
export function LiveStrip({ state }: { state: TeamState }) {
  const op = state.operation;
  if (!op || !isActive(op)) return null;
  const real = op.kind === 'incident';
  return (
    <div
      className={`live-strip ${real ? 'live-strip-real' : 'live-strip-exercise'}`}
      role="status"
      data-testid="live-strip"
    >
      <strong>LIVE NOW:</strong>{' '}
      {real ? `${REAL_BANNER} — ${op.name} is open` : `${EXERCISE_WORD} ${op.name} is running`}.{' '}
      <a href="#/">Back to the live map</a>
    </div>
  );
}
