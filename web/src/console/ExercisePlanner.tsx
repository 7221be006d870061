import { type FormEvent, useEffect, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type {
  CreateExerciseBody,
  Operation,
  ParticipantRole,
  UpdateExerciseBody,
} from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { ROLE_WORD } from './ExerciseControls.tsx';
import type { MapPick } from './use-map-pick.ts';

interface Props {
  members: readonly Member[];
  pick: MapPick;
  /** A planned exercise to change, instead of planning a new one. */
  editing?: Operation;
  onPlanned: (op: Operation) => void;
  onClose: () => void;
}

interface InjectRow {
  key: number;
  minutes: string;
  message: string;
}

const ROLES = Object.keys(ROLE_WORD) as ParticipantRole[];

/** Plan an exercise: name, scenario, who plays which role, scripted injects, and the area drawn on the map. */
export function ExercisePlanner({ members, pick, editing, onPlanned, onClose }: Props) {
  const [name, setName] = useState(editing?.name ?? '');
  const [scenario, setScenario] = useState(editing?.scenario ?? '');
  const [roles, setRoles] = useState<Record<string, ParticipantRole | ''>>(() =>
    Object.fromEntries((editing?.participants ?? []).map((p) => [p.memberId, p.role])),
  );
  const [injects, setInjects] = useState<InjectRow[]>(() =>
    (editing?.injects ?? []).map((i, key) => ({ key, minutes: String(i.offsetS / 60), message: i.message })),
  );
  const { busy, error, run } = useAction();
  const area = pick.draftArea;
  const { setArea } = pick;
  const editedArea = editing?.area ?? null;
  useEffect(() => {
    if (editedArea) setArea(editedArea);
  }, [editedArea, setArea]);
  const tracking = editing?.type === 'tracking' || editing?.type === 'detection';

  const setInject = (key: number, change: Partial<InjectRow>) =>
    setInjects((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body: CreateExerciseBody = {
      name: name.trim(),
      scenario: scenario.trim(),
      participants: Object.entries(roles).flatMap(([memberId, role]) => (role ? [{ memberId, role }] : [])),
      injects: injects
        .filter((i) => i.message.trim())
        .map((i) => ({ offsetS: Math.round(Number(i.minutes) * 60), message: i.message.trim() })),
      ...(area && area.length >= 3 ? { area: [...area] } : {}),
    };
    const op = await run(() => {
      if (!editing) return api<Operation>('/api/operations', { method: 'POST', body });
      const change: UpdateExerciseBody = {
        name: body.name,
        scenario: body.scenario,
        injects: body.injects,
        area: body.area ?? null,
        ...(tracking ? {} : { participants: body.participants }),
      };
      return api<Operation>(`/api/operations/${editing.id}`, { method: 'PATCH', body: change });
    });
    if (op) {
      pick.clearArea();
      onPlanned(op);
    }
  };

  return (
    <form className="form planner panel-section" data-testid="exercise-planner" onSubmit={submit}>
      <h3>{editing ? `Edit “${editing.name}”` : 'Plan an exercise'}</h3>
      <label>
        Name
        <input
          name="name"
          required
          maxLength={120}
          value={name}
          onChange={(ev) => setName(ev.target.value)}
        />
      </label>
      <label>
        Scenario
        <textarea
          name="scenario"
          maxLength={10000}
          placeholder="e.g. mock attack at dusk; the runner evades alone, two trackers follow"
          value={scenario}
          onChange={(ev) => setScenario(ev.target.value)}
        />
      </label>
      <fieldset className="planner-group" hidden={tracking}>
        <legend>Participants</legend>
        {members.map((m) => (
          <label key={m.id} className="planner-role">
            <span>{m.callsign}</span>
            <select
              name={`role-${m.callsign}`}
              value={roles[m.id] ?? ''}
              onChange={(ev) => setRoles({ ...roles, [m.id]: ev.target.value as ParticipantRole | '' })}
            >
              <option value="">not taking part</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORD[r]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset className="planner-group">
        <legend>Injects</legend>
        {injects.length > 0 && (
          <div className="planner-inject planner-inject-head" aria-hidden="true">
            <span title="minutes after STARTEX">T+ min</span>
            <span>Message to the players</span>
          </div>
        )}
        {injects.map((i) => (
          <div key={i.key} className="planner-inject">
            <input
              aria-label="Minutes after STARTEX"
              name="inject-minutes"
              type="number"
              min={0}
              step="any"
              required
              value={i.minutes}
              onChange={(ev) => setInject(i.key, { minutes: ev.target.value })}
            />
            <input
              aria-label="Message to the players"
              name="inject-message"
              maxLength={2000}
              placeholder="e.g. a casualty is reported at the bridge"
              value={i.message}
              onChange={(ev) => setInject(i.key, { message: ev.target.value })}
            />
            <button
              type="button"
              className="icon-button"
              aria-label="Remove inject"
              onClick={() => setInjects(injects.filter((x) => x.key !== i.key))}
            >
              ×
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() =>
            setInjects([...injects, { key: Date.now(), minutes: String(injects.length * 5), message: '' }])
          }
        >
          Add inject
        </button>
      </fieldset>
      <fieldset className="planner-group">
        <legend>Area (optional)</legend>
        <p className="muted">
          {area && area.length > 0
            ? `${area.length} corner${area.length === 1 ? '' : 's'} drawn`
            : 'No area.'}
          {area && area.length > 0 && area.length < 3 && ' · at least 3 needed'}
        </p>
        <div className="inline-actions">
          <button
            type="button"
            className="small"
            onClick={() => pick.start('area')}
            disabled={pick.kind === 'area'}
          >
            {area && area.length > 0 ? 'Add corners on the map' : 'Draw on the map'}
          </button>
          {area && (
            <button type="button" className="small ghost" onClick={pick.clearArea}>
              Clear area
            </button>
          )}
        </div>
      </fieldset>
      {error && <p className="form-error">{error}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Save plan'}
        </button>
      </div>
    </form>
  );
}
