import { layers, namedFlavor } from '@protomaps/basemaps';
import mlcontour from 'maplibre-contour';
import type { LayerSpecification, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import { CONTOUR_COLOURS, TRAIL_COLOURS } from './topo-colours.ts';

/** What `/tiles/@vector/tile.json` and `/tiles/@terrain/tile.json` tell of the areas prepared on the server. */
export interface TileJson {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  center?: [number, number, number];
  encoding?: 'terrarium' | 'mapbox';
}

export interface Areas {
  vector: TileJson | null;
  terrain: TileJson | null;
}

async function tileJson(kind: '@vector' | '@terrain'): Promise<TileJson | null> {
  const res = await fetch(`/tiles/${encodeURIComponent(kind)}/tile.json`).catch(() => null);
  return res?.ok ? ((await res.json()) as TileJson) : null;
}

/** The offline areas the server keeps: a vector basemap and an elevation model, each joined over all areas. */
export async function preparedAreas(): Promise<Areas> {
  const [vector, terrain] = await Promise.all([tileJson('@vector'), tileJson('@terrain')]);
  return { vector, terrain };
}

/** Tiles URLs as the server wrote them may name another host (a proxy): they are asked of this page's. */
const here = (url: string) => `${location.origin}${decodeURIComponent(new URL(url, location.href).pathname)}`;

/** Contour steps [minor, major] in metres by zoom: fewer lines when zoomed out. */
const CONTOUR_STEPS: Record<number, [number, number]> = {
  9: [200, 1000],
  11: [100, 500],
  12: [50, 250],
  13: [20, 100],
  15: [10, 50],
};

let contourSource: { key: string; source: InstanceType<typeof mlcontour.DemSource> } | null = null;

/** One contour generator per elevation model, registered once with MapLibre as a protocol. */
function contours(dem: TileJson): InstanceType<typeof mlcontour.DemSource> {
  const url = here(dem.tiles[0] as string);
  if (contourSource?.key === url) return contourSource.source;
  const source = new mlcontour.DemSource({
    url,
    encoding: dem.encoding ?? 'terrarium',
    maxzoom: dem.maxzoom,
    // In the page: the content policy lets MapLibre's worker run, not a second one made from a blob.
    worker: false,
  });
  source.setupMaplibre(maplibregl);
  contourSource = { key: url, source };
  return source;
}

/** Hillshading and contour lines with elevation labels, for an elevation model. */
function terrainLayers(
  dem: TileJson,
  dark: boolean,
): { sources: StyleSpecification['sources']; below: LayerSpecification[]; lines: LayerSpecification[] } {
  const contour = contours(dem);
  const line = CONTOUR_COLOURS[dark ? 'dark' : 'light'];
  return {
    sources: {
      dem: {
        type: 'raster-dem',
        tiles: [here(dem.tiles[0] as string)],
        encoding: dem.encoding ?? 'terrarium',
        tileSize: 256,
        minzoom: dem.minzoom,
        maxzoom: dem.maxzoom,
        bounds: dem.bounds,
      },
      contours: {
        type: 'vector',
        tiles: [
          contour.contourProtocolUrl({
            thresholds: CONTOUR_STEPS,
            elevationKey: 'ele',
            levelKey: 'level',
            contourLayer: 'contours',
          }),
        ],
        maxzoom: 16,
      },
    },
    below: [
      {
        id: 'hillshade',
        type: 'hillshade',
        source: 'dem',
        paint: {
          'hillshade-exaggeration': 0.45,
          'hillshade-shadow-color': dark ? '#000000' : '#5a5040',
          'hillshade-highlight-color': dark ? '#3a4657' : '#ffffff',
        },
      },
    ],
    lines: [
      {
        id: 'contour-lines',
        type: 'line',
        source: 'contours',
        'source-layer': 'contours',
        paint: {
          'line-color': line,
          'line-opacity': ['case', ['>', ['get', 'level'], 0], 0.75, 0.45],
          'line-width': ['case', ['>', ['get', 'level'], 0], 1.3, 0.6],
        },
      },
      {
        id: 'contour-labels',
        type: 'symbol',
        source: 'contours',
        'source-layer': 'contours',
        filter: ['>', ['get', 'level'], 0],
        layout: {
          'symbol-placement': 'line',
          'text-field': ['concat', ['number-format', ['get', 'ele'], {}], ' m'],
          'text-font': ['Noto Sans Regular'],
          'text-size': 11,
        },
        paint: {
          'text-color': line,
          'text-halo-color': dark ? '#1f2328' : '#f6f1e6',
          'text-halo-width': 1.4,
        },
      },
    ],
  };
}

/** Paths drawn dashed from zoom 11 and named along the line from zoom 13 (the basemap names them from 15). */
function trailLayers(dark: boolean): { lines: LayerSpecification[]; names: LayerSpecification[] } {
  const colour = TRAIL_COLOURS[dark ? 'dark' : 'light'];
  const filter: maplibregl.FilterSpecification = ['==', ['get', 'kind'], 'path'];
  return {
    lines: [
      {
        id: 'trails',
        type: 'line',
        source: 'protomaps',
        'source-layer': 'roads',
        minzoom: 11,
        filter,
        paint: {
          'line-color': colour,
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 2.2],
          'line-dasharray': [3, 1.5],
        },
      },
    ],
    names: [
      {
        id: 'trail-names',
        type: 'symbol',
        source: 'protomaps',
        'source-layer': 'roads',
        minzoom: 13,
        filter,
        layout: {
          'symbol-placement': 'line',
          'text-field': ['get', 'name'],
          'text-font': ['Noto Sans Regular'],
          'text-size': 12,
        },
        paint: {
          'text-color': colour,
          'text-halo-color': dark ? '#1f1f1f' : '#ffffff',
          'text-halo-width': 1.5,
        },
      },
    ],
  };
}

