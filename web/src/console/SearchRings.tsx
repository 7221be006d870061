import { useEffect, useState } from 'react';
import type { Subject } from '../../../src/contract/incidents.ts';
import type { DistanceTable, RingsCollection } from '../../../src/contract/search-rings.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import type { ShownRings } from './map-rings.ts';
import type { MapPick } from './use-map-pick.ts';

const coordinates = (p: { lat: number; lon: number }) => `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;

/**
 * Distance rings from the team's own lost-person statistics: leaders upload the CSV; anyone picks a subject
 * category and the initial planning point (a map click or a subject's last known position) and draws the rings.
 */
export function RingsForm({
  pick,
  subjects,
  isLeader,
  shown,
  onRings,
}: {
  pick: MapPick;
  subjects: readonly Subject[];
  isLeader: boolean;
  shown: ShownRings | null;
  onRings: (rings: ShownRings | null) => void;
}) {
  const [table, setTable] = useState<DistanceTable | null>(null);
  const [category, setCategory] = useState('');
  const upload = useAction();
  const draw = useAction();
  useEffect(() => {
    api<DistanceTable>('/api/search/distance-table')
      .then(setTable)
      .catch(() => undefined);
  }, []);
  const categories = table?.profiles.map((p) => p.category) ?? [];
  const chosen = categories.includes(category) ? category : (categories[0] ?? '');
  const ipp = pick.ippAt;
  const located = subjects.filter((s) => s.lastKnown !== null);

  const send = (file: File | undefined) =>
    upload.run(async () => {
      if (!file) return;
      const next = await api<DistanceTable>('/api/search/distance-table', {
        method: 'PUT',
        body: { csv: await file.text(), source: file.name },
      });
      setTable(next);
    });
  const drawRings = () =>
    draw.run(async () => {
      if (!ipp) return;
      const rings = await api<RingsCollection>('/api/search/distance-rings', {
        method: 'POST',
        body: { category: chosen, at: ipp },
      });
      onRings({ ipp, rings });
    });

  return (
    <section className="panel-section search-form" data-testid="rings-form">
      <h3>Distance rings</h3>
      <p className="muted">
        {categories.length > 0
          ? `The team's lost-person table (${table?.source ?? 'uploaded'}): ${categories.length} categories.`
          : 'No lost-person table yet: a leader uploads the team’s own CSV (docs/search-planning.md).'}
      </p>
      {isLeader && (
        <label>
          Upload CSV{' '}
          <input
            type="file"
            name="distance-table"
            accept=".csv,text/csv"
            onChange={(e) => {
              send(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
      )}
      {upload.error && <p className="form-error">{upload.error}</p>}
      {categories.length > 0 && (
        <>
          <label>
            Subject category{' '}
            <select name="ring-category" value={chosen} onChange={(e) => setCategory(e.target.value)}>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <p data-testid="ipp">Initial planning point: {ipp ? coordinates(ipp) : 'not set'}</p>
          <div className="search-actions">
            <button type="button" onClick={() => pick.start('ipp')} disabled={pick.kind === 'ipp'}>
              {pick.kind === 'ipp' ? 'Click the map…' : 'Pick on the map'}
            </button>
            {located.map((s) => (
              <button
                type="button"
                key={s.id}
                onClick={() => s.lastKnown && pick.setIpp(s.lastKnown)}
                title="the subject's last known position"
              >
                {s.name}: last known position
              </button>
            ))}
          </div>
          <div className="search-actions">
            <button type="button" onClick={drawRings} disabled={draw.busy || !ipp || chosen === ''}>
              Draw rings
            </button>
            {shown && (
              <button type="button" className="link-button" onClick={() => onRings(null)}>
                Clear rings
              </button>
            )}
          </div>
          {draw.error && <p className="form-error">{draw.error}</p>}
          {shown && (
            <ul className="muted" data-testid="ring-list">
              {shown.rings.features.map((f) => (
                <li key={f.properties.quantile}>{f.properties.label}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
