import './drills.css';
import { useState } from 'react';
import type { DrillSummary } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import { dateTime } from '../shared/time.ts';
import { DetectionDrillDetail } from './DetectionDrillDetail.tsx';
import { DetectionDrillList } from './DetectionDrillList.tsx';
import { DrillDetail } from './DrillDetail.tsx';
import { DrillForm } from './DrillForm.tsx';
import { percent } from './drill-format.ts';
import type { TrainingProps } from './TrainingArea.tsx';
import { useDrillList } from './use-drills.ts';

const STATE_WORD: Record<DrillSummary['state'], string> = {
  planned: 'planned',
  running: 'running',
  paused: 'time-out',
  suspended: 'suspended (real incident)',
  ended: 'ended',
  open: 'open',
  closed: 'closed',
};

/**
 * Tracking drills: the list (newest first) and "New drill", or one drill at `#/drills/ID`; below them the detection
 * drills, one at `#/drills/detection/ID`.
 */
export function DrillsView(props: TrainingProps) {
  const [id = '', detectionId = ''] = props.rest.split('/');
  if (id === 'detection' && detectionId) return <DetectionDrillDetail {...props} drillId={detectionId} />;
  if (id) return <DrillDetail {...props} drillId={id} />;
  return (
    <>
      <DrillList {...props} />
      <DetectionDrillList {...props} />
    </>
  );
}

function DrillList({ me, state, go }: TrainingProps) {
  const { data, error } = useDrillList(state.revisions.drills);
  const [creating, setCreating] = useState(false);
  const leader = me.role === 'leader';
  const callsign = (id: string | null) => state.members.find((m: Member) => m.id === id)?.callsign ?? '?';
  return (
    <div className="drills" data-testid="drills">
      <header className="drills-head">
        <h2>Tracking drills</h2>
        {leader && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New drill
          </button>
        )}
      </header>
      {creating && (
        <DrillForm
          members={state.members}
          onCreated={(drill) => go('drills', drill.operation.id)}
          onClose={() => setCreating(false)}
        />
      )}
      {error && <p className="form-error">{error}</p>}
      {data && data.drills.length === 0 && <p className="muted">No drills yet.</p>}
      {data && data.drills.length > 0 && (
        <table className="drill-list">
          <thead>
            <tr>
              <th>When</th>
              <th>Drill</th>
              <th>Runner</th>
              <th>Trackers</th>
              <th>Light</th>
              <th>State</th>
              <th>Best followed</th>
            </tr>
          </thead>
          <tbody>
            {data.drills.map((d) => (
              <tr key={d.id} data-testid="drill-row">
                <td>{dateTime(d.time)}</td>
                <td>
                  <a href={`#/drills/${d.id}`}>{d.name}</a>
                  {d.recorded && <span className="tag">recorded</span>}
                </td>
                <td>{callsign(d.runnerId)}</td>
                <td>{d.trackerIds.map(callsign).join(', ')}</td>
                <td>{d.light ?? '—'}</td>
                <td className={`drill-state drill-state-${d.state}`}>EXERCISE · {STATE_WORD[d.state]}</td>
                <td>{d.bestShareFollowed === null ? '—' : percent(d.bestShareFollowed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
