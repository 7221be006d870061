import { useState } from 'react';
import type { DetectionObjectInput } from '../../../src/contract/detection-drills.ts';

/** An object as typed in the table: numbers as the text of their fields. */
export interface ObjectField {
  id?: string;
  label: string;
  lat: string;
  lon: string;
  notes?: string;
}

/** The typed rows as the API takes them; rows left wholly empty are dropped (the server checks the rest). */
export function objectsOf(rows: readonly ObjectField[]): DetectionObjectInput[] {
  return rows
    .filter((r) => r.label.trim() || r.lat.trim() || r.lon.trim())
    .map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      label: r.label.trim(),
      lat: Number(r.lat),
      lon: Number(r.lon),
      notes: r.notes ?? '',
    }));
}

interface Props {
  objects: readonly ObjectField[];
  onChange: (objects: ObjectField[]) => void;
}

/**
 * The placed objects as a table of label, latitude and longitude, one row each; _Here_ takes this device's
 * position, for a trainer who enters each object standing at it.
 */
export function DetectionObjectsFields({ objects, onChange }: Props) {
  const [locating, setLocating] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (i: number, patch: Partial<ObjectField>) =>
    onChange(objects.map((o, k) => (k === i ? { ...o, ...patch } : o)));
  const here = (i: number) => {
    if (!navigator.geolocation) {
      setError('This browser gives no position: type the coordinates.');
      return;
    }
    setLocating(i);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(null);
        set(i, { lat: p.coords.latitude.toFixed(6), lon: p.coords.longitude.toFixed(6) });
      },
      (err) => {
        setLocating(null);
        setError(`No position from this device (${err.message || 'refused'}): type the coordinates.`);
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
    );
  };
  return (
    <fieldset className="detection-objects-fields">
      <legend>Objects placed</legend>
      <table className="drill-list">
        <thead>
          <tr>
            <th>Label</th>
            <th>Latitude</th>
            <th>Longitude</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {objects.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their order is their identity
            <tr key={i}>
              <td>
                <input
                  aria-label={`object ${i + 1} label`}
                  maxLength={80}
                  value={o.label}
                  onChange={(ev) => set(i, { label: ev.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`object ${i + 1} latitude`}
                  inputMode="decimal"
                  value={o.lat}
                  onChange={(ev) => set(i, { lat: ev.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`object ${i + 1} longitude`}
                  inputMode="decimal"
                  value={o.lon}
                  onChange={(ev) => set(i, { lon: ev.target.value })}
                />
              </td>
              <td className="detection-object-actions">
                <button
                  type="button"
                  aria-label={`Object ${i + 1} here`}
                  title="This device's position: stand at the object"
                  disabled={locating !== null}
                  onClick={() => here(i)}
                >
                  {locating === i ? 'Locating…' : 'Here'}
                </button>
                <button type="button" onClick={() => onChange(objects.filter((_, k) => k !== i))}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => onChange([...objects, { label: '', lat: '', lon: '' }])}>
        Add object
      </button>
      {error && <p className="form-error">{error}</p>}
    </fieldset>
  );
}
