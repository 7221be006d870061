import { useState } from 'react';
import type { Drill, DrillConditions } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import { DrillEditForm } from './DrillEditForm.tsx';
import { DrillMap } from './DrillMap.tsx';
import { LIGHT_LABEL } from './drill-format.ts';
import { ScoreTable } from './ScoreTable.tsx';
import type { TrainingProps } from './TrainingArea.tsx';
import { uploadTrack, useDrill, useDrillTracks } from './use-drills.ts';

const TRAIL_WORD = {
  training: 'training',
  double_blind: 'double-blind',
  negative: 'negative',
  line_up: 'line-up',
};

/** One drill: conditions and light, participants with their tracks, the overlay map beside the score table. */
export function DrillDetail({ me, config, state, drillId }: TrainingProps & { drillId: string }) {
  const changes = state.revisions.drills;
  const { data: drill, error, setData } = useDrill(drillId, changes);
  const { data: tracks, reload: reloadTracks } = useDrillTracks(drillId, changes);
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const leader = me.role === 'leader';
  const members = state.members;

  if (error && !drill) return <p className="form-error">{error}</p>;
  if (!drill) return <p className="muted">Loading the drill…</p>;

  const changed = (d: Drill) => {
    setData(d);
    reloadTracks();
  };
  const act = (a: 'start' | 'end') =>
    action.run(async () => {
      await api<Operation>(`/api/operations/${drillId}/actions`, { method: 'POST', body: { action: a } });
    });
  const find = (trackerId: string) =>
    action.run(async () =>
      changed(await api<Drill>(`/api/drills/${drillId}/find`, { method: 'POST', body: { trackerId } })),
    );
  const upload = (memberId: string, file: File | undefined) =>
    file && action.run(async () => changed(await uploadTrack(drillId, memberId, file)));

  const op = drill.operation;
  const live = op.state === 'running' || op.state === 'paused';
  return (
    <div className="drill" data-testid="drill-detail">
      <header className="drills-head">
        <a href="#/drills" className="back">
          ← Drills
        </a>
        <h2>{op.name}</h2>
        <span className="mode-tag exercise">EXERCISE</span>
        <span className="muted">
          {op.state}
          {drill.recorded ? ' · recorded' : ''}
        </span>
        <span className="spacer" />
        {leader && op.state === 'planned' && !drill.recorded && (
          <button type="button" className="primary" disabled={action.busy} onClick={() => act('start')}>
            STARTEX
          </button>
        )}
        {leader && live && (
          <button type="button" disabled={action.busy} onClick={() => act('end')}>
            ENDEX
          </button>
        )}
        {leader && !editing && (
          <button type="button" onClick={() => setEditing(true)} data-testid="drill-edit">
            Edit conditions
          </button>
        )}
        <a className="button-link" href={`/api/drills/${drillId}/export.gpx`} download>
          Export GPX
        </a>
      </header>
      {action.error && (
        <p className="form-error" role="alert">
          {action.error}
        </p>
      )}
      {editing ? (
        <DrillEditForm
          drill={drill}
          onSaved={(d) => {
            changed(d);
            setEditing(false);
          }}
          onClose={() => setEditing(false)}
        />
      ) : (
        <Conditions drill={drill} />
      )}
      <Participants
        drill={drill}
        members={members}
        canUpload={(id) => leader || me.memberId === id}
        canFind={(id) =>
          live && !drill.finds.some((f) => f.trackerId === id) && (leader || me.memberId === id)
        }
        busy={action.busy}
        onUpload={upload}
        onFind={find}
      />
      <div className="drill-body">
        <DrillMap tiles={config.tiles} tracks={tracks} trackerIds={drill.trackerIds} />
        <ScoreTable drill={drill} members={members} />
      </div>
    </div>
  );
}

function Conditions({ drill }: { drill: Drill }) {
  const c: DrillConditions = drill.conditions;
  const items: Array<[string, string | null]> = [
    [
      'Light',
      drill.light
        ? `${LIGHT_LABEL[drill.light]} (sun ${drill.sunElevationDeg?.toFixed(1)}°)`
        : 'from the runner’s track',
    ],
    ['Trail age', c.trailAgeMin === null ? null : `${c.trailAgeMin} min`],
    ['Trail type', TRAIL_WORD[c.trailType]],
    ['Terrain', c.terrain || null],
    ['Weather', c.weather || null],
    ['Temperature', c.temperatureC === null ? null : `${c.temperatureC} °C`],
    [
      'Wind',
      c.windSpeedMps === null && c.windDirectionDeg === null
        ? null
        : `${c.windSpeedMps ?? '?'} m/s from ${c.windDirectionDeg ?? '?'}°`,
    ],
    ['Scent article', c.scentArticle || null],
    ['Tolerance', `${drill.toleranceM} m`],
    ['Find radius', `${drill.findRadiusM} m`],
  ];
  return (
    <section className="drill-conditions" data-testid="drill-conditions">
      <dl>
        {items
          .filter(([, v]) => v !== null)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd data-testid={k === 'Light' ? 'drill-light' : undefined}>{v}</dd>
            </div>
          ))}
      </dl>
      {c.notes && <p className="drill-notes">{c.notes}</p>}
    </section>
  );
}

interface ParticipantsProps {
  drill: Drill;
  members: readonly Member[];
  canUpload: (memberId: string) => boolean;
  canFind: (memberId: string) => boolean;
  busy: boolean;
  onUpload: (memberId: string, file: File | undefined) => void;
  onFind: (trackerId: string) => void;
}

function Participants({ drill, members, canUpload, canFind, busy, onUpload, onFind }: ParticipantsProps) {
  const people = [
    ...(drill.runnerId ? [{ id: drill.runnerId, role: 'runner' as const }] : []),
    ...drill.trackerIds.map((id) => ({ id, role: 'tracker' as const })),
  ];
  const member = (id: string) => members.find((m) => m.id === id);
  const handler = (m: Member) => (m.handlerId ? member(m.handlerId)?.callsign : undefined);
  return (
    <ul className="drill-participants">
      {people.map(({ id, role }) => {
        const m = member(id);
        const t = drill.tracks.find((x) => x.memberId === id);
        const found = drill.finds.find((f) => f.trackerId === id);
        return (
          <li key={id} data-testid={`participant-${m?.callsign ?? id}`}>
            <strong>{m?.callsign ?? '?'}</strong>
            <span className="muted">
              {role}
              {m?.kind === 'animal' ? ` · K9${handler(m) ? ` with ${handler(m)}` : ''}` : ''}
            </span>
            <span className="muted">
              {t ? `${t.pointCount} points (${t.fileName ?? t.source})` : 'no track'}
              {found ? ` · found ${clockTime(found.time)} (${found.source})` : ''}
            </span>
            {canUpload(id) && (
              <label className="upload button-link">
                {t ? 'Replace GPX/KML' : 'Upload GPX/KML'}
                <input
                  type="file"
                  accept=".gpx,.kml,application/gpx+xml,application/vnd.google-earth.kml+xml"
                  data-testid={`upload-${m?.callsign ?? id}`}
                  disabled={busy}
                  onChange={(ev) => {
                    onUpload(id, ev.target.files?.[0]);
                    ev.target.value = '';
                  }}
                />
              </label>
            )}
            {role === 'tracker' && canFind(id) && (
              <button type="button" className="primary" disabled={busy} onClick={() => onFind(id)}>
                Found
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
