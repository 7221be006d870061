import { useState } from 'react';
import type { Me } from '../../../src/contract/auth.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { clockTime } from '../shared/alert-view.ts';
import { isIncident } from '../shared/incident-view.ts';
import type { TeamState } from '../shared/team-state.ts';
import { CalloutForm } from './CalloutForm.tsx';
import { ExerciseControls } from './ExerciseControls.tsx';
import { ExercisePlanner } from './ExercisePlanner.tsx';
import type { MapPick } from './use-map-pick.ts';

interface Props {
  me: Me;
  state: TeamState;
  pick: MapPick;
  onOperation: (op: Operation) => void;
  onShowIncident: () => void;
}

/** Exercises (the running one, the planned ones, planning a new one) and the leader's callout. */
export function OperationTab({ me, state, pick, onOperation, onShowIncident }: Props) {
  const [planning, setPlanning] = useState(false);
  const isLeader = me.role === 'leader';
  const active = state.operation;
  const incident = isIncident(active);
  const planned = [...state.planned].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const controls = (op: Operation) => (
    <ExerciseControls
      key={op.id}
      me={me}
      exercise={op}
      members={state.members}
      injects={op.id === active?.id ? state.injects : []}
      onOperation={onOperation}
    />
  );

  return (
    <div className="operation-tab">
      {incident && (
        <section className="panel-section">
          <h3>Real incident open</h3>
          <p>
            <strong>{active.name}</strong> since {clockTime(active.startedAt ?? active.createdAt)}. No
            exercise can start until it is closed.
          </p>
          <button type="button" onClick={onShowIncident}>
            Show the incident
          </button>
        </section>
      )}
      {active?.kind === 'exercise' && controls(active)}
      {!active && planned.length === 0 && !planning && (
        <p className="empty">No exercise running or planned.</p>
      )}
      {!incident && planned.map(controls)}
      {isLeader && !planning && (
        <div className="panel-section">
          <button type="button" className="primary" onClick={() => setPlanning(true)}>
            Plan an exercise
          </button>
        </div>
      )}
      {isLeader && planning && (
        <ExercisePlanner
          members={state.members}
          pick={pick}
          onPlanned={(op) => {
            setPlanning(false);
            onOperation(op);
          }}
          onClose={() => {
            setPlanning(false);
            pick.clearArea();
          }}
        />
      )}
      {isLeader && !active && <CalloutForm onCalledOut={onOperation} />}
    </div>
  );
}
