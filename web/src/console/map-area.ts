import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { LatLon } from '../../../src/contract/common.ts';

/** The exercise area on the map: the planned or active polygon, or the one being drawn (dashed, with corners). */
export class AreaLayer {
  constructor(private readonly map: MapLibreMap) {
    map.addSource('area', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'area-fill',
      type: 'fill',
      source: 'area',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#6c9cff', 'fill-opacity': 0.08 },
    });
    map.addLayer({
      id: 'area-line',
      type: 'line',
      source: 'area',
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'LineString']]],
      paint: {
        'line-color': '#6c9cff',
        'line-width': 2,
        'line-dasharray': ['case', ['get', 'draft'], ['literal', [2, 2]], ['literal', [6, 3]]],
      },
    });
    map.addLayer({
      id: 'area-corners',
      type: 'circle',
      source: 'area',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 5,
        'circle-color': '#6c9cff',
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    });
  }

  update(points: readonly LatLon[] | null, draft: boolean): void {
    const ring = (points ?? []).map((p) => [p.lon, p.lat]);
    const features: GeoJSON.Feature[] = [];
    const properties = { draft };
    if (ring.length >= 3) {
      features.push({
        type: 'Feature',
        properties,
        geometry: { type: 'Polygon', coordinates: [[...ring, ring[0] ?? []]] },
      });
    } else if (ring.length === 2) {
      features.push({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: ring } });
    }
    if (draft) {
      for (const c of ring)
        features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: c } });
    }
    (this.map.getSource('area') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features,
    });
  }
}
