import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { LatLon } from '../../../src/contract/common.ts';
import type { RingsCollection } from '../../../src/contract/search-rings.ts';

/** Distance rings drawn on the map: the rings, the initial planning point, and where each was drawn from. */
export interface ShownRings {
  ipp: LatLon;
  rings: RingsCollection;
}

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** The distance rings around the initial planning point: dashed circles, each labelled at its northern edge. */
export class RingsLayer {
  private labels: maplibregl.Marker[] = [];

  constructor(private readonly map: MapLibreMap) {
    map.addSource('distance-rings', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'distance-rings-line',
      type: 'line',
      source: 'distance-rings',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'line-color': '#6a1b9a', 'line-width': 2, 'line-dasharray': [3, 2] },
    });
    map.addLayer({
      id: 'distance-rings-ipp',
      type: 'circle',
      source: 'distance-rings',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 6,
        'circle-color': '#6a1b9a',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
  }

  update(shown: ShownRings | null): void {
    for (const m of this.labels) m.remove();
    this.labels = [];
    const source = this.map.getSource('distance-rings') as GeoJSONSource | undefined;
    if (!shown) {
      source?.setData(EMPTY);
      return;
    }
    source?.setData({
      type: 'FeatureCollection',
      features: [
        ...shown.rings.features,
        {
          type: 'Feature',
          properties: { label: 'IPP' },
          geometry: { type: 'Point', coordinates: [shown.ipp.lon, shown.ipp.lat] },
        },
      ],
    });
    for (const f of shown.rings.features) {
      // The first position of a ring is due north of the planning point.
      const [lon, lat] = f.geometry.coordinates[0]?.[0] ?? [];
      if (lon === undefined || lat === undefined) continue;
      const el = document.createElement('div');
      el.className = 'ring-label';
      el.dataset.testid = 'ring-label';
      el.textContent = f.properties.label;
      this.labels.push(
        new maplibregl.Marker({ element: el, anchor: 'bottom' }).setLngLat([lon, lat]).addTo(this.map),
      );
    }
  }
}
