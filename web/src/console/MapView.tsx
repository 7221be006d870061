import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Contact } from '../../../src/contract/incidents.ts';
import type { SearchPlan } from '../../../src/contract/search.ts';
import type { Bbox } from '../../../src/domain/tile-area.ts';
import { callsignOf } from '../shared/alert-view.ts';
import type { TeamState } from '../shared/team-state.ts';
import { createBaseMap } from './base-map.ts';
import { AreaLayer } from './map-area.ts';
import { BoxDraw } from './map-box-draw.ts';
import { ContactMarkers } from './map-contacts.ts';
import { MemberLayers } from './map-members.ts';
import { RingsLayer, type ShownRings } from './map-rings.ts';
import { SearchLayer } from './map-search.ts';
import { buildStyle } from './map-style.ts';
import { SubjectMarkers } from './map-subjects.ts';
import { SearchLegend } from './SearchLegend.tsx';
import type { SearchColouring } from './search-view.ts';

/** A request to fly to a point; `key` changes so the same member can be asked for twice. */
export interface FocusRequest {
  lat: number;
  lon: number;
  key: number;
}

interface Props {
  tiles: ClientConfig['tiles'];
  state: TeamState;
  nowMs: number;
  focus: FocusRequest | null;
  onSelect: (memberId: string) => void;
  /** When set, each click on the map picks a point (the base, an area corner, a contact). */
  onPick: ((point: LatLon) => void) | null;
  /** When set, the map draws a box (dragged, or two corners clicked) instead of panning. */
  onBox?: ((box: Bbox) => void) | null;
  /** The exercise area to draw: the one being drawn (`draft`), else the planned or active one. */
  area: { points: readonly LatLon[]; draft: boolean } | null;
  contacts: { list: readonly Contact[]; exercise: boolean };
  /** The search segments of the operation, coloured by a measure (none: no layer, no legend). */
  search?: { plan: SearchPlan | null; colouring: SearchColouring; rings?: ShownRings | null };
}

