import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { DrillTracks } from '../../../src/contract/drills.ts';
import { createBaseMap } from '../console/base-map.ts';
import { buildStyle } from '../console/map-style.ts';
import { RUNNER_COLOUR, trackerColour } from './drill-format.ts';

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
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    buildStyle(tiles).then(({ style, basemap }) => {
      if (cancelled || !container.current) return;
      map = createBaseMap(container.current, style, basemap);
      mapRef.current = map;
      map.on('load', () => {
        if (!map) return;
        map.addSource('drill', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({
          id: 'drill-lines',
          type: 'line',
          source: 'drill',
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: {
            'line-color': ['get', 'colour'],
            'line-width': ['case', ['==', ['get', 'role'], 'runner'], 5, 3],
            'line-opacity': 0.9,
          },
        });
        setReady(true);
      });
    });
    return () => {
      cancelled = true;
      mapRef.current = null;
      map?.remove();
      setReady(false);
    };
  }, [tiles]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !tracks) return;
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
  }, [ready, tracks, trackerIds]);

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
