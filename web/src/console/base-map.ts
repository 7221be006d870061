import 'maplibre-gl/dist/maplibre-gl.css';
import './map.css';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Grid } from './map-grid.ts';
import { PointerReadout } from './pointer-readout.ts';
import { addMissingIcons } from './topo-style.ts';

// The worker file is bundled as an asset of ours: nothing is fetched from elsewhere.
maplibregl.setWorkerUrl(workerUrl);

/**
 * A map with Howl's controls (zoom, scale) over the whole world, and the coordinate grid once its style has
 * loaded; `withTiles` tells the grid whether a basemap lies under it. Callers add their own layers on `load`.
 */
export function createBaseMap(
  container: HTMLElement,
  style: maplibregl.StyleSpecification,
  withTiles: boolean,
): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style,
    center: [0, 20],
    zoom: 1.2,
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-right');
  map.addControl(new PointerReadout(), 'bottom-left');
  addMissingIcons(map, true);
  map.on('load', () => new Grid(map, withTiles));
  return map;
}
