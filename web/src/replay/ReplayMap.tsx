import type { GeoJSONSource } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Contact } from '../../../src/contract/incidents.ts';
import { alertHeadline } from '../../../src/domain/alerts.ts';
import { membersAt } from '../../../src/domain/replay.ts';
import { type MemberTrack, pointAt } from '../../../src/domain/replay-tracks.ts';
import type { Mode } from '../../../src/domain/vocabulary.ts';
import { createBaseMap } from '../console/base-map.ts';
import { ContactMarkers } from '../console/map-contacts.ts';
import { buildStyle } from '../console/map-style.ts';
import { STALE_COLOR } from '../console/member-view.ts';
import type { Player } from './use-player.ts';
import type { LoadedReplay } from './use-replay.ts';

/** How much of each member's path fades out behind them. */
export const TAIL_MS = 3 * 60_000;
/** The tail in pieces, oldest (faintest) first. */
const TAIL_OPACITY = [0.12, 0.3, 0.55, 0.9];
/** The tails are redrawn at most this often (the markers move every frame). */
const TAIL_EVERY_MS = 100;
/** An alert stays on the map while active, and this long after it fired. */
const ALERT_SHOWN_MS = 5 * 60_000;

interface Props {
  tiles: ClientConfig['tiles'];
  replay: LoadedReplay;
  player: Player;
  colors: ReadonlyMap<string, string>;
  callsign: (memberId: string | null | undefined) => string;
  /** Keep this member in the middle of the map. */
  follow: string | null;
  contacts: ReadonlyArray<{ contact: Contact; mode: Mode }>;
  alerts: readonly Alert[];
  tMs: number;
}

interface Marker {
  marker: maplibregl.Marker;
  el: HTMLDivElement;
}

