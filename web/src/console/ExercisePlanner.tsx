import { type FormEvent, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { CreateExerciseBody, Operation, ParticipantRole } from '../../../src/contract/operations.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { ROLE_WORD } from './ExerciseControls.tsx';
import type { MapPick } from './use-map-pick.ts';

interface Props {
  members: readonly Member[];
  pick: MapPick;
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
export function ExercisePlanner({ members, pick, onPlanned, onClose }: Props) {
  const [name, setName] = useState('');
  const [scenario, setScenario] = useState('');
  const [roles, setRoles] = useState<Record<string, ParticipantRole | ''>>({});
  const [injects, setInjects] = useState<InjectRow[]>([]);
  const { busy, error, run } = useAction();
  const area = pick.draftArea;

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
    const op = await run(() => api<Operation>('/api/operations', { method: 'POST', body }));
    if (op) {
      pick.clearArea();
      onPlanned(op);
    }
  };

  return (
    <form className="form planner panel-section" data-testid="exercise-planner" onSubmit={submit}>
      <h3>Plan an exercise</h3>
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
      <fieldset className="planner-group">
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
        <legend>Injects (minutes after STARTEX)</legend>
        {injects.map((i) => (
          <div key={i.key} className="planner-inject">
            <input
              aria-label="Minutes after STARTEX"
              type="number"
              min={0}
              step="any"
              required
              value={i.minutes}
              onChange={(ev) => setInject(i.key, { minutes: ev.target.value })}
            />
            <input
              aria-label="Inject message"
              maxLength={2000}
              placeholder="message"
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
          {busy ? 'Saving…' : 'Save plan'}
        </button>
      </div>
    </form>
  );
}
