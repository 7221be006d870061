import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';

const STEPS = [
  30, 15, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001,
];
const MAX_LAT = 85;

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Pixels wanted at least between two grid lines. */
const MIN_GAP_PX = 90;

/** The finest grid spacing in degrees that keeps lines at least MIN_GAP_PX apart in a view of that size. */
export function gridStep(b: Bounds, widthPx: number, heightPx: number): number {
  const degPerPx = Math.max(
    (b.east - b.west) / Math.max(1, widthPx),
    (b.north - b.south) / Math.max(1, heightPx),
  );
  const fits = STEPS.filter((s) => s / degPerPx >= MIN_GAP_PX);
  return fits[fits.length - 1] ?? (STEPS[0] as number);
}

function decimals(step: number): number {
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** "45.12°N", "7.25°W", "0°". */
export function formatCoord(value: number, step: number, axis: 'lat' | 'lon'): string {
  const v = axis === 'lon' ? ((((value + 180) % 360) + 360) % 360) - 180 : value;
  const text = Math.abs(v).toFixed(decimals(step));
  if (Number(text) === 0) return '0°';
  const hemi = axis === 'lat' ? (v > 0 ? 'N' : 'S') : v > 0 ? 'E' : 'W';
  return `${text}°${hemi}`;
}

function values(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = Math.ceil(from / step); i * step <= to && out.length < 400; i++) out.push(i * step);
  return out;
}

/** Grid lines covering `b` (and a margin), as GeoJSON, with the positions of their labels. */
export function gridLines(b: Bounds, widthPx: number, heightPx: number) {
  const step = gridStep(b, widthPx, heightPx);
  const south = Math.max(-MAX_LAT, b.south - (b.north - b.south));
  const north = Math.min(MAX_LAT, b.north + (b.north - b.south));
  const west = b.west - (b.east - b.west);
  const east = b.east + (b.east - b.west);
  const lons = values(west, east, step);
  const lats = values(south, north, step);
  const features: GeoJSON.Feature<GeoJSON.LineString>[] = [
    ...lons.map((lon) => line([lon, south], [lon, north])),
    ...lats.map((lat) => line([west, lat], [east, lat])),
  ];
  return {
    step,
    geojson: { type: 'FeatureCollection', features } as GeoJSON.FeatureCollection<GeoJSON.LineString>,
    lonLabels: lons.filter((lon) => lon >= b.west && lon <= b.east),
    latLabels: lats.filter((lat) => lat >= b.south && lat <= b.north),
  };
}

function line(a: [number, number], b: [number, number]): GeoJSON.Feature<GeoJSON.LineString> {
  return { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [a, b] } };
}

/** The coordinate grid: a line layer plus HTML labels at the top and left edges (no glyphs needed). */
export class Grid {
  private labels: maplibregl.Marker[] = [];

  /** `overTiles`: drawn over a base map, so the lines are darker to show on light tiles. */
  constructor(
    private readonly map: MapLibreMap,
    overTiles = false,
  ) {
    map.addSource('grid', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'grid-lines',
      type: 'line',
      source: 'grid',
      paint: overTiles
        ? { 'line-color': '#1d2b3a', 'line-opacity': 0.35, 'line-width': 1 }
        : { 'line-color': '#9fb3c8', 'line-opacity': 0.22, 'line-width': 1 },
    });
    map.on('moveend', this.update);
    this.update();
  }

  private readonly update = () => {
    const bounds = this.map.getBounds();
    const b = {
      west: bounds.getWest(),
      south: bounds.getSouth(),
      east: bounds.getEast(),
      north: bounds.getNorth(),
    };
    const canvas = this.map.getContainer();
    const grid = gridLines(b, canvas.clientWidth, canvas.clientHeight);
    (this.map.getSource('grid') as GeoJSONSource | undefined)?.setData(grid.geojson);
    for (const m of this.labels) m.remove();
    // Keep labels out of the corner where the two rows meet and from under the zoom buttons.
    const x = (lon: number) => this.map.project([lon, b.north]).x;
    const y = (lat: number) => this.map.project([b.west, lat]).y;
    this.labels = [
      ...grid.lonLabels
        .filter((lon) => x(lon) > 80 && x(lon) < canvas.clientWidth - 90)
        .map((lon) => this.label(formatCoord(lon, grid.step, 'lon'), [lon, b.north], 'top')),
      ...grid.latLabels
        .filter((lat) => y(lat) > 30)
        .map((lat) => this.label(formatCoord(lat, grid.step, 'lat'), [b.west, lat], 'left')),
    ];
  };

  private label(text: string, at: [number, number], anchor: 'top' | 'left'): maplibregl.Marker {
    const el = document.createElement('div');
    el.className = `grid-label grid-label-${anchor}`;
    el.textContent = text;
    return new maplibregl.Marker({ element: el, anchor }).setLngLat(at).addTo(this.map);
  }
}
