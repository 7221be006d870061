import { useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import { dateTime } from '../shared/time.ts';
import { DetectionDrillForm } from './DetectionDrillForm.tsx';
import type { TrainingProps } from './TrainingArea.tsx';
import { detectionDrillPath, useDetectionDrillList } from './use-detection-drills.ts';

/** The team's detection drills (newest first) and "New detection drill", below the tracking drills. */
export function DetectionDrillList({ me, state, go }: TrainingProps) {
  const { data, error } = useDetectionDrillList(state.revisions.drills);
  const [creating, setCreating] = useState(false);
  const leader = me.role === 'leader';
  const callsign = (id: string) => state.members.find((m: Member) => m.id === id)?.callsign ?? '?';
  return (
    <section className="detection-drills" data-testid="detection-drills">
      <header className="drills-head">
        <h2>Detection drills</h2>
        <span className="muted">
          objects placed beside the searchers’ path: the sweep width they plan with
        </span>
        <span className="spacer" />
        {leader && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New detection drill
          </button>
        )}
      </header>
      {creating && (
        <DetectionDrillForm
          members={state.members}
          onCreated={(drill) => go('drills', detectionDrillPath(drill.operation.id))}
          onClose={() => setCreating(false)}
        />
      )}
      {error && <p className="form-error">{error}</p>}
      {data && data.drills.length === 0 && <p className="muted">No detection drills yet.</p>}
      {data && data.drills.length > 0 && (
        <table className="drill-list">
          <thead>
            <tr>
              <th>When</th>
              <th>Drill</th>
              <th>Resource type</th>
              <th>Searchers</th>
              <th>Objects</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {data.drills.map((d) => (
              <tr key={d.id} data-testid="detection-drill-row">
                <td>{dateTime(d.time)}</td>
                <td>
                  <a href={`#/drills/${detectionDrillPath(d.id)}`}>{d.name}</a>
                </td>
                <td>{d.resourceType}</td>
                <td>{d.searcherIds.map(callsign).join(', ')}</td>
                <td>{d.objectCount}</td>
                <td className={`drill-state drill-state-${d.state}`}>EXERCISE · {d.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
