import { type FormEvent, useState } from 'react';
import type { Skill, SkillAppliesTo } from '../../../src/contract/training.ts';
import { api } from '../shared/api.ts';
import { confirmAction, Dialog } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';

interface Props {
  skills: readonly Skill[];
  onChanged: () => void;
  onClose: () => void;
}

/** The team's skills catalogue (leader): add, mark required, set validity, archive. */
export function SkillsDialog({ skills, onChanged, onClose }: Props) {
  const [name, setName] = useState('');
  const [required, setRequired] = useState(false);
  const [appliesTo, setAppliesTo] = useState<SkillAppliesTo>('all');
  const [validity, setValidity] = useState('');
  const { busy, error, run } = useAction();

  const add = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = {
      name: name.trim(),
      required,
      appliesTo,
      validityMonths: validity ? Number(validity) : null,
    };
    if (await run(() => api<Skill>('/api/skills', { method: 'POST', body }))) {
      setName('');
      setRequired(false);
      setAppliesTo('all');
      setValidity('');
      onChanged();
    }
  };
  const change = async (s: Skill, patch: Partial<Skill>) => {
    if (await run(() => api<Skill>(`/api/skills/${s.id}`, { method: 'PATCH', body: patch }))) onChanged();
  };
  const archive = async (s: Skill) => {
    if (!(await confirmAction(`Archive ${s.name}? Sign-offs in it stay on record but no longer count.`)))
      return;
    const done = await run(async () => {
      await api(`/api/skills/${s.id}`, { method: 'DELETE' });
      return true;
    });
    if (done) onChanged();
  };

  return (
    <Dialog title="Skills" onClose={onClose} wide>
      <table className="records-table skills-table" data-testid="skills-table">
        <thead>
          <tr>
            <th scope="col">Skill</th>
            <th scope="col">For</th>
            <th scope="col">Required</th>
            <th scope="col">Valid for (months)</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {skills.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No skills yet: add crossbow, first aid, navigation, trailing…
              </td>
            </tr>
          )}
          {skills.map((s) => (
            <tr key={s.id} data-testid="skill-row" data-skill={s.name}>
              <td>{s.name}</td>
              <td>
                <AppliesToSelect
                  label={`${s.name} is for`}
                  value={s.appliesTo}
                  disabled={busy}
                  onChange={(v) => change(s, { appliesTo: v })}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${s.name} required`}
                  checked={s.required}
                  disabled={busy}
                  onChange={(ev) => change(s, { required: ev.target.checked })}
                />
              </td>
              <td>
                <input
                  type="number"
                  className="narrow"
                  min={1}
                  max={240}
                  aria-label={`${s.name} validity in months`}
                  defaultValue={s.validityMonths ?? ''}
                  placeholder="no expiry"
                  onBlur={(ev) => {
                    const v = ev.target.value ? Number(ev.target.value) : null;
                    if (v !== s.validityMonths) change(s, { validityMonths: v });
                  }}
                />
              </td>
              <td>
                <button type="button" className="small" onClick={() => archive(s)}>
                  Archive
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form skill-form" onSubmit={add}>
        <h3>Add a skill</h3>
        <label>
          Name
          <input
            name="skill-name"
            required
            maxLength={80}
            value={name}
            onChange={(ev) => setName(ev.target.value)}
          />
        </label>
        <label htmlFor="skill-applies-to">
          For
          <AppliesToSelect
            id="skill-applies-to"
            label="Who the skill is for"
            value={appliesTo}
            onChange={setAppliesTo}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="skill-required"
            checked={required}
            onChange={(ev) => setRequired(ev.target.checked)}
          />{' '}
          Required to be field-ready
        </label>
        <label>
          Valid for (months) <span className="hint">(empty: no expiry)</span>
          <input
            type="number"
            name="skill-validity"
            min={1}
            max={240}
            value={validity}
            onChange={(ev) => setValidity(ev.target.value)}
          />
        </label>
        {error && <p className="form-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Done
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Add skill
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const APPLIES_TO: Record<SkillAppliesTo, string> = { all: 'everyone', person: 'people', animal: 'K9s' };

function AppliesToSelect(props: {
  id?: string;
  label: string;
  value: SkillAppliesTo;
  disabled?: boolean;
  onChange: (value: SkillAppliesTo) => void;
}) {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={props.value}
      disabled={props.disabled}
      onChange={(ev) => props.onChange(ev.target.value as SkillAppliesTo)}
    >
      {Object.entries(APPLIES_TO).map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}
