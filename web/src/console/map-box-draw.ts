import type { GeoJSONSource, LngLat, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Bbox } from '../../../src/domain/tile-area.ts';

/** Pointer moves shorter than this (pixels) between press and release are a click, not a drag. */
const CLICK_PX = 4;
const SOURCE = 'box-draw';

const boxOf = (a: LngLat, b: LngLat): Bbox => {
  const [p, q] = [a.wrap(), b.wrap()];
  return {
    west: Math.min(p.lng, q.lng),
    south: Math.min(p.lat, q.lat),
    east: Math.max(p.lng, q.lng),
    north: Math.max(p.lat, q.lat),
  };
};

/**
 * Drawing a box on the map: drag a rectangle (the map does not pan meanwhile), or click two opposite corners.
 * The box shows dashed while it is drawn; `onBox` gets it when the mouse is released or the second corner
 * is clicked. `stop()` gives the map back its panning.
 */
export class BoxDraw {
  private start: { at: LngLat; x: number; y: number } | null = null;
  private corner: LngLat | null = null;
  private readonly panned: boolean;

  constructor(
    private readonly map: MapLibreMap,
    private readonly onBox: (box: Bbox) => void,
  ) {
    if (!map.getSource(SOURCE)) {
      map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: 'box-draw-fill',
        type: 'fill',
        source: SOURCE,
        paint: { 'fill-color': '#f0b429', 'fill-opacity': 0.12 },
      });
      map.addLayer({
        id: 'box-draw-line',
        type: 'line',
        source: SOURCE,
        paint: { 'line-color': '#f0b429', 'line-width': 2, 'line-dasharray': [2, 2] },
      });
    }
    this.panned = map.dragPan.isEnabled();
    map.dragPan.disable();
    map.getCanvas().style.cursor = 'crosshair';
    map.on('mousedown', this.down);
    map.on('mousemove', this.move);
    map.on('mouseup', this.up);
  }

  stop(): void {
    this.map.off('mousedown', this.down);
    this.map.off('mousemove', this.move);
    this.map.off('mouseup', this.up);
    if (this.panned) this.map.dragPan.enable();
    this.map.getCanvas().style.cursor = '';
    this.show(null);
  }

  private readonly down = (ev: MapMouseEvent) => {
    this.start = { at: ev.lngLat, x: ev.point.x, y: ev.point.y };
  };

  private readonly move = (ev: MapMouseEvent) => {
    const from = this.start?.at ?? this.corner;
    if (from) this.show(boxOf(from, ev.lngLat));
  };

  private readonly up = (ev: MapMouseEvent) => {
    const start = this.start;
    this.start = null;
    if (!start) return;
    const dragged = Math.hypot(ev.point.x - start.x, ev.point.y - start.y) > CLICK_PX;
    if (dragged) return this.done(boxOf(start.at, ev.lngLat));
    // A click: the first corner, then the opposite one.
    if (!this.corner) {
      this.corner = ev.lngLat;
      return;
    }
    const box = boxOf(this.corner, ev.lngLat);
    this.corner = null;
    if (box.west < box.east && box.south < box.north) this.done(box);
  };

  private done(box: Bbox): void {
    this.show(box);
    this.onBox(box);
  }

  private show(box: Bbox | null): void {
    const ring = box
      ? [
          [box.west, box.south],
          [box.east, box.south],
          [box.east, box.north],
          [box.west, box.north],
          [box.west, box.south],
        ]
      : null;
    (this.map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: ring
        ? [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }]
        : [],
    });
  }
}
