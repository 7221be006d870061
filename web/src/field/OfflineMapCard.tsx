import { useEffect, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';
import { areaToKeep, type CacheStatus, cacheStatus, type SaveProgress, saveArea } from './offline-tiles.ts';

interface Props {
  operationArea: readonly LatLon[] | null | undefined;
  base: LatLon | null;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** How much of the map this phone keeps for use with no network, and a button to keep the area's tiles. */
export function OfflineMapCard({ operationArea, base }: Props) {
  const [status, setStatus] = useState<CacheStatus | null>(null);
  const [saving, setSaving] = useState<SaveProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void cacheStatus().then(setStatus);
  }, []);
  const box = areaToKeep(operationArea, base);
  if (typeof caches === 'undefined') return null;
  const save = async () => {
    if (!box) return;
    setError(null);
    try {
      const done = await saveArea(box, setSaving);
      if (done.total === 0) setError('No offline map is prepared for this area on the server.');
      else if (done.failed > 0)
        setError(`${done.failed} tiles could not be fetched; try again with a connection.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(null);
      setStatus(await cacheStatus());
    }
  };
  return (
    <section className="card" data-testid="offline-map">
      <h2>Offline map</h2>
      <p data-testid="offline-map-status">
        {status === null
          ? 'Checking…'
          : `${status.tiles.toLocaleString()} map tiles kept on this phone${
              status.usedBytes !== null ? ` (${mb(status.usedBytes)} used by Howl)` : ''
            }.`}
      </p>
      {saving && (
        <p role="status" data-testid="offline-map-progress">
          Saving {saving.done.toLocaleString()} / {saving.total.toLocaleString()} tiles…
        </p>
      )}
      {error && <p className="error">{error}</p>}
      <button type="button" disabled={!box || saving !== null} onClick={() => void save()}>
        {operationArea && operationArea.length >= 3
          ? "Keep the operation area's map"
          : "Keep the base area's map"}
      </button>
      {!box && <p>Your team has no base or operation area to keep a map of yet.</p>}
    </section>
  );
}
