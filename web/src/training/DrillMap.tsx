import * as maplibregl from 'maplibre-gl';
import { useEffect } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { DrillTracks } from '../../../src/contract/drills.ts';
import { RUNNER_COLOUR, trackerColour } from './drill-format.ts';
import { useTrackMap } from './use-track-map.ts';

/** The runner's trail wider than the trackers' paths. */
const DRILL_LINE_WIDTH: maplibregl.DataDrivenPropertyValueSpecification<number> = [
  'case',
  ['==', ['get', 'role'], 'runner'],
  5,
  3,
];

interface Props {
  tiles: ClientConfig['tiles'];
  tracks: DrillTracks | null;
  /** The trackers in the drill's order, so each keeps its colour in the table too. */
  trackerIds: readonly string[];
}

/** The colour of a participant's line: the runner's, or their tracker's. */
export function trailColour(memberId: string, runner: boolean, trackerIds: readonly string[]): string {
  return runner ? RUNNER_COLOUR : trackerColour(Math.max(0, trackerIds.indexOf(memberId)));
}

/** The runner's trail and each tracker's path over the plain map and grid, with a legend, fitted to the tracks. */
export function DrillMap({ tiles, tracks, trackerIds }: Props) {
  const { container, map } = useTrackMap(tiles, 'drill', DRILL_LINE_WIDTH);

  useEffect(() => {
    if (!map || !tracks) return;
    const features = tracks.features.map((f) => ({
      ...f,
      properties: {
        role: f.properties.role,
        colour: trailColour(f.properties.memberId, f.properties.role === 'runner', trackerIds),
      },
    }));
    // The runner's trail underneath: trackers' paths stay visible on top of it.
    features.sort((a, b) => Number(b.properties.role === 'runner') - Number(a.properties.role === 'runner'));
    (map.getSource('drill') as maplibregl.GeoJSONSource).setData({ type: 'FeatureCollection', features });
    const bounds = new maplibregl.LngLatBounds();
    for (const f of tracks.features) for (const c of f.geometry.coordinates) bounds.extend(c);
    if (!bounds.isEmpty()) {
      map.resize();
      map.fitBounds(bounds, { padding: 50, maxZoom: 18, duration: 0 });
    }
  }, [map, tracks, trackerIds]);

  const legend = tracks?.features ?? [];
  return (
    <div className="drill-map" data-testid="drill-map">
      <div ref={container} className="map" />
      {legend.length > 0 && (
        <ul className="drill-legend" data-testid="drill-legend">
          {legend.map((f) => (
            <li key={f.properties.memberId}>
              <span
                className="trail-swatch"
                style={{
                  background: trailColour(f.properties.memberId, f.properties.role === 'runner', trackerIds),
                }}
              />
              {f.properties.callsign} · {f.properties.role}
            </li>
          ))}
        </ul>
      )}
      {tracks && legend.length === 0 && <p className="drill-map-empty muted">No tracks yet.</p>}
    </div>
  );
}
