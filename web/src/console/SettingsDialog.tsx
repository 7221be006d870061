import { type FormEvent, useState } from 'react';
import type { Team, TeamSettingsBody } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { Dialog, FormActions } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';
import { AlertSettings, alertSettingsBody, alertSettingsForm } from './AlertSettings.tsx';

interface Props {
  team: Team;
  onSaved: (team: Team) => void;
  /** Close the dialog and let the leader click the base on the map. */
  onPickBase: () => void;
  onClose: () => void;
}

export function SettingsDialog({ team, onSaved, onPickBase, onClose }: Props) {
  const [name, setName] = useState(team.name);
  const [staleSeconds, setStaleSeconds] = useState(String(team.staleSeconds));
  const [alerting, setAlerting] = useState(() => alertSettingsForm(team));
  const { busy, error, run } = useAction();

  const save = async (body: TeamSettingsBody) => {
    const updated = await run(() => api<Team>('/api/team', { method: 'PATCH', body }));
    if (updated) onSaved(updated);
    return updated;
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = { name: name.trim(), staleSeconds: Number(staleSeconds), ...alertSettingsBody(alerting) };
    if (await save(body)) onClose();
  };

  const base = team.base;
  return (
    <Dialog title="Team settings" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label>
          Team name
          <input
            name="name"
            required
            maxLength={80}
            value={name}
            onChange={(ev) => setName(ev.target.value)}
          />
        </label>
        <label>
          Stale after (seconds without a report)
          <input
            name="staleSeconds"
            type="number"
            required
            min={10}
            max={86400}
            step={1}
            value={staleSeconds}
            onChange={(ev) => setStaleSeconds(ev.target.value)}
          />
        </label>
        <fieldset className="base-field">
          <legend>Base</legend>
          <p className="base-value">
            {base
              ? `${base.lat.toFixed(5)}, ${base.lon.toFixed(5)}`
              : 'Not set: distances are measured from you.'}
          </p>
          <div className="inline-actions">
            <button type="button" onClick={onPickBase}>
              Set base on the map
            </button>
            {base && (
              <button type="button" className="ghost" disabled={busy} onClick={() => save({ base: null })}>
                Clear base
              </button>
            )}
          </div>
        </fieldset>
        <AlertSettings form={alerting} onChange={setAlerting} />
        <FormActions error={error} busy={busy} label="Save" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
