import type { Map as MapLibreMap } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import type { Subject } from '../../../src/contract/incidents.ts';
import { SUBJECT_STATUS_WORD } from '../shared/subject-view.ts';
import { shortTime } from '../shared/time.ts';

/** The subjects of the search at their last known positions: a ringed "?" with name, status and time seen. */
export class SubjectMarkers {
  private markers = new Map<
    string,
    { marker: maplibregl.Marker; el: HTMLDivElement; label: HTMLSpanElement }
  >();

  constructor(private readonly map: MapLibreMap) {}

  update(subjects: readonly Subject[]): void {
    const placed = new Set<string>();
    for (const s of subjects) {
      if (!s.lastKnown) continue;
      placed.add(s.id);
      const m = this.markers.get(s.id) ?? this.create(s);
      m.el.dataset.status = s.status;
      const seen = s.lastSeenAt ? ` · seen ${shortTime(s.lastSeenAt)}` : '';
      m.label.textContent = `${s.name} · ${SUBJECT_STATUS_WORD[s.status]}${seen}`;
      m.el.title = s.description;
      m.marker.setLngLat([s.lastKnown.lon, s.lastKnown.lat]);
    }
    for (const [id, m] of this.markers) {
      if (!placed.has(id)) {
        m.marker.remove();
        this.markers.delete(id);
      }
    }
  }

  private create(s: Subject) {
    const el = document.createElement('div');
    el.className = 'subject-marker';
    el.dataset.testid = 'subject-marker';
    const ring = document.createElement('span');
    ring.className = 'subject-ring';
    ring.textContent = '?';
    const label = document.createElement('span');
    label.className = 'subject-label';
    el.append(ring, label);
    const marker = new maplibregl.Marker({ element: el, anchor: 'center' })
      .setLngLat([s.lastKnown?.lon ?? 0, s.lastKnown?.lat ?? 0])
      .addTo(this.map);
    const m = { marker, el, label };
    this.markers.set(s.id, m);
    return m;
  }
}
