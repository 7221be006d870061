import { z } from 'zod';
import { distanceM, type Point } from '../../domain/geo.ts';

/**
 * The running exercise's area as an OwnTracks region, so the phone itself tells when its member leaves it.
 * OwnTracks regions are circles (`lat`, `lon`, `rad`): Howl sends the smallest circle around the area's centre
 * that holds every corner, so leaving the circle means being outside the area (the reverse need not hold;
 * Howl's own check of positions against the polygon stays the reference). Its name starts with
 * "EXERCISE AREA" (exercise words: an area belongs to exercises only), and its `tst` is the exercise's
 * creation time, which the app copies into the `wtst` of its transitions.
 *
 * It reaches the app as the booklet's `setWaypoints` command (owntracks.org/booklet/tech/json, `_type=cmd`):
 * `{"_type":"cmd","action":"setWaypoints","waypoints":{"_type":"waypoints","waypoints":[…]}}`, which the apps
 * merge into their regions by name, on the device's own `…/cmd` topic with remote commands enabled.
 */

export const OwnTracksOutWaypoint = z.object({
  _type: z.literal('waypoint'),
  desc: z.string(),
  lat: z.number(),
  lon: z.number(),
  rad: z.number().int().describe('m'),
  tst: z.number().int().describe('epoch seconds: the exercise’s creation'),
});
export type OwnTracksOutWaypoint = z.infer<typeof OwnTracksOutWaypoint>;

export const OwnTracksOutSetWaypoints = z.object({
  _type: z.literal('cmd'),
  action: z.literal('setWaypoints'),
  waypoints: z.object({
    _type: z.literal('waypoints'),
    _creator: z.string().optional(),
    waypoints: z.array(OwnTracksOutWaypoint),
  }),
});
export type OwnTracksOutSetWaypoints = z.infer<typeof OwnTracksOutSetWaypoints>;

/** What Howl needs of an operation to make its region. */
export interface AreaSource {
  kind: string;
  name: string;
  area: readonly Point[] | null;
  createdAt: Date | string;
}

const PREFIX = 'EXERCISE AREA';

/** The region's name: the apps show it in their notifications ("… leaves EXERCISE AREA — Night nav"). */
export function areaRegionName(name: string): string {
  return `${PREFIX} — ${name}`;
}

/** The exercise's area as a region; undefined for an incident or an exercise without an area. */
export function areaRegion(op: AreaSource): OwnTracksOutWaypoint | undefined {
  if (op.kind !== 'exercise' || !op.area || op.area.length < 3) return undefined;
  const n = op.area.length;
  const centre = {
    lat: op.area.reduce((s, p) => s + p.lat, 0) / n,
    lon: op.area.reduce((s, p) => s + p.lon, 0) / n,
  };
  const rad = Math.ceil(Math.max(...op.area.map((p) => distanceM(centre, p))));
  return {
    _type: 'waypoint',
    desc: areaRegionName(op.name),
    lat: Math.round(centre.lat * 1e6) / 1e6,
    lon: Math.round(centre.lon * 1e6) / 1e6,
    // The rounding of the centre moves it by at most 0.1 m: one metre more keeps every corner inside.
    rad: rad + 1,
    tst: Math.floor(new Date(op.createdAt).getTime() / 1000),
  };
}

/** Whether a transition's region (`desc`) is the exercise's area as Howl sent it. */
export function isAreaRegion(op: AreaSource | undefined, desc: string | undefined): boolean {
  const region = op && areaRegion(op);
  return region !== undefined && desc !== undefined && desc.trim() === region.desc;
}

/** The `setWaypoints` command that gives an app the region. */
export function setWaypointsCmd(region: OwnTracksOutWaypoint): OwnTracksOutSetWaypoints {
  return {
    _type: 'cmd',
    action: 'setWaypoints',
    waypoints: { _type: 'waypoints', _creator: 'howl', waypoints: [region] },
  };
}

/** An operation row's area (stored as JSON text on some engines). */
export function areaOfRow(area: unknown): Point[] | null {
  const a = typeof area === 'string' ? (JSON.parse(area) as unknown) : area;
  return Array.isArray(a) ? (a as Point[]) : null;
}
