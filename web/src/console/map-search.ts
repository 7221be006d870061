import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { labelPoint, type SearchColouring, segmentFeatures, segmentLabel } from './search-view.ts';
import './map-search.css';

/** The search segments: filled by the colouring's measure, outlined, and labelled with name and figure. */
export class SearchLayer {
  private labels = new Map<string, { marker: maplibregl.Marker; el: HTMLDivElement }>();

  constructor(private readonly map: MapLibreMap) {
    map.addSource('search', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'search-fill',
      type: 'fill',
      source: 'search',
      paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.55 },
    });
    map.addLayer({
      id: 'search-line',
      type: 'line',
      source: 'search',
      paint: { 'line-color': '#333', 'line-width': 1.5 },
    });
  }

  update(plan: SearchPlan | null, colouring: SearchColouring): void {
    (this.map.getSource('search') as GeoJSONSource | undefined)?.setData(segmentFeatures(plan, colouring));
    const shown = new Set<string>();
    for (const s of plan?.segments ?? []) {
      shown.add(s.id);
      const label = this.labels.get(s.id) ?? this.create(s.id);
      label.el.textContent = segmentLabel(s, colouring);
      label.el.dataset.segment = s.name;
      label.marker.setLngLat(labelPoint(s));
    }
    for (const [id, label] of this.labels) {
      if (!shown.has(id)) {
        label.marker.remove();
        this.labels.delete(id);
      }
    }
  }

  private create(id: string) {
    const el = document.createElement('div');
    el.className = 'segment-label';
    el.dataset.testid = 'segment-label';
    const marker = new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat([0, 0]).addTo(this.map);
    const label = { marker, el };
    this.labels.set(id, label);
    return label;
  }
}
