import type { Team, TeamSettingsBody } from '../../../src/contract/members.ts';

/** The alert and roll-call settings as typed: strings, so a field can be empty while editing. */
export type AlertSettingsForm = Record<(typeof FIELDS)[number]['key'], string>;

const FIELDS = [
  { key: 'sosCountdownS', label: 'SOS countdown (s; 0 sends at once)', min: 0, max: 60 },
  { key: 'alertResendS', label: 'Re-send unacknowledged real alerts every (s)', min: 5, max: 3600 },
  { key: 'separationM', label: 'Separated beyond (m)', min: 10, max: 100_000 },
  { key: 'rollCallDeadlineS', label: 'Roll call answer deadline (s)', min: 30, max: 3600 },
  { key: 'rollCallRepeatS', label: 'Remind to repeat the roll call after (s)', min: 60, max: 86_400 },
  { key: 'manDownMinutes', label: 'Man-down after no movement (min; empty: off)', min: 1, max: 240 },
] as const;

export function alertSettingsForm(team: Team): AlertSettingsForm {
  return {
    sosCountdownS: String(team.sosCountdownS),
    alertResendS: String(team.alertResendS),
    separationM: String(team.separationM),
    rollCallDeadlineS: String(team.rollCallDeadlineS),
    rollCallRepeatS: String(team.rollCallRepeatS),
    manDownMinutes: team.manDownMinutes === null ? '' : String(team.manDownMinutes),
  };
}

export function alertSettingsBody(form: AlertSettingsForm): TeamSettingsBody {
  return {
    sosCountdownS: Number(form.sosCountdownS),
    alertResendS: Number(form.alertResendS),
    separationM: Number(form.separationM),
    rollCallDeadlineS: Number(form.rollCallDeadlineS),
    rollCallRepeatS: Number(form.rollCallRepeatS),
    manDownMinutes: form.manDownMinutes.trim() === '' ? null : Number(form.manDownMinutes),
  };
}

/** Alerts and roll call: SOS countdown, re-send interval, separation, roll-call deadline and reminder, man-down. */
export function AlertSettings(props: {
  form: AlertSettingsForm;
  onChange: (form: AlertSettingsForm) => void;
}) {
  return (
    <fieldset className="base-field">
      <legend>Alerts and roll call</legend>
      {FIELDS.map((f) => (
        <label key={f.key}>
          {f.label}
          <input
            name={f.key}
            type="number"
            required={f.key !== 'manDownMinutes'}
            min={f.min}
            max={f.max}
            step={1}
            value={props.form[f.key]}
            onChange={(ev) => props.onChange({ ...props.form, [f.key]: ev.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}