/** Every member at the player's moment with a fading tail, the hostile contacts then and the alerts as they fired. */
export function ReplayMap({ tiles, replay, player, colors, callsign, follow, contacts, alerts, tMs }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const followRef = useRef(follow);
  followRef.current = follow;

  useEffect(() => {
    let m: maplibregl.Map | null = null;
    let cancelled = false;
    buildStyle(tiles).then(({ style, basemap }) => {
      if (cancelled || !box.current) return;
      m = createBaseMap(box.current, style, basemap);
      m.on('load', () => {
        if (!m) return;
        m.addSource('replay-tails', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({
          id: 'replay-tails',
          type: 'line',
          source: 'replay-tails',
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': ['get', 'color'], 'line-width': 3, 'line-opacity': ['get', 'opacity'] },
        });
        fitReplay(m, replay);
        setMap(m);
      });
    });
    return () => {
      cancelled = true;
      m?.remove();
      setMap(null);
    };
  }, [tiles, replay]);

  // Members and tails: drawn at every frame of the player, outside React.
  useEffect(() => {
    if (!map) return;
    const markers = new Map<string, Marker>();
    const byId = new Map(replay.tracks.map((t) => [t.memberId, t]));
    let tailsAt = 0;
    let lastT = Number.NaN;
    const draw = (t: number) => {
      const members = membersAt(replay.tracks, t, { staleMs: replay.staleMs, tailMs: TAIL_MS });
      const seen = new Set<string>();
      for (const at of members) {
        seen.add(at.memberId);
        const m = markers.get(at.memberId) ?? memberMarker(map, at.memberId, callsign(at.memberId), markers);
        m.el.classList.toggle('status-stale', at.stale);
        m.el.style.setProperty(
          '--member-color',
          at.stale ? STALE_COLOR : (colors.get(at.memberId) ?? '#4cc9f0'),
        );
        m.marker.setLngLat([at.lon, at.lat]);
        if (followRef.current === at.memberId) map.jumpTo({ center: [at.lon, at.lat] });
      }
      for (const [id, m] of markers) {
        if (!seen.has(id)) {
          m.marker.remove();
          markers.delete(id);
        }
      }
      const now = performance.now();
      const jumped = Math.abs(t - lastT) > 5_000;
      lastT = t;
      if (!jumped && now - tailsAt < TAIL_EVERY_MS) return;
      tailsAt = now;
      const features: GeoJSON.Feature[] = [];
      for (const at of members) {
        const track = byId.get(at.memberId);
        if (!track || at.stale) continue;
        const color = colors.get(at.memberId) ?? '#4cc9f0';
        tailPieces(track, at.tailFrom, at.fixIndex, [at.lon, at.lat], (coordinates, i) =>
          features.push({
            type: 'Feature',
            properties: { color, opacity: TAIL_OPACITY[i] ?? 1 },
            geometry: { type: 'LineString', coordinates },
          }),
        );
      }
      (map.getSource('replay-tails') as GeoJSONSource | undefined)?.setData({
        type: 'FeatureCollection',
        features,
      });
    };
    const stop = player.onFrame(draw);
    return () => {
      stop();
      for (const m of markers.values()) m.marker.remove();
    };
  }, [map, replay, player.onFrame, colors, callsign]);

  // Following someone centres the map on them at once, then at every frame.
  useEffect(() => {
    const track = follow ? replay.tracks.find((t) => t.memberId === follow) : undefined;
    const at = track && pointAt(track, player.now(), replay.staleMs);
    if (map && at) map.jumpTo({ center: [at.lon, at.lat] });
  }, [map, follow, replay, player.now]);

  // Contacts and alerts change only when an event passes: drawn with React's moment.
  const exerciseContacts = useRef<ContactMarkers | null>(null);
  const realContacts = useRef<ContactMarkers | null>(null);
  useEffect(() => {
    if (!map) return;
    exerciseContacts.current = new ContactMarkers(map);
    realContacts.current = new ContactMarkers(map);
    return () => {
      exerciseContacts.current?.update([], true, 0, callsign);
      realContacts.current?.update([], false, 0, callsign);
    };
  }, [map, callsign]);
  useEffect(() => {
    const pick = (mode: Mode) => contacts.filter((c) => c.mode === mode).map((c) => c.contact);
    exerciseContacts.current?.update(pick('exercise'), true, tMs, callsign);
    realContacts.current?.update(pick('real'), false, tMs, callsign);
  }, [contacts, tMs, callsign]);

  const alertMarkers = useRef(new Map<string, Marker>());
  useEffect(() => {
    if (!map) return;
    const shown = new Set<string>();
    for (const a of alerts) {
      // A contact is drawn as its diamond (as on the live map); other alerts as a flag where they fired.
      if (!a.position || a.type === 'contact') continue;
      if (a.state !== 'active' && tMs - Date.parse(a.time) > ALERT_SHOWN_MS) continue;
      shown.add(a.id);
      let m = alertMarkers.current.get(a.id);
      if (!m) {
        const el = document.createElement('div');
        el.dataset.testid = 'replay-alert-marker';
        const marker = new maplibregl.Marker({ element: el, anchor: 'bottom', offset: [0, -10] })
          .setLngLat([a.position.lon, a.position.lat])
          .addTo(map);
        m = { marker, el };
        alertMarkers.current.set(a.id, m);
      }
      m.el.className = `replay-alert-marker mode-${a.mode} alert-${a.state}`;
      m.el.textContent = `${a.mode === 'exercise' ? 'EX ' : ''}${alertHeadline(a)}`;
    }
    for (const [id, m] of alertMarkers.current) {
      if (!shown.has(id)) {
        m.marker.remove();
        alertMarkers.current.delete(id);
      }
    }
  }, [map, alerts, tMs]);
  useEffect(() => {
    const markers = alertMarkers.current;
    return () => {
      for (const m of markers.values()) m.marker.remove();
      markers.clear();
    };
  }, []);

  return <div ref={box} className="map replay-map" data-testid="replay-map" />;
}

function memberMarker(
  map: maplibregl.Map,
  memberId: string,
  callsign: string,
  markers: Map<string, Marker>,
): Marker {
  const el = document.createElement('div');
  el.className = 'member-marker';
  el.dataset.testid = 'replay-member';
  el.dataset.callsign = callsign;
  const dot = document.createElement('span');
  dot.className = 'member-dot';
  const label = document.createElement('span');
  label.className = 'member-label';
  label.textContent = callsign;
  el.append(dot, label);
  const marker = new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat([0, 0]).addTo(map);
  const m = { marker, el };
  markers.set(memberId, m);
  return m;
}

/** The tail from fix `from` to fix `to` and the member's point, cut into pieces that fade with age. */
function tailPieces(
  track: MemberTrack,
  from: number,
  to: number,
  head: [number, number],
  add: (coordinates: [number, number][], piece: number) => void,
): void {
  const n = to - from + 1;
  if (n < 1) return;
  const pieces = TAIL_OPACITY.length;
  const size = Math.max(1, Math.ceil(n / pieces));
  for (let p = 0; p < pieces; p++) {
    const start = from + p * size;
    if (start > to) break;
    const end = Math.min(to, start + size);
    const line: [number, number][] = [];
    for (let i = start; i <= end; i++) line.push([track.lon[i] ?? 0, track.lat[i] ?? 0]);
    if (end === to) line.push(head);
    if (line.length >= 2) add(line, pieces - Math.ceil((to - start + 1) / size));
  }
}

/** Fits the map to every fix, contact and alert of the replay (read once, when the map opens). */
function fitReplay(map: maplibregl.Map, replay: LoadedReplay): void {
  let [west, south, east, north] = [180, 90, -180, -90];
  const add = (lon: number, lat: number) => {
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  };
  for (const t of replay.tracks) {
    for (let i = 0; i < t.t.length; i++) add(t.lon[i] ?? 0, t.lat[i] ?? 0);
  }
  for (const e of replay.events) {
    const p =
      e.type === 'contact.updated'
        ? e.contact.position
        : e.type === 'alert.updated'
          ? e.alert.position
          : null;
    if (p) add(p.lon, p.lat);
  }
  if (west > east) return;
  map.resize();
  map.fitBounds(
    [
      [west, south],
      [east, north],
    ],
    { padding: 60, maxZoom: 17, duration: 0 },
  );
}
