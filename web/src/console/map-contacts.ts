import type { Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { Contact } from '../../../src/contract/incidents.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { clockTime } from '../shared/time.ts';

interface ContactMarker {
  marker: maplibregl.Marker;
  el: HTMLDivElement;
  count: HTMLSpanElement;
  label: HTMLSpanElement;
}

/** Hostile contacts as HTML markers: a diamond with the count, and withdrawn and time beside it. */
export class ContactMarkers {
  private markers = new Map<string, ContactMarker>();

  constructor(private readonly map: MapLibreMap) {}

  update(
    contacts: readonly Contact[],
    exercise: boolean,
    nowMs: number,
    callsign: (memberId: string) => string,
  ): void {
    const placed = new Set<string>();
    for (const c of contacts) {
      if (!c.position) continue;
      placed.add(c.id);
      const m = this.markers.get(c.id) ?? this.create(c);
      const active = c.count - c.withdrawn;
      m.el.classList.toggle('mode-exercise', exercise);
      m.el.classList.toggle('contact-gone', active <= 0);
      m.el.dataset.count = String(c.count);
      m.count.textContent = String(c.count);
      const withdrawn = c.withdrawn > 0 ? ` · ${c.withdrawn} withdrawn` : '';
      const age = formatAge(Date.parse(c.updatedAt), nowMs);
      m.label.textContent = `${exercise ? 'EX ' : ''}${c.count} hostile${c.count === 1 ? '' : 's'}${withdrawn} · ${clockTime(c.updatedAt)} (${age} ago)`;
      m.el.title = [c.direction, c.text, `reported by ${callsign(c.reportedBy)}`].filter(Boolean).join(' · ');
      m.marker.setLngLat([c.position.lon, c.position.lat]);
    }
    for (const [id, m] of this.markers) {
      if (!placed.has(id)) {
        m.marker.remove();
        this.markers.delete(id);
      }
    }
  }

  private create(c: Contact): ContactMarker {
    const el = document.createElement('div');
    el.className = 'contact-marker';
    el.dataset.testid = 'contact-marker';
    const diamond = document.createElement('span');
    diamond.className = 'contact-diamond';
    const count = document.createElement('span');
    count.className = 'contact-count';
    diamond.append(count);
    const label = document.createElement('span');
    label.className = 'contact-label';
    el.append(diamond, label);
    const marker = new maplibregl.Marker({ element: el, anchor: 'center' })
      .setLngLat([c.position?.lon ?? 0, c.position?.lat ?? 0])
      .addTo(this.map);
    const m = { marker, el, count, label };
    this.markers.set(c.id, m);
    return m;
  }
}
