import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { Member } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import { destination } from '../../../src/domain/geo.ts';
import { sosWord } from '../../../src/domain/mode.ts';
import type { PresenceStatus } from '../../../src/domain/presence.ts';
import { type LabelItem, layoutLabels } from '../shared/label-layout.ts';
import type { TeamState } from '../shared/team-state.ts';
import { drawColor, type MemberStatus, memberColors, memberStatuses } from './member-view.ts';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A circle of `radiusM` metres around `p`, as a polygon (a circle layer cannot be sized in metres). */
export function accuracyRing(p: Position, radiusM: number, sides = 48): GeoJSON.Polygon {
  const ring: [number, number][] = [];
  for (let i = 0; i <= sides; i++) {
    const q = destination(p, (i * 360) / sides, radiusM);
    ring.push([q.lon, q.lat]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

function statusSignature(state: TeamState, nowMs: number): string {
  return [...memberStatuses(state, nowMs)].map(([id, s]) => `${id}:${s.status}:${s.sos}`).join(',');
}

interface MemberMarker {
  marker: maplibregl.Marker;
  el: HTMLDivElement;
  label: HTMLSpanElement;
}

const LABEL_SIDES = ['right', 'left', 'above', 'below', 'hidden'] as const;

/** Trails, accuracy circles and HTML member markers (callsign labels without glyphs), plus the base. */
export class MemberLayers {
  private markers = new Map<string, MemberMarker>();
  private sos = new Set<string>();
  private base: maplibregl.Marker | null = null;
  private last: TeamState | null = null;
  private signature = '';

  private layoutFrame = 0;

  constructor(
    private readonly map: MapLibreMap,
    private readonly onSelect: (memberId: string) => void,
  ) {
    // Labels are laid out again as the map moves (at most once a frame).
    map.on('move', () => this.scheduleLayout());
    map.addSource('trails', { type: 'geojson', data: EMPTY });
    map.addSource('accuracy', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'trails',
      type: 'line',
      source: 'trails',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ['get', 'color'], 'line-width': 3, 'line-opacity': ['get', 'opacity'] },
    });
    map.addLayer({
      id: 'accuracy-fill',
      type: 'fill',
      source: 'accuracy',
      paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.12 },
    });
    map.addLayer({
      id: 'accuracy-line',
      type: 'line',
      source: 'accuracy',
      paint: { 'line-color': ['get', 'color'], 'line-opacity': 0.5, 'line-width': 1 },
    });
  }

  /** Redraws only if someone's status changed with the passing of time (e.g. became stale). */
  tick(nowMs: number): void {
    if (this.last && statusSignature(this.last, nowMs) !== this.signature) this.update(this.last, nowMs);
  }

  update(state: TeamState, nowMs: number): void {
    this.last = state;
    this.signature = statusSignature(state, nowMs);
    const byId = new Map(state.members.map((m) => [m.id, m]));
    const colors = memberColors(state.members);
    // Red with the SOS badge from the active SOS alerts, whichever client sent the SOS.
    const statuses = memberStatuses(state, nowMs);
    const status = new Map<string, PresenceStatus>();
    for (const [id, s] of statuses) if (s.status) status.set(id, s.status);

    const trails: GeoJSON.Feature[] = [];
    for (const [id, trail] of Object.entries(state.trails)) {
      if (trail.length < 2) continue;
      const s = status.get(id) ?? null;
      trails.push({
        type: 'Feature',
        properties: { color: drawColor(colors, id, s), opacity: s === 'ok' || s === 'sos' ? 0.85 : 0.4 },
        geometry: { type: 'LineString', coordinates: trail.map((p) => [p.lon, p.lat]) },
      });
    }
    const rings: GeoJSON.Feature[] = [];
    for (const [id, p] of Object.entries(state.latest)) {
      if (!p.accuracy || p.accuracy <= 0) continue;
      rings.push({
        type: 'Feature',
        properties: { color: drawColor(colors, id, status.get(id) ?? null) },
        geometry: accuracyRing(p, p.accuracy),
      });
    }
    (this.map.getSource('trails') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: trails,
    });
    (this.map.getSource('accuracy') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: rings,
    });

    for (const [id, m] of this.markers) {
      if (!state.latest[id] || !byId.has(id)) {
        m.marker.remove();
        this.markers.delete(id);
      }
    }
    for (const [id, p] of Object.entries(state.latest)) {
      const member = byId.get(id);
      if (member) this.placeMarker(member, p, statuses.get(id) ?? { status: 'ok', sos: null }, colors);
    }
    this.placeBase(state.team?.base ?? null);
    this.scheduleLayout(statuses);
  }

  private scheduleLayout(statuses?: ReadonlyMap<string, MemberStatus>): void {
    if (statuses) this.sos = new Set([...statuses].filter(([, s]) => s.sos).map(([id]) => id));
    if (this.layoutFrame) return;
    this.layoutFrame = requestAnimationFrame(() => {
      this.layoutFrame = 0;
      this.layoutLabels();
    });
  }

  /** Callsign labels that never overlap: an SOS first, the others on a free side or hidden. */
  private layoutLabels(): void {
    const items: LabelItem[] = [];
    for (const [id, m] of this.markers) {
      const at = this.map.project(m.marker.getLngLat());
      items.push({
        id,
        x: at.x,
        y: at.y,
        w: m.label.offsetWidth || m.label.textContent.length * 8 + 12,
        h: m.label.offsetHeight || 20,
        priority: this.sos.has(id) ? 2 : 0,
      });
    }
    const sides = layoutLabels(items);
    for (const [id, m] of this.markers) {
      const side = sides.get(id) ?? 'right';
      for (const s of LABEL_SIDES) m.el.classList.toggle(`label-${s}`, s === side);
    }
  }

  private placeMarker(member: Member, p: Position, s: MemberStatus, colors: ReadonlyMap<string, string>) {
    const status = s.status ?? 'ok';
    let m = this.markers.get(member.id);
    if (!m) {
      const el = document.createElement('div');
      el.className = 'member-marker';
      el.dataset.testid = 'member-marker';
      const dot = document.createElement('span');
      dot.className = 'member-dot';
      const label = document.createElement('span');
      label.className = 'member-label';
      el.append(dot, label);
      el.addEventListener('click', (ev) => {
        ev.stopPropagation();
        this.onSelect(member.id);
      });
      const marker = new maplibregl.Marker({ element: el, anchor: 'center' })
        .setLngLat([p.lon, p.lat])
        .addTo(this.map);
      m = { marker, el, label };
      this.markers.set(member.id, m);
    }
    m.el.dataset.callsign = member.callsign;
    // Toggle our classes only: maplibre keeps its own positioning classes on the same element.
    for (const s of ['ok', 'stale', 'sos'] as const) m.el.classList.toggle(`status-${s}`, s === status);
    m.el.classList.toggle('mode-exercise', (s.sos ?? p.mode) === 'exercise');
    m.el.style.setProperty('--member-color', drawColor(colors, member.id, status));
    m.el.title = `${member.callsign} · ${member.name}`;
    m.label.textContent = s.sos ? `${member.callsign} · ${sosWord(s.sos)}` : member.callsign;
    m.marker.setLngLat([p.lon, p.lat]);
  }

  private placeBase(base: { lat: number; lon: number } | null): void {
    if (!base) {
      this.base?.remove();
      this.base = null;
      return;
    }
    if (!this.base) {
      const el = document.createElement('div');
      el.className = 'base-marker';
      el.dataset.testid = 'base-marker';
      el.title = 'Team base';
      el.innerHTML = '<span class="base-icon"></span><span class="base-label">BASE</span>';
      this.base = new maplibregl.Marker({ element: el, anchor: 'center' });
      this.base.setLngLat([base.lon, base.lat]).addTo(this.map);
    }
    this.base.setLngLat([base.lon, base.lat]);
  }
}
