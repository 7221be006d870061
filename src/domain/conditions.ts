import { distanceM, formatDistance, type Point } from './geo.ts';
import { insidePolygon } from './geofence.ts';
import { isManDown, type TimedPoint } from './man-down.ts';
import { formatAge, isStale } from './presence.ts';
import { separatedMembers } from './separation.ts';
import type { AlertType } from './vocabulary.ts';

export type ConditionType = Extract<AlertType, 'separation' | 'no_report' | 'geofence' | 'man_down'>;

/** One member in a condition, with a line saying why. */
export interface Finding {
  readonly memberId: string;
  readonly text: string;
  readonly position: Point | null;
}

/**
 * Members in a condition (`on`), and members whose condition cannot be told now (`unknown`,
 * e.g. a silent member's separation): their alerts are neither raised nor resolved.
 */
export interface ConditionState {
  readonly on: readonly Finding[];
  readonly unknown: readonly string[];
}

export interface ConditionInput {
  readonly nowMs: number;
  /** Members the monitor watches: participants and those reporting since `watchSinceMs`. */
  readonly watched: readonly string[];
  /** Each member's latest fix. */
  readonly latest: ReadonlyMap<string, TimedPoint>;
  /** Each member's recent fixes for man-down; null when man-down is not checked this time. */
  readonly recent: ReadonlyMap<string, readonly TimedPoint[]> | null;
  /** When watching began: the operation's start (or the start of the exercise it escalated). */
  readonly watchSinceMs: number;
  readonly staleS: number;
  readonly separationM: number;
  /** The exercise area's ring; null when there is none. */
  readonly area: readonly Point[] | null;
  readonly manDownMinutes: number | null;
}

const none: ConditionState = { on: [], unknown: [] };
const at = (p: TimedPoint | undefined): Point | null => (p ? { lat: p.lat, lon: p.lon } : null);

/** Which watched members are separated, silent, outside the area or not moving, at `nowMs`. */
export function evaluateConditions(c: ConditionInput): Record<ConditionType, ConditionState> {
  const fresh = c.watched.flatMap((id) => {
    const p = c.latest.get(id);
    return p && !isStale(p.timeMs, c.nowMs, c.staleS) ? [{ ...p, memberId: id }] : [];
  });
  const freshIds = new Set(fresh.map((f) => f.memberId));
  const notFresh = c.watched.filter((id) => !freshIds.has(id));
  return {
    separation: separation(fresh, notFresh, c.separationM),
    no_report: noReport(c),
    geofence: geofence(c),
    man_down: manDown(c, fresh, notFresh),
  };
}

function separation(
  fresh: ReadonlyArray<TimedPoint & { memberId: string }>,
  notFresh: readonly string[],
  limitM: number,
): ConditionState {
  const on = separatedMembers(fresh, limitM).map((id) => {
    const me = fresh.find((f) => f.memberId === id) as TimedPoint & { memberId: string };
    const nearestM = Math.min(...fresh.filter((f) => f.memberId !== id).map((f) => distanceM(me, f)));
    return {
      memberId: id,
      text: `${formatDistance(nearestM)} from the nearest member (limit ${formatDistance(limitM)})`,
      position: at(me),
    };
  });
  return { on, unknown: notFresh };
}

function noReport(c: ConditionInput): ConditionState {
  const on: Finding[] = [];
  for (const id of c.watched) {
    const p = c.latest.get(id);
    // A member who last reported before watching began gets the team's limit from its start.
    const sinceMs = Math.max(p?.timeMs ?? Number.NEGATIVE_INFINITY, c.watchSinceMs);
    if (!isStale(sinceMs, c.nowMs, c.staleS)) continue;
    const text =
      p && p.timeMs >= c.watchSinceMs
        ? `no report for ${formatAge(p.timeMs, c.nowMs)}`
        : `no report since the operation began ${formatAge(c.watchSinceMs, c.nowMs)} ago`;
    on.push({ memberId: id, text, position: at(p) });
  }
  return { on, unknown: [] };
}

function geofence(c: ConditionInput): ConditionState {
  if (!c.area || c.area.length < 3) return none;
  const on: Finding[] = [];
  const unknown: string[] = [];
  for (const id of c.watched) {
    const p = c.latest.get(id);
    // Where a member was before the operation says nothing about leaving its area.
    if (!p || p.timeMs < c.watchSinceMs) unknown.push(id);
    else if (!insidePolygon(p, c.area))
      on.push({ memberId: id, text: 'outside the exercise area', position: at(p) });
  }
  return { on, unknown };
}

function manDown(
  c: ConditionInput,
  fresh: ReadonlyArray<TimedPoint & { memberId: string }>,
  notFresh: readonly string[],
): ConditionState {
  if (c.manDownMinutes === null) return none;
  if (c.recent === null) return { on: [], unknown: [...c.watched] };
  const minutes = c.manDownMinutes;
  const on: Finding[] = [];
  for (const f of fresh) {
    // Standing still before the operation began is not lying still during it.
    const fixes = (c.recent.get(f.memberId) ?? []).filter((p) => p.timeMs >= c.watchSinceMs);
    if (isManDown(fixes, c.nowMs, minutes))
      on.push({ memberId: f.memberId, text: `no movement for ${minutes} min`, position: at(f) });
  }
  // A silent member's man-down stays as it was: no-report covers the silence.
  return { on, unknown: notFresh };
}
