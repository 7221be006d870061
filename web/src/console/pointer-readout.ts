import type { IControl, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { formatElevation } from '../../../src/domain/elevation.ts';
import { toMgrs } from '../../../src/domain/mgrs.ts';
import { terrainSampler } from './terrain-elevation.ts';

/** "47.40012° N  8.55012° E": five decimals, about a metre. */
export function formatLatLon(lat: number, lon: number): string {
  const hemi = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(5)}° ${v < 0 ? neg : pos}`;
  return `${hemi(lat, 'N', 'S')}  ${hemi(lon, 'E', 'W')}`;
}

/**
 * The position under the pointer in latitude/longitude and MGRS, in a map corner (how SAR teams read it), and
 * its elevation when the server keeps a terrain area there.
 */
export class PointerReadout implements IControl {
  private el: HTMLDivElement | null = null;
  private map: MapLibreMap | null = null;
  /** Counts moves, so that an elevation arriving late is not shown for a later position. */
  private moves = 0;

  onAdd(map: MapLibreMap): HTMLElement {
    this.map = map;
    const el = document.createElement('div');
    el.className = 'maplibregl-ctrl pointer-readout';
    el.dataset.testid = 'pointer-readout';
    el.hidden = true;
    this.el = el;
    map.on('mousemove', this.move);
    map.getCanvas().addEventListener('mouseleave', this.leave);
    return el;
  }

  onRemove(): void {
    this.map?.off('mousemove', this.move);
    this.map?.getCanvas().removeEventListener('mouseleave', this.leave);
    this.el?.remove();
    this.map = null;
  }

  private readonly move = (ev: MapMouseEvent) => {
    if (!this.el) return;
    const { lat } = ev.lngLat;
    const lon = ev.lngLat.wrap().lng;
    const mgrs = toMgrs(lat, lon);
    const text = mgrs ? `${formatLatLon(lat, lon)}  ·  ${mgrs}` : formatLatLon(lat, lon);
    this.el.textContent = text;
    this.el.hidden = false;
    const move = ++this.moves;
    void terrainSampler()
      .then((s) => s?.at(lat, lon) ?? null)
      .then((metres) => {
        if (this.el && metres !== null && move === this.moves)
          this.el.textContent = `${text}  ·  ${formatElevation(metres)}`;
      });
  };

  private readonly leave = () => {
    if (this.el) this.el.hidden = true;
  };
}
