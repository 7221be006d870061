import { useEffect, useState } from 'react';
import type { Member } from '../../../src/contract/members.ts';
import type { SearchPlan, SearchSegment, SweepWidth } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import type { MapPick } from './use-map-pick.ts';

type OnPlan = (plan?: SearchPlan) => void;

const DEFAULT_RESOURCE = 'grid ground';
const metres = (m: number) => String(Math.round(m * 10) / 10);

/** Draw a segment on the map, corner by corner, and save it with a name. */
export function SegmentForm({
  operationId,
  pick,
  onPlan,
}: {
  operationId: string;
  pick: MapPick;
  onPlan: OnPlan;
}) {
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const drawing = pick.kind === 'segment';
  const corners = drawing || pick.draftArea ? (pick.draftArea?.length ?? 0) : 0;
  const save = () =>
    run(async () => {
      const ring = (pick.draftArea ?? []).map((p) => [p.lon, p.lat]);
      await api<SearchSegment>(`/api/operations/${operationId}/search/segments`, {
        method: 'POST',
        body: { name, polygon: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } },
      });
      pick.clearArea();
      setName('');
      onPlan();
    });
  return (
    <section className="panel-section search-form" data-testid="segment-form">
      <h3>New segment</h3>
      <label>
        Name{' '}
        <input name="segment-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="search-actions">
        <button type="button" onClick={() => pick.start('segment')} disabled={drawing}>
          {drawing ? `Drawing… (${corners} corners)` : 'Draw on the map'}
        </button>
        <button type="button" onClick={save} disabled={busy || corners < 3 || name.trim() === ''}>
          Save segment
        </button>
        {corners > 0 && (
          <button type="button" className="link-button" onClick={pick.clearArea}>
            Discard
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}

/** The POA by hand, in percent per segment; the rest of the world is what is left. */
export function PoaForm({ plan, onPlan }: { plan: SearchPlan; onPlan: OnPlan }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      plan.segments.map((s) => [s.id, s.poa === null ? '' : String(Math.round(s.poa * 1000) / 10)]),
    ),
  );
  const { busy, error, run } = useAction();
  const shares = plan.segments.map((s) => Number(values[s.id] || 0) / 100);
  const rest = 1 - shares.reduce((a, b) => a + b, 0);
  const save = () =>
    run(async () => {
      const segments = Object.fromEntries(plan.segments.map((s, i) => [s.id, shares[i] ?? 0]));
      onPlan(
        await api<SearchPlan>(`/api/operations/${plan.operationId}/search/poa`, {
          method: 'PUT',
          body: { method: 'direct', segments },
        }),
      );
    });
  return (
    <section className="panel-section search-form" data-testid="poa-form">
      <h3>Probability of area</h3>
      {plan.segments.map((s) => (
        <label key={s.id}>
          {s.name}{' '}
          <input
            name={`poa-${s.name}`}
            type="number"
            min={0}
            max={100}
            step="any"
            value={values[s.id] ?? ''}
            onChange={(e) => setValues({ ...values, [s.id]: e.target.value })}
          />{' '}
          %
        </label>
      ))}
      <p className="muted">Rest of the world: {(rest * 100).toFixed(1)} %</p>
      <button type="button" onClick={save} disabled={busy}>
        Set POA
      </button>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}

/** Send members or K9s to a segment for a sortie, with the sweep width of the resource. */
export function AssignForm({
  plan,
  members,
  onPlan,
}: {
  plan: SearchPlan;
  members: readonly Member[];
  onPlan: OnPlan;
}) {
  const [segmentId, setSegmentId] = useState(plan.segments[0]?.id ?? '');
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const [resourceType, setResourceType] = useState(DEFAULT_RESOURCE);
  const [sweepWidth, setSweepWidth] = useState('20');
  const { busy, error, run } = useAction();
  // The team's sweep widths (set by hand or fitted from detection drills) fill in the resource's width.
  const [known, setKnown] = useState<readonly SweepWidth[]>([]);
  useEffect(() => {
    api<{ sweepWidths: SweepWidth[] }>('/api/search/sweep-widths')
      .then((r) => {
        setKnown(r.sweepWidths);
        const width = r.sweepWidths.find((w) => w.resourceType === DEFAULT_RESOURCE)?.sweepWidthM;
        if (width !== undefined) setSweepWidth(metres(width));
      })
      .catch(() => undefined);
  }, []);
  const pickResource = (type: string) => {
    setResourceType(type);
    const width = known.find((w) => w.resourceType === type)?.sweepWidthM;
    if (width !== undefined) setSweepWidth(metres(width));
  };
  const assign = () =>
    run(async () => {
      onPlan(
        await api<SearchPlan>(`/api/operations/${plan.operationId}/search/assignments`, {
          method: 'POST',
          body: { segmentId, memberIds: chosen, resourceType, sweepWidthM: Number(sweepWidth) },
        }),
      );
      setChosen([]);
    });
  return (
    <section className="panel-section search-form" data-testid="assign-form">
      <h3>Assign searchers</h3>
      <label>
        Segment{' '}
        <select name="assign-segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
          {plan.segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <div className="search-members">
        {members.map((m) => (
          <label key={m.id}>
            <input
              type="checkbox"
              name="assign-member"
              value={m.callsign}
              checked={chosen.includes(m.id)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, m.id] : chosen.filter((id) => id !== m.id))
              }
            />{' '}
            {m.callsign}
          </label>
        ))}
      </div>
      <label>
        Resource{' '}
        <input
          name="resource-type"
          list="search-resource-types"
          value={resourceType}
          onChange={(e) => pickResource(e.target.value)}
        />
        <datalist id="search-resource-types">
          {known.map((w) => (
            <option key={w.resourceType} value={w.resourceType}>
              {`${w.sweepWidthM.toFixed(0)} m (${w.source === 'manual' ? 'set by hand' : 'from drills'})`}
            </option>
          ))}
        </datalist>
      </label>
      <label>
        Sweep width{' '}
        <input
          name="sweep-width"
          type="number"
          min={1}
          value={sweepWidth}
          onChange={(e) => setSweepWidth(e.target.value)}
        />{' '}
        m
      </label>
      <button type="button" onClick={assign} disabled={busy || chosen.length === 0 || !segmentId}>
        Assign
      </button>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}
