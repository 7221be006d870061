import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { DetectionDrill } from '../../../src/contract/detection-drills.ts';
import { createBaseMap } from '../console/base-map.ts';
import { buildStyle } from '../console/map-style.ts';
import { trackerColour } from './drill-format.ts';

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
        const empty = { type: 'FeatureCollection' as const, features: [] };
        map.addSource('detection-tracks', { type: 'geojson', data: empty });
        map.addLayer({
          id: 'detection-tracks',
          type: 'line',
          source: 'detection-tracks',
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': ['get', 'colour'], 'line-width': 3, 'line-opacity': 0.9 },
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
    if (!ready || !map) return;
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
  }, [ready, drill]);

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
