import { type FormEvent, useEffect, useState } from 'react';
import type { CreateDrillBody, Drill, DrillConditions, TrailType } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Skill } from '../../../src/contract/training.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';

interface Props {
  members: readonly Member[];
  onCreated: (drill: Drill) => void;
  onClose: () => void;
}

const TRAIL_TYPES: Array<[TrailType, string]> = [
  ['training', 'Training'],
  ['double_blind', 'Double-blind'],
  ['negative', 'Negative'],
  ['line_up', 'Line-up'],
];

/** A number from a text field, or null when empty. */
const num = (text: string) => (text.trim() === '' ? null : Number(text));
const who = (m: Member) => (m.kind === 'animal' ? `${m.callsign} (K9)` : m.callsign);

/** Plan a tracking drill, or record one that already happened (its GPX files are uploaded afterwards). */
export function DrillForm({ members, onCreated, onClose }: Props) {
  const [name, setName] = useState('');
  const [runnerId, setRunnerId] = useState('');
  const [trackerIds, setTrackerIds] = useState<string[]>([]);
  const [c, setC] = useState<Record<string, string>>({
    trailType: 'training',
    toleranceM: '20',
    findRadiusM: '10',
  });
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

  const field = (key: string) => ({
    value: c[key] ?? '',
    onChange: (ev: { target: { value: string } }) => setC({ ...c, [key]: ev.target.value }),
  });
  const toggle = (list: string[], id: string, on: boolean) =>
    on ? [...list, id] : list.filter((x) => x !== id);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const conditions: Partial<DrillConditions> = {
      trailAgeMin: num(c.trailAgeMin ?? ''),
      trailType: (c.trailType ?? 'training') as TrailType,
      terrain: c.terrain ?? '',
      weather: c.weather ?? '',
      temperatureC: num(c.temperatureC ?? ''),
      windDirectionDeg: num(c.windDirectionDeg ?? ''),
      windSpeedMps: num(c.windSpeedMps ?? ''),
      scentArticle: c.scentArticle ?? '',
      notes: c.notes ?? '',
    };
    const body: CreateDrillBody = {
      name: name.trim(),
      runnerId,
      trackerIds,
      conditions: conditions as DrillConditions,
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
                {who(m)}
              </label>
            ))}
        </fieldset>
      </div>
      <fieldset className="drill-form-grid">
        <legend>Conditions</legend>
        <label>
          Trail age (min)
          <input name="trailAgeMin" type="number" min={0} step="any" {...field('trailAgeMin')} />
        </label>
        <label>
          Trail type
          <select name="trailType" {...field('trailType')}>
            {TRAIL_TYPES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Terrain / surface
          <input name="terrain" maxLength={200} {...field('terrain')} />
        </label>
        <label>
          Weather
          <input name="weather" maxLength={200} {...field('weather')} />
        </label>
        <label>
          Temperature (°C)
          <input name="temperatureC" type="number" min={-60} max={60} step="any" {...field('temperatureC')} />
        </label>
        <label>
          Wind from (°)
          <input name="windDirectionDeg" type="number" min={0} max={360} {...field('windDirectionDeg')} />
        </label>
        <label>
          Wind (m/s)
          <input name="windSpeedMps" type="number" min={0} max={60} step="any" {...field('windSpeedMps')} />
        </label>
        <label>
          Scent article
          <input name="scentArticle" maxLength={200} {...field('scentArticle')} />
        </label>
      </fieldset>
      <label>
        Notes
        <textarea name="notes" maxLength={5000} {...field('notes')} />
      </label>
      <div className="drill-form-grid">
        <label>
          Tolerance (m)
          <input name="toleranceM" type="number" min={1} max={500} required {...field('toleranceM')} />
        </label>
        <label>
          Find radius (m)
          <input name="findRadiusM" type="number" min={1} max={500} required {...field('findRadiusM')} />
        </label>
      </div>
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
