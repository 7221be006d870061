import { type ConditionFields, TRAIL_TYPES } from './drill-conditions.ts';

interface Props {
  fields: ConditionFields;
  onChange: (fields: ConditionFields) => void;
}

/** The conditions, notes, tolerance and find radius of a drill, as form fields (new drill and edit). */
export function DrillConditionsFields({ fields, onChange }: Props) {
  const field = (key: string) => ({
    value: fields[key] ?? '',
    onChange: (ev: { target: { value: string } }) => onChange({ ...fields, [key]: ev.target.value }),
  });
  return (
    <>
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
    </>
  );
}