export function MapView(props: Props) {
  const { tiles, state, nowMs, focus, onSelect, onPick, onBox, area, contacts, search } = props;
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const layers = useRef<MemberLayers | null>(null);
  const overlays = useRef<{
    area: AreaLayer;
    contacts: ContactMarkers;
    subjects: SubjectMarkers;
    search: SearchLayer;
    rings: RingsLayer;
  } | null>(null);
  const fitted = useRef(false);
  const select = useRef(onSelect);
  select.current = onSelect;
  const [ready, setReady] = useState(false);
  const [warning, setWarning] = useState<string | undefined>();
  const [basemap, setBasemap] = useState(true);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    buildStyle(tiles).then(({ style, warning, basemap }) => {
      if (cancelled || !container.current) return;
      setWarning(warning);
      setBasemap(basemap);
      map = createBaseMap(container.current, style, basemap);
      mapRef.current = map;
      // Once the user moves the map, it is theirs: no more automatic fitting.
      map.on('movestart', (ev) => {
        if ((ev as { originalEvent?: unknown }).originalEvent) fitted.current = true;
      });
      map.on('load', () => {
        if (!map) return;
        overlays.current = {
          // Under the area being drawn, so that a new segment's corners show over the old ones.
          search: new SearchLayer(map),
          rings: new RingsLayer(map),
          area: new AreaLayer(map),
          contacts: new ContactMarkers(map),
          subjects: new SubjectMarkers(map),
        };
        layers.current = new MemberLayers(map, (id) => select.current(id));
        setReady(true);
      });
    });
    return () => {
      cancelled = true;
      layers.current = null;
      overlays.current = null;
      mapRef.current = null;
      map?.remove();
      setReady(false);
    };
  }, [tiles]);

  // Redraw on every change of the team; as time passes, only when a status changes.
  const nowRef = useRef(nowMs);
  nowRef.current = nowMs;
  useEffect(() => {
    if (ready) layers.current?.update(state, nowRef.current);
  }, [ready, state]);
  useEffect(() => {
    if (ready) layers.current?.tick(nowMs);
  }, [ready, nowMs]);
  useEffect(() => {
    if (ready) overlays.current?.area.update(area?.points ?? null, area?.draft ?? false);
  }, [ready, area]);
  const members = state.members;
  useEffect(() => {
    const callsign = (id: string) => callsignOf(members, id);
    if (ready) overlays.current?.contacts.update(contacts.list, contacts.exercise, nowMs, callsign);
  }, [ready, contacts, nowMs, members]);

  const searchPlan = search?.plan ?? null;
  const colouring = search?.colouring ?? 'pod';
  useEffect(() => {
    if (ready) overlays.current?.search.update(searchPlan, colouring);
  }, [ready, searchPlan, colouring]);
  const rings = search?.rings ?? null;
  useEffect(() => {
    if (ready) overlays.current?.rings.update(rings);
  }, [ready, rings]);

  const subjects = state.board?.subjects;
  useEffect(() => {
    if (ready) overlays.current?.subjects.update(subjects ?? []);
  }, [ready, subjects]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !state.loaded || fitted.current) return;
    // Fit to the first positions that arrive (at start, or live on an empty map), or to the base.
    const points = Object.values(state.latest);
    map.resize(); // the side panel may have changed the map's size since it was created
    if (points.length > 0) {
      fitted.current = true;
      const bounds = new maplibregl.LngLatBounds();
      for (const p of points) bounds.extend([p.lon, p.lat]);
      if (state.team?.base) bounds.extend([state.team.base.lon, state.team.base.lat]);
      // More room on the right: the callsign labels sit right of the dots.
      map.fitBounds(bounds, {
        padding: { top: 70, bottom: 60, left: 60, right: 150 },
        maxZoom: 16,
        duration: 0,
      });
    } else if (state.team?.base) {
      fitted.current = true;
      map.jumpTo({ center: [state.team.base.lon, state.team.base.lat], zoom: 14 });
    }
  }, [ready, state]);

  useEffect(() => {
    const map = mapRef.current;
    if (!focus || !map) return;
    map.flyTo({ center: [focus.lon, focus.lat], zoom: Math.max(map.getZoom(), 15), essential: true });
  }, [focus]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !onPick) return;
    const canvas = map.getCanvas();
    canvas.style.cursor = 'crosshair';
    const pick = (ev: maplibregl.MapMouseEvent) => onPick({ lat: ev.lngLat.lat, lon: ev.lngLat.wrap().lng });
    map.on('click', pick);
    return () => {
      canvas.style.cursor = '';
      map.off('click', pick);
    };
  }, [ready, onPick]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !onBox) return;
    const draw = new BoxDraw(map, onBox);
    return () => draw.stop();
  }, [ready, onBox]);

  return (
    <div className="map-wrap">
      <div className="map" ref={container} data-testid="map" />
      {warning && <div className="map-warning">{warning}</div>}
      {searchPlan && searchPlan.segments.length > 0 && <SearchLegend colouring={colouring} />}
      {!basemap && !onPick && !onBox && <NoTilesNote />}
    </div>
  );
}

const NO_TILES_SEEN = 'howl.noTilesNote';

/** On a grid-only map, how to get a real one: once, until dismissed. */
function NoTilesNote() {
  const [shown, setShown] = useState(() => localStorage.getItem(NO_TILES_SEEN) !== 'dismissed');
  if (!shown) return null;
  return (
    <div className="map-note" data-testid="no-tiles-note">
      <strong>Grid only: no map tiles are set.</strong> For a real map, start Howl with{' '}
      <code>HOWL_TILES</code> pointing at a tile server (<code>https://…/{'{z}/{x}/{y}'}.png</code>) or at a{' '}
      <code>.pmtiles</code> file on this machine, or prepare an offline area with{' '}
      <code>howl tiles extract</code> (docs/offline-maps.md).{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          localStorage.setItem(NO_TILES_SEEN, 'dismissed');
          setShown(false);
        }}
      >
        Got it
      </button>
    </div>
  );
}