/**
 * The topographic map of the prepared areas: the Protomaps basemap style (light or dark) over the joined
 * vector areas, hillshading under the roads and contours under the labels when there is an elevation model.
 * No `glyphs` URL: MapLibre draws every label's letters in the browser (TinySDF) with the system's fonts, so
 * nothing is fetched for text; no sprite: the few icons are drawn by `addMissingIcons`.
 */
export function topoStyle(areas: Areas, theme: 'light' | 'dark'): StyleSpecification {
  const dark = theme === 'dark';
  const style: StyleSpecification = { version: 8, sources: {}, layers: [] };
  const base: LayerSpecification[] = [];
  if (areas.vector) {
    style.sources.protomaps = {
      type: 'vector',
      tiles: [here(areas.vector.tiles[0] as string)],
      minzoom: areas.vector.minzoom,
      maxzoom: areas.vector.maxzoom,
      bounds: areas.vector.bounds,
      attribution: '© OpenStreetMap contributors, Protomaps',
    };
    base.push(...layers('protomaps', namedFlavor(dark ? 'dark' : 'light'), { lang: 'en' }));
    const trails = trailLayers(dark);
    const labels = base.findIndex((l) => l.type === 'symbol');
    base.splice(labels < 0 ? base.length : labels, 0, ...trails.lines);
    base.push(...trails.names);
  } else {
    base.push({
      id: 'background',
      type: 'background',
      paint: { 'background-color': dark ? '#17202b' : '#eef0ee' },
    });
  }
  if (areas.terrain) {
    const t = terrainLayers(areas.terrain, dark);
    Object.assign(style.sources, t.sources);
    // Shading over the land and water, under the roads; contours under every label.
    const roads = base.findIndex((l) => /^(roads|transit|buildings)/.test(l.id));
    base.splice(roads < 0 ? base.length : roads, 0, ...t.below);
    const labels = base.findIndex((l) => l.type === 'symbol');
    base.splice(labels < 0 ? base.length : labels, 0, ...t.lines);
  }
  style.layers = base;
  return style;
}

/** The basemap's icons (town dots, capitals) without a sprite file: small dots drawn on request. */
export function addMissingIcons(map: MapLibreMap, dark: boolean): void {
  map.on('styleimagemissing', (ev: { id: string }) => {
    if (map.hasImage(ev.id)) return;
    const size = 12;
    const data = new Uint8Array(size * size * 4);
    const [r, g, b] = dark ? [220, 220, 220] : [90, 90, 90];
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5);
        const i = (y * size + x) * 4;
        const inside = ev.id === 'townspot' || ev.id === 'capital' ? d < 4 : false;
        data.set([r, g, b, inside ? 255 : 0], i);
      }
    map.addImage(ev.id, { width: size, height: size, data });
  });
}
