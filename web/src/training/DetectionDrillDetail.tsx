import './detection.css';
import { useEffect, useState } from 'react';
import type { DetectionDrill } from '../../../src/contract/detection-drills.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { SweepWidth } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { useFollowWalk } from '../shared/use-follow-walk.ts';
import { DetectionMap } from './DetectionMap.tsx';
import { DetectionObjectsFields, type ObjectField, objectsOf } from './DetectionObjectsFields.tsx';
import { DetectionTable } from './DetectionTable.tsx';
import { LateralRangeChart } from './LateralRangeChart.tsx';
import type { TrainingProps } from './TrainingArea.tsx';
import { useDetectionDrill } from './use-detection-drills.ts';

/** A running drill's page reads the searchers' tracks again at most this often. */
const FOLLOW_MS = 5000;

/**
 * One detection drill: the objects and the searchers' paths on the map beside the table of finds, the lateral range
 * curve with the fitted W, and (for a leader) "Use for … sweep width".
 */
export function DetectionDrillDetail({ me, config, state, drillId }: TrainingProps & { drillId: string }) {
  const active = state.operation?.id === drillId ? state.operation.state : null;
  const { data: drill, error, setData, reload } = useDetectionDrill(drillId, state.revisions.drills);
  const action = useAction();
  const [editing, setEditing] = useState<ObjectField[] | null>(null);
  const [saved, setSaved] = useState<SweepWidth | null>(null);
  const leader = me.role === 'leader';
  // STARTEX, a time-out or ENDEX from elsewhere changes the live operation: load the drill again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the operation's state is the trigger
  useEffect(() => reload(), [active, reload]);
  // While it runs, the lateral ranges and W follow the searchers' walk.
  const walking = active === 'running' ? (drill?.searcherIds ?? []) : [];
  useFollowWalk(walking, state.latest, FOLLOW_MS, reload);

  if (error && !drill) return <p className="form-error">{error}</p>;
  if (!drill) return <p className="muted">Loading the drill…</p>;

  const callsign = (id: string) => state.members.find((m) => m.id === id)?.callsign ?? '?';
  const op = drill.operation;
  const live = op.state === 'running' || op.state === 'paused';
  const act = (a: 'start' | 'end') =>
    action.run(async () => {
      await api<Operation>(`/api/operations/${drillId}/actions`, { method: 'POST', body: { action: a } });
      reload();
    });
  const toggle = (objectId: string, searcherId: string, found: boolean) =>
    action.run(async () => {
      await api(`/api/detection-drills/${drillId}/records`, {
        method: 'POST',
        body: { objectId, searcherId, found },
      });
      reload();
    });
  const saveObjects = (rows: ObjectField[]) =>
    action.run(async () => {
      const body = { objects: objectsOf(rows) };
      setData(await api<DetectionDrill>(`/api/detection-drills/${drillId}/objects`, { method: 'PUT', body }));
      setEditing(null);
    });
  const saveSweepWidth = () =>
    action.run(async () => {
      const body = { method: 'detection_drills', resourceType: drill.resourceType, drillIds: [drillId] };
      setSaved(await api<SweepWidth>('/api/search/sweep-widths', { method: 'PUT', body }));
    });

  return (
    <div className="drill" data-testid="detection-drill-detail">
      <header className="drills-head">
        <a href="#/drills" className="back">
          ← Drills
        </a>
        <h2>{op.name}</h2>
        <span className="mode-tag exercise">EXERCISE</span>
        <span className="muted">
          detection drill · {drill.resourceType} · {op.state}
        </span>
        <span className="spacer" />
        {leader && op.state === 'planned' && (
          <button type="button" className="primary" disabled={action.busy} onClick={() => act('start')}>
            STARTEX
          </button>
        )}
        {leader && live && (
          <button type="button" disabled={action.busy} onClick={() => act('end')}>
            ENDEX
          </button>
        )}
        {leader && op.state !== 'ended' && !editing && (
          <button
            type="button"
            onClick={() =>
              setEditing(
                drill.objects.map((o) => ({ ...o, lat: String(o.lat), lon: String(o.lon), notes: o.notes })),
              )
            }
          >
            Edit objects
          </button>
        )}
      </header>
      {action.error && (
        <p className="form-error" role="alert">
          {action.error}
        </p>
      )}
      {editing && (
        <div className="form drill-form">
          <DetectionObjectsFields objects={editing} onChange={setEditing} />
          <div className="inline-actions">
            <button
              type="button"
              className="primary"
              disabled={action.busy}
              onClick={() => saveObjects(editing)}
            >
              Save objects
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {drill.problems.length > 0 && (
        <ul className="detection-problems" data-testid="detection-problems">
          {drill.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="drill-body">
        <DetectionMap tiles={config.tiles} drill={drill} callsign={callsign} />
        <div className="detection-side">
          <DetectionTable
            drill={drill}
            callsign={callsign}
            editable={leader && op.state !== 'planned'}
            busy={action.busy}
            onToggle={toggle}
          />
          {drill.fit && <LateralRangeChart fit={drill.fit} />}
          {leader && drill.fit && drill.fit.sweepWidthM > 0 && (
            <div className="inline-actions">
              <button
                type="button"
                className="primary"
                disabled={action.busy}
                data-testid="use-sweep-width"
                onClick={saveSweepWidth}
              >
                Use for {drill.resourceType} sweep width
              </button>
              {saved && (
                <span role="status" data-testid="sweep-width-saved">
                  {saved.resourceType}: W = {saved.sweepWidthM.toFixed(1)} m saved for search planning
                </span>
              )}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
