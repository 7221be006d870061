import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { api } from '../shared/api.ts';
import { accountabilityOf, accountedText, isIncident } from '../shared/incident-view.ts';
import { ModeFrame } from '../shared/ModeFrame.tsx';
import type { TeamState } from '../shared/team-state.ts';
import { useAction } from '../shared/use-action.ts';
import { directs } from './ExerciseControls.tsx';

interface Props {
  me: Me;
  state: TeamState;
  nowMs: number;
  onOperation: (op: Operation) => void;
}

/** The console's mode marks: the REAL WORLD banner with "N of M accounted", or the exercise look and time-out. */
export function ConsoleMode({ me, state, nowMs, onOperation }: Props) {
  const operation = state.operation;
  const rollCall = isIncident(operation) ? (state.board?.rollCall ?? null) : null;
  const resume = useAction();
  const doResume = (op: Operation) =>
    resume.run(async () =>
      onOperation(
        await api<Operation>(`/api/operations/${op.id}/actions`, {
          method: 'POST',
          body: { action: 'resume' },
        }),
      ),
    );
  return (
    <ModeFrame
      operation={operation}
      members={state.members}
      canResume={operation ? directs(me, operation) : false}
      onResume={() => operation && void doResume(operation)}
      resumeBusy={resume.busy}
      resumeError={resume.error}
      realExtra={
        <span className="accounted" data-testid="accounted">
          {rollCall ? accountedText(accountabilityOf(rollCall, nowMs)) : 'no roll call yet'}
        </span>
      }
    />
  );
}
