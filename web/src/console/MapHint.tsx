import type { MapPick } from './use-map-pick.ts';

/** What a map click does right now, with the way out. */
export function MapHint({ pick }: { pick: MapPick }) {
  if (!pick.kind) return null;
  const corners = pick.draftArea?.length ?? 0;
  return (
    <div className="map-hint" data-testid="map-hint">
      {pick.kind === 'base' && 'Click the map where the base is. '}
      {pick.kind === 'contact' && 'Click the map where the hostiles are. '}
      {pick.kind === 'ipp' && 'Click the map at the initial planning point. '}
      {pick.kind === 'area' && `Click the corners of the exercise area (${corners} so far). `}
      {pick.kind === 'segment' && `Click the corners of the search segment (${corners} so far). `}
      {(pick.kind === 'area' || pick.kind === 'segment') && corners > 0 && (
        <button type="button" className="link-button" onClick={pick.undoCorner}>
          Undo
        </button>
      )}{' '}
      {pick.kind === 'area' || pick.kind === 'segment' ? (
        <button type="button" className="link-button" onClick={pick.stop}>
          Done
        </button>
      ) : (
        <button type="button" className="link-button" onClick={pick.stop}>
          Cancel
        </button>
      )}
    </div>
  );
}
