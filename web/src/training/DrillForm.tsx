import { type FormEvent, useEffect, useState } from 'react';
import type { CreateDrillBody, Drill } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Skill } from '../../../src/contract/training.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { DrillConditionsFields } from './DrillConditionsFields.tsx';
import { type ConditionFields, conditionsOf, NEW_DRILL_FIELDS } from './drill-conditions.ts';

import { participantLabel } from './drill-format.ts';

interface Props {
  members: readonly Member[];
  onCreated: (drill: Drill) => void;
  onClose: () => void;
}

/** Plan a tracking drill, or record one that already happened (its GPX files are uploaded afterwards). */
export function DrillForm({ members, onCreated, onClose }: Props) {
  const [name, setName] = useState('');
  const [runnerId, setRunnerId] = useState('');
  const [trackerIds, setTrackerIds] = useState<string[]>([]);
  const [c, setC] = useState<ConditionFields>(NEW_DRILL_FIELDS);
  const [recorded, setRecorded] = useState(true);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [skillIds, setSkillIds] = useState<string[]>([]);
  const { busy, error, run } = useAction();

  useEffect(() => {
    // The skills catalogue may not be there (older server): the drill works without skills.
    api<{ skills: Skill[] }>('/api/skills')
      .then((r) => setSkills(r.skills))
      .catch(() => setSkills([]));
  }, []);

  const toggle = (list: string[], id: string, on: boolean) =>
    on ? [...list, id] : list.filter((x) => x !== id);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body: CreateDrillBody = {
      name: name.trim(),
      runnerId,
      trackerIds,
      conditions: conditionsOf(c),
      toleranceM: Number(c.toleranceM),
      findRadiusM: Number(c.findRadiusM),
      skillIds,
      recorded,
    };
    const drill = await run(() => api<Drill>('/api/drills', { method: 'POST', body }));
    if (drill) onCreated(drill);
  };

  return (
    <form className="form drill-form" data-testid="drill-form" onSubmit={submit}>
      <h3>New tracking drill</h3>
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
      <div className="drill-form-grid">
        <label>
          Runner
          <select name="runner" required value={runnerId} onChange={(ev) => setRunnerId(ev.target.value)}>
            <option value="">choose…</option>
            {members
              .filter((m) => m.kind !== 'animal')
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {m.callsign}
                </option>
              ))}
          </select>
        </label>
        <fieldset className="drill-trackers">
          <legend>Trackers</legend>
          {members
            .filter((m) => m.id !== runnerId)
            .map((m) => (
              <label key={m.id} className="check">
                <input
                  type="checkbox"
                  name={`tracker-${m.callsign}`}
                  checked={trackerIds.includes(m.id)}
                  onChange={(ev) => setTrackerIds(toggle(trackerIds, m.id, ev.target.checked))}
                />
                {participantLabel(m)}
              </label>
            ))}
        </fieldset>
      </div>
      <DrillConditionsFields fields={c} onChange={setC} />
      {skills.length > 0 && (
        <fieldset className="drill-trackers">
          <legend>Skills practised</legend>
          {skills.map((s) => (
            <label key={s.id} className="check">
              <input
                type="checkbox"
                checked={skillIds.includes(s.id)}
                onChange={(ev) => setSkillIds(toggle(skillIds, s.id, ev.target.checked))}
              />
              {s.name}
            </label>
          ))}
        </fieldset>
      )}
      <label className="check">
        <input
          type="checkbox"
          name="recorded"
          checked={recorded}
          onChange={(ev) => setRecorded(ev.target.checked)}
        />
        Already happened — I'll upload GPX files
      </label>
      {error && <p className="form-error">{error}</p>}
      <div className="inline-actions">
        <button type="submit" className="primary" disabled={busy || !runnerId || trackerIds.length === 0}>
          {recorded ? 'Record drill' : 'Plan drill'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
