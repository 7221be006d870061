import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { createBaseMap } from '../console/base-map.ts';
import { MemberLayers } from '../console/map-members.ts';
import { SearchLayer } from '../console/map-search.ts';
import { buildStyle } from '../console/map-style.ts';
import type { TeamState } from '../shared/team-state.ts';

interface Props {
  state: TeamState;
  nowMs: number;
  /** This phone's own latest fix, drawn as it comes (before the server has it). */
  own: GeolocationPosition | null;
  /** The operation's search segments, coloured by cumulative POD (none without a search). */
  plan: SearchPlan | null;
}

/**
 * The team on the offline topographic map of the prepared areas (tiles kept on the phone work with no
 * network); nothing is drawn when the server has no area. Loaded on its own: the map library is large.
 */
export default function FieldMap({ state, nowMs, own, plan }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const layers = useRef<MemberLayers | null>(null);
  const segments = useRef<SearchLayer | null>(null);
  const me = useRef<maplibregl.Marker | null>(null);
  const centred = useRef(false);
  const [shown, setShown] = useState(true);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    buildStyle(null).then(({ style, basemap }) => {
      if (cancelled || !container.current) return;
      if (!basemap) {
        setShown(false);
        return;
      }
      map = createBaseMap(container.current, style, true);
      mapRef.current = map;
      map.on('load', () => {
        if (!map) return;
        segments.current = new SearchLayer(map);
        layers.current = new MemberLayers(map, () => undefined);
        setReady(true);
      });
    });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      layers.current = null;
      segments.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) layers.current?.update(state, nowMs);
  }, [ready, state, nowMs]);

  useEffect(() => {
    if (ready) segments.current?.update(plan, 'pod');
  }, [ready, plan]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    const at = own ? { lat: own.coords.latitude, lon: own.coords.longitude } : state.team?.base;
    if (own) {
      if (!me.current) {
        const el = document.createElement('div');
        el.className = 'field-map-me';
        me.current = new maplibregl.Marker({ element: el }).addTo(map);
      }
      me.current.setLngLat([own.coords.longitude, own.coords.latitude]);
    }
    if (at && !centred.current) {
      centred.current = true;
      map.jumpTo({ center: [at.lon, at.lat], zoom: 14 });
    }
  }, [ready, own, state.team?.base]);

  if (!shown) return null;
  return (
    <section className="card field-map-card">
      <div className="field-map" ref={container} data-testid="field-map" />
    </section>
  );
}
