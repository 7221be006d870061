import * as maplibregl from 'maplibre-gl';
import { useEffect } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { DetectionDrill } from '../../../src/contract/detection-drills.ts';
import { trackerColour } from './drill-format.ts';
import { useTrackMap } from './use-track-map.ts';

interface Props {
  tiles: ClientConfig['tiles'];
  drill: DetectionDrill;
  callsign: (memberId: string) => string;
}

const OBJECT_COLOUR = '#f7b32b';
const searcherColour = (drill: DetectionDrill, id: string) =>
  trackerColour(Math.max(0, drill.searcherIds.indexOf(id)));

/** The placed objects (labelled dots, HTML markers) and each searcher's path over the plain map and grid, fitted to both. */
export function DetectionMap({ tiles, drill, callsign }: Props) {
  const { container, map } = useTrackMap(tiles, 'detection-tracks', 3);

  useEffect(() => {
    if (!map) return;
    const tracks = drill.tracks
      .filter((t) => t.coordinates.length > 1)
      .map((t) => ({
        type: 'Feature' as const,
        geometry: { type: 'LineString' as const, coordinates: t.coordinates },
        properties: { colour: searcherColour(drill, t.searcherId) },
      }));
    // Objects as HTML markers: the plain offline style has no glyphs for text layers.
    const markers = drill.objects.map((o) => {
      const el = document.createElement('div');
      el.className = 'detection-object';
      const label = document.createElement('span');
      label.textContent = o.label;
      el.append(label);
      return new maplibregl.Marker({ element: el, anchor: 'top-left', offset: [-7, -7] })
        .setLngLat([o.lon, o.lat])
        .addTo(map);
    });
    (map.getSource('detection-tracks') as maplibregl.GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: tracks,
    });
    const bounds = new maplibregl.LngLatBounds();
    for (const o of drill.objects) bounds.extend([o.lon, o.lat]);
    for (const t of drill.tracks) for (const c of t.coordinates) bounds.extend(c);
    if (!bounds.isEmpty()) {
      map.resize();
      map.fitBounds(bounds, { padding: 50, maxZoom: 18, duration: 0 });
    }
    return () => {
      for (const m of markers) m.remove();
    };
  }, [map, drill]);

  return (
    <div className="drill-map" data-testid="detection-map">
      <div ref={container} className="map" />
      <ul className="drill-legend">
        <li>
          <span className="object-swatch" style={{ background: OBJECT_COLOUR }} />
          object
        </li>
        {drill.searcherIds.map((id) => (
          <li key={id}>
            <span className="trail-swatch" style={{ background: searcherColour(drill, id) }} />
            {callsign(id)} · searcher
          </li>
        ))}
      </ul>
    </div>
  );
}
