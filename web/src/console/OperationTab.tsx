import { useEffect, useState } from 'react';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { api } from '../shared/api.ts';
import { isIncident } from '../shared/incident-view.ts';
import type { TeamState } from '../shared/team-state.ts';
import { clockTime } from '../shared/time.ts';
import { CalloutForm } from './CalloutForm.tsx';
import { ExerciseControls } from './ExerciseControls.tsx';
import { ExercisePlanner } from './ExercisePlanner.tsx';
import type { MapPick } from './use-map-pick.ts';

const PAST_STATES = new Set<Operation['state']>(['ended', 'suspended', 'closed']);

interface Props {
  me: Me;
  state: TeamState;
  pick: MapPick;
  onOperation: (op: Operation) => void;
  onShowIncident: () => void;
}

/** Exercises (the running one, the planned ones, planning a new one), the leader's callout, past operations' trails. */
export function OperationTab({ me, state, pick, onOperation, onShowIncident }: Props) {
  /** The planner, open on a new plan (true) or on a planned exercise being edited. */
  const [planning, setPlanning] = useState<Operation | boolean>(false);
  const [past, setPast] = useState<Operation[]>([]);
  const isLeader = me.role === 'leader';
  const active = state.operation;
  const incident = isIncident(active);
  const planned = [...state.planned].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the active operation's id and state are reload triggers (an exercise just ended shows up)
  useEffect(() => {
    const abort = new AbortController();
    api<{ operations: Operation[] }>('/api/operations', { signal: abort.signal })
      .then((r) => setPast(r.operations.filter((o) => PAST_STATES.has(o.state)).slice(0, 5)))
      .catch(() => undefined);
    return () => abort.abort();
  }, [active?.id, active?.state]);
  const controls = (op: Operation) => (
    <ExerciseControls
      key={op.id}
      me={me}
      exercise={op}
      members={state.members}
      injects={op.id === active?.id ? state.injects : []}
      onOperation={onOperation}
      onEdit={setPlanning}
    />
  );
  // A suspended exercise may resume once its incident is closed (nothing active).
  const suspended = active ? [] : past.filter((o) => o.kind === 'exercise' && o.state === 'suspended');

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
      {!incident && planned.filter((op) => op !== planning).map(controls)}
      {suspended.map(controls)}
      {isLeader && !planning && (
        <div className="panel-section">
          <button type="button" className="primary" onClick={() => setPlanning(true)}>
            Plan an exercise
          </button>
        </div>
      )}
      {isLeader && planning && (
        <ExercisePlanner
          key={typeof planning === 'object' ? planning.id : 'new'}
          members={state.members}
          pick={pick}
          editing={typeof planning === 'object' ? planning : undefined}
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
      {past.length > 0 && (
        <section className="panel-section" data-testid="past-operations">
          <h4>Past operations</h4>
          {past.map((op) => (
            <p key={op.id}>
              {op.kind === 'incident' ? <strong>REAL incident</strong> : 'Exercise'}{' '}
              <strong>{op.name}</strong>
              <br />
              <a href={`#/replay/${op.id}`} data-testid="replay-link">
                Replay
              </a>{' '}
              · Export trails:{' '}
              {(['gpx', 'geojson'] as const).map((f, i) => (
                <span key={f}>
                  {i > 0 && ' · '}
                  <a href={`/api/positions/export?operationId=${op.id}&format=${f}`} download>
                    {f === 'gpx' ? 'GPX' : 'GeoJSON'}
                  </a>
                </span>
              ))}
            </p>
          ))}
        </section>
      )}
    </div>
  );
}
