import { type FormEvent, useState } from 'react';
import type { Team, TeamSettingsBody } from '../../../src/contract/members.ts';
import { parseCoordinates } from '../../../src/domain/coordinates.ts';
import { api } from '../shared/api.ts';
import { Dialog, FormActions } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';
import { AlertSettings, alertSettingsBody, alertSettingsForm } from './AlertSettings.tsx';
import { InReachOutboundSettings } from './InReachOutboundSettings.tsx';
import { type AreaForm, MapAreasDialog } from './MapAreasDialog.tsx';
import { WebhooksDialog } from './WebhooksDialog.tsx';

interface Props {
  team: Team;
  onSaved: (team: Team) => void;
  /** Close the dialog and let the leader click the base on the map. */
  onPickBase: () => void;
  /** Close the dialog and let the leader draw a new map area's box on the map. */
  onDrawArea: (form: AreaForm) => void;
  /** Opens on the map areas, with this form (the box just drawn). */
  areaForm?: AreaForm | undefined;
  onClose: () => void;
}

export function SettingsDialog({ team, onSaved, onPickBase, onDrawArea, areaForm, onClose }: Props) {
  const [name, setName] = useState(team.name);
  const [staleSeconds, setStaleSeconds] = useState(String(team.staleSeconds));
  const [alerting, setAlerting] = useState(() => alertSettingsForm(team));
  const [baseText, setBaseText] = useState('');
  const [clock, setClock] = useState<Team['clock']>(team.clock);
  const [keepDays, setKeepDays] = useState(
    team.keepPositionsDays === null ? '' : String(team.keepPositionsDays),
  );
  const [webhooks, setWebhooks] = useState(false);
  const [mapAreas, setMapAreas] = useState(areaForm !== undefined);
  const { busy, error, run } = useAction();
  const typedBase = baseText.trim() ? parseCoordinates(baseText) : null;

  const save = async (body: TeamSettingsBody) => {
    const updated = await run(() => api<Team>('/api/team', { method: 'PATCH', body }));
    if (updated) onSaved(updated);
    return updated;
  };

  const formBody = (): TeamSettingsBody => ({
    name: name.trim(),
    staleSeconds: Number(staleSeconds),
    clock,
    keepPositionsDays: keepDays.trim() === '' ? null : Number(keepDays),
    ...alertSettingsBody(alerting),
    ...(typedBase?.ok ? { base: { lat: typedBase.lat, lon: typedBase.lon } } : {}),
  });

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (typedBase && !typedBase.ok) return;
    if (await save(formBody())) onClose();
  };

  /** What was typed is saved first, so that picking the base on the map loses none of it. */
  const pickOnMap = async () => {
    const { base: _typed, ...rest } = formBody();
    if (await save(rest)) onPickBase();
  };

  const base = team.base;
  if (webhooks) return <WebhooksDialog onClose={() => setWebhooks(false)} />;
  if (mapAreas)
    return (
      <MapAreasDialog
        base={team.base}
        initial={areaForm}
        onDraw={onDrawArea}
        onClose={() => setMapAreas(false)}
      />
    );
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
        <label>
          Clock
          <select name="clock" value={clock} onChange={(ev) => setClock(ev.target.value as Team['clock'])}>
            <option value="24h">24-hour (14:05)</option>
            <option value="12h">12-hour (2:05 PM)</option>
          </select>
        </label>
        <label>
          Keep positions for (days){' '}
          <span className="hint">
            (empty: keep everything; <code>howl prune</code> removes older ones)
          </span>
          <input
            name="keepPositionsDays"
            type="number"
            min={1}
            max={36500}
            step={1}
            placeholder="forever"
            value={keepDays}
            onChange={(ev) => setKeepDays(ev.target.value)}
          />
        </label>
        <fieldset className="base-field">
          <legend>Base</legend>
          <p className="base-value">
            {base
              ? `${base.lat.toFixed(5)}, ${base.lon.toFixed(5)}`
              : 'Not set: distances are measured from you.'}
          </p>
          <label>
            Type a position{' '}
            <span className="hint">
              (51.05, -1.31 · 51°03'N 1°18'36"W · UTM 30U 618455 5656743 · MGRS 30UXB1845556743)
            </span>
            <input
              name="base"
              autoComplete="off"
              spellCheck={false}
              value={baseText}
              aria-invalid={typedBase?.ok === false}
              onChange={(ev) => setBaseText(ev.target.value)}
            />
          </label>
          {typedBase && (
            <p className={typedBase.ok ? 'muted' : 'form-error'} data-testid="base-preview">
              {typedBase.ok
                ? `= ${typedBase.lat.toFixed(5)}, ${typedBase.lon.toFixed(5)} (${typedBase.kind.toUpperCase()}); saved with the settings`
                : typedBase.reason}
            </p>
          )}
          <div className="inline-actions">
            <button type="button" disabled={busy} onClick={() => void pickOnMap()}>
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
        <InReachOutboundSettings />
        <p>
          <button type="button" onClick={() => setWebhooks(true)} data-testid="open-webhooks">
            Webhooks (SMS gateway, pager, chat)…
          </button>{' '}
          <button type="button" onClick={() => setMapAreas(true)} data-testid="open-map-areas">
            Offline map areas…
          </button>
        </p>
        <FormActions error={error} busy={busy} label="Save" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
