import type * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import { createBaseMap } from '../console/base-map.ts';
import { buildStyle } from '../console/map-style.ts';

/**
 * A drill's map: the team's tiles (or the plain map and grid) with one GeoJSON source of lines, `sourceId`, each
 * drawn in its feature's `colour` at `lineWidth` (a number, or an expression of the feature's properties). The map
 * is null until it has loaded, and again after the tiles change.
 */
export function useTrackMap(
  tiles: ClientConfig['tiles'],
  sourceId: string,
  lineWidth: maplibregl.DataDrivenPropertyValueSpecification<number>,
) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  // The layer is drawn once, as first asked for.
  const line = useRef({ sourceId, lineWidth });

  useEffect(() => {
    let created: maplibregl.Map | null = null;
    let cancelled = false;
    buildStyle(tiles).then(({ style, basemap }) => {
      if (cancelled || !container.current) return;
      const m = createBaseMap(container.current, style, basemap);
      created = m;
      m.on('load', () => {
        const { sourceId: id, lineWidth: width } = line.current;
        m.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({
          id,
          type: 'line',
          source: id,
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': ['get', 'colour'], 'line-width': width, 'line-opacity': 0.9 },
        });
        if (!cancelled) setMap(m);
      });
    });
    return () => {
      cancelled = true;
      setMap(null);
      created?.remove();
    };
  }, [tiles]);

  return { container, map };
}
