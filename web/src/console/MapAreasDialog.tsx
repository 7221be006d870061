import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';
import type { ExtractJobView, TileAreaView } from '../../../src/contract/tiles.ts';
import { type Bbox, bboxAround } from '../../../src/domain/tile-area.ts';
import { api } from '../shared/api.ts';
import { confirmAction, Dialog } from '../shared/Dialog.tsx';
import { useAction } from '../shared/use-action.ts';
import { type EstimateView, useExtractEstimate } from './use-extract-estimate.ts';

const mb = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
const KIND_WORD: Record<TileAreaView['kind'], string> = {
  vector: 'map',
  terrain: 'terrain',
  raster: 'image',
};

/** About 5 km around the base, as W,S,E,N: where a team's first area usually is. */
function boxAroundBase(base: LatLon | null): string {
  const b = base ? bboxAround([base], 0.05) : null;
  return b ? bboxText(b) : '';
}

/** A box as the form shows it: W,S,E,N with four decimals (about 10 m). */
export const bboxText = (b: Bbox): string =>
  [b.west, b.south, b.east, b.north].map((v) => v.toFixed(4)).join(',');

/** The form of a new area, kept while the leader draws its box on the map. */
export interface AreaForm {
  from: string;
  name: string;
  bbox: string;
  maxzoom: string;
}

function estimateText(e: EstimateView): string {
  switch (e.kind) {
    case 'none':
      return 'Type the box and the deepest zoom to see the size.';
    case 'tiles':
      return `At most ${e.tiles.toLocaleString()} tiles; the size shows once the source is typed.`;
    case 'source':
      return `${e.estimate.tiles.toLocaleString()} tiles, zoom ${e.estimate.minZoom}–${e.estimate.maxZoom}: ${mb(e.estimate.bytes)}.`;
    case 'error':
      return `At most ${e.tiles.toLocaleString()} tiles. ${e.error}`;
  }
}

interface Props {
  base: LatLon | null;
  /** The form as it was when the leader went to draw the box (with the drawn box). */
  initial?: AreaForm | undefined;
  /** Close the dialog and let the leader draw the box on the map. */
  onDraw?: ((form: AreaForm) => void) | undefined;
  onClose: () => void;
}

/**
 * The offline map areas kept by the server (size, zooms), deleting one, and cutting a new one out of a
 * PMTiles archive (a URL, or a file on the server) with its size and progress (leader).
 */
export function MapAreasDialog({ base, initial, onDraw, onClose }: Props) {
  const [areas, setAreas] = useState<TileAreaView[] | null>(null);
  const [extracts, setExtracts] = useState<ExtractJobView[]>([]);
  const [from, setFrom] = useState(initial?.from ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [bbox, setBbox] = useState(() => initial?.bbox ?? boxAroundBase(base));
  const [maxzoom, setMaxzoom] = useState(initial?.maxzoom ?? '15');
  const estimate = useExtractEstimate(from, bbox, maxzoom);
  const { busy, error, run } = useAction();
  const load = useCallback(async () => {
    const [a, e] = await Promise.all([
      api<{ areas: TileAreaView[] }>('/api/tiles').catch(() => ({ areas: [] })),
      api<{ extracts: ExtractJobView[] }>('/api/tiles/extracts').catch(() => ({ extracts: [] })),
    ]);
    setAreas(a.areas);
    setExtracts(e.extracts);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const running = extracts.some((e) => e.state === 'running');
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void load(), 1000);
    return () => clearInterval(t);
  }, [running, load]);

  const start = async (ev: FormEvent) => {
    ev.preventDefault();
    const box = bbox.split(',').map((v) => Number(v.trim()));
    const job = await run(() =>
      api<ExtractJobView>('/api/tiles/extracts', {
        method: 'POST',
        body: { bbox: box, maxzoom: Number(maxzoom), from: from.trim(), name: name.trim() },
      }),
    );
    if (job) await load();
  };
  const remove = async (a: TileAreaView) => {
    if (!(await confirmAction(`Delete the map area ${a.name} (${mb(a.bytes)})?`, 'Delete'))) return;
    if (
      await run(() => api(`/api/tiles/${encodeURIComponent(a.name)}`, { method: 'DELETE' }).then(() => true))
    )
      await load();
  };

  return (
    <Dialog title="Offline map areas" onClose={onClose}>
      <p className="muted">
        Areas cut out of a PMTiles archive, kept on this server and drawn on every map with no internet (see
        docs/offline-maps.md; <code>howl tiles extract</code> does the same from the command line).
      </p>
      <ul className="webhook-list" data-testid="map-areas">
        {areas?.length === 0 && <li className="muted">No map areas yet.</li>}
        {areas?.map((a) => (
          <li key={a.name} data-testid="map-area">
            <strong>{a.name}</strong> <span className="muted">{KIND_WORD[a.kind]}</span>
            <br />
            <span className="muted">
              {mb(a.bytes)} · zoom {a.minZoom}–{a.maxZoom} · {a.tiles.toLocaleString()} tiles
            </span>{' '}
            <button type="button" className="small ghost" onClick={() => void remove(a)}>
              Delete
            </button>
          </li>
        ))}
        {extracts
          .filter((e) => e.state !== 'done')
          .map((e) => (
            <li key={e.id} data-testid="map-extract">
              <strong>{e.name}</strong>{' '}
              <span className={e.state === 'failed' ? 'form-error' : 'muted'}>
                {e.state === 'running'
                  ? `${Math.floor((100 * e.bytesDone) / Math.max(1, e.bytes))} % of ${mb(e.bytes)} (${e.tiles.toLocaleString()} tiles)`
                  : `${e.state}${e.error ? `: ${e.error}` : ''}`}
              </span>
              {e.state === 'running' && <progress max={e.bytes} value={e.bytesDone} />}
            </li>
          ))}
      </ul>
      <form className="form" onSubmit={start}>
        <label>
          Source archive (URL or a .pmtiles path on the server)
          <input
            name="tiles-from"
            required
            placeholder="https://…/planet.pmtiles"
            value={from}
            onChange={(ev) => setFrom(ev.target.value)}
          />
        </label>
        <label>
          Box: west, south, east, north (degrees)
          <input name="tiles-bbox" required value={bbox} onChange={(ev) => setBbox(ev.target.value)} />
        </label>
        {onDraw && (
          <button
            type="button"
            className="small"
            data-testid="draw-map-area"
            onClick={() => onDraw({ from, name, bbox, maxzoom })}
          >
            Draw on the map
          </button>
        )}
        <label>
          Name
          <input
            name="tiles-name"
            required
            pattern="[A-Za-z0-9][A-Za-z0-9_\-]*"
            value={name}
            onChange={(ev) => setName(ev.target.value)}
          />
        </label>
        <label>
          Deepest zoom
          <input
            name="tiles-maxzoom"
            type="number"
            min={0}
            max={22}
            value={maxzoom}
            onChange={(ev) => setMaxzoom(ev.target.value)}
          />
        </label>
        <p className={estimate.kind === 'error' ? 'form-error' : 'muted'} data-testid="tiles-estimate">
          {estimateText(estimate)}
        </p>
        {error && <p className="form-error">{error}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Cut the area
          </button>
        </div>
      </form>
    </Dialog>
  );
}
