import { distanceToRingM, GEOFENCE_RESOLVE_M, hasMoved, type Level, levelOf } from './condition-limits.ts';
import { distanceM, formatDistance, type Point } from './geo.ts';
import { insidePolygon } from './geofence.ts';
import { isManDown, type TimedPoint } from './man-down.ts';
import { formatAge, isStale } from './presence.ts';
import type { AlertType } from './vocabulary.ts';

export type ConditionType = Extract<AlertType, 'separation' | 'no_report' | 'geofence' | 'man_down'>;

/** Drill roles whose job is to be apart from the team: no separation alert about them in a drill. */
export const APART_ROLES: readonly string[] = ['runner', 'opposing_force'];

/** One member in a condition, with a line saying why. */
export interface Finding {
  readonly memberId: string;
  readonly text: string;
  readonly position: Point | null;
}

/**
 * Members beyond a condition's limit (`on`); members between its resolve threshold and its limit (`band`:
 * an alert about them stays, none is raised); members whose condition cannot be told now (`unknown`, e.g.
 * a silent member's separation: an alert stays, and a raise waiting for its minimum duration keeps
 * waiting). Every other watched member is clear of it: an alert about them resolves.
 */
export interface ConditionState {
  readonly on: readonly Finding[];
  readonly band: readonly string[];
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
  /** Participants' roles while a drill runs (empty otherwise): see APART_ROLES. */
  readonly drillRoles: ReadonlyMap<string, string>;
  /** During a callout, the members who have arrived (`arrivedMembers`); null in any other operation. */
  readonly arrived: ReadonlySet<string> | null;
}

type Located = TimedPoint & { memberId: string };

const none: ConditionState = { on: [], band: [], unknown: [] };
const at = (p: TimedPoint | undefined): Point | null => (p ? { lat: p.lat, lon: p.lon } : null);

/** Which watched members are separated, silent, outside the area or not moving, at `nowMs`. */
export function evaluateConditions(c: ConditionInput): Record<ConditionType, ConditionState> {
  // Before they arrive at a callout, members are at home or on the road: nothing about them is watched.
  const inField = c.arrived ? c.watched.filter((id) => c.arrived?.has(id)) : c.watched;
  const fresh = inField.flatMap((id) => {
    const p = c.latest.get(id);
    return p && !isStale(p.timeMs, c.nowMs, c.staleS) ? [{ ...p, memberId: id }] : [];
  });
  const freshIds = new Set(fresh.map((f) => f.memberId));
  const notFresh = inField.filter((id) => !freshIds.has(id));
  return {
    separation: separation(c, fresh, notFresh),
    no_report: noReport(c, inField),
    geofence: geofence(c),
    man_down: manDown(c, fresh, notFresh),
  };
}

function collect(levels: ReadonlyArray<{ id: string; level: Level | 'unknown'; finding?: () => Finding }>) {
  const on: Finding[] = [];
  const band: string[] = [];
  const unknown: string[] = [];
  for (const l of levels) {
    if (l.level === 'beyond' && l.finding) on.push(l.finding());
    else if (l.level === 'band') band.push(l.id);
    else if (l.level === 'unknown') unknown.push(l.id);
  }
  return { on, band, unknown };
}

function separation(
  c: ConditionInput,
  fresh: readonly Located[],
  notFresh: readonly string[],
): ConditionState {
  // A runner or the opposing force is meant to be apart: neither alerted about nor counted as the team.
  const team = fresh.filter((f) => !APART_ROLES.includes(c.drillRoles.get(f.memberId) ?? ''));
  const silent = notFresh.filter((id) => !APART_ROLES.includes(c.drillRoles.get(id) ?? ''));
  // With fewer than two reporting, nobody can be told apart from the others.
  if (team.length < 2) return { on: [], band: [], unknown: [...team.map((f) => f.memberId), ...silent] };
  const levels = team.map((me) => {
    const nearestM = Math.min(...team.filter((o) => o !== me).map((o) => distanceM(me, o)));
    return {
      id: me.memberId,
      level: levelOf(nearestM, c.separationM),
      finding: () => ({
        memberId: me.memberId,
        text: `${formatDistance(nearestM)} from the nearest member (limit ${formatDistance(c.separationM)})`,
        position: at(me),
      }),
    };
  });
  return { ...collect(levels), unknown: silent };
}

function noReport(c: ConditionInput, inField: readonly string[]): ConditionState {
  const levels = inField.map((id) => {
    const p = c.latest.get(id);
    // A member who has not reported in this operation (a controller at the console, a phone left at home)
    // has not stopped reporting: there is nothing to miss.
    if (!p || p.timeMs < c.watchSinceMs) return { id, level: 'clear' as const };
    const ageS = (c.nowMs - p.timeMs) / 1000;
    return {
      id,
      level: levelOf(ageS, c.staleS),
      finding: () => ({
        memberId: id,
        text: `no report for ${formatAge(p.timeMs, c.nowMs)}`,
        position: at(p),
      }),
    };
  });
  return collect(levels);
}

function geofence(c: ConditionInput): ConditionState {
  const area = c.area;
  if (!area || area.length < 3) return none;
  const levels = c.watched.map((id) => {
    const p = c.latest.get(id);
    // Where a member was before the operation says nothing about leaving its area.
    if (!p || p.timeMs < c.watchSinceMs) return { id, level: 'unknown' as const };
    const outside = !insidePolygon(p, area);
    const level: Level = outside
      ? 'beyond'
      : distanceToRingM(p, area) < GEOFENCE_RESOLVE_M
        ? 'band'
        : 'clear';
    return {
      id,
      level,
      finding: () => ({ memberId: id, text: 'outside the exercise area', position: at(p) }),
    };
  });
  return collect(levels);
}

function manDown(c: ConditionInput, fresh: readonly Located[], notFresh: readonly string[]): ConditionState {
  if (c.manDownMinutes === null) return none;
  const recent = c.recent;
  if (recent === null) return { on: [], band: [], unknown: [...fresh.map((f) => f.memberId), ...notFresh] };
  const minutes = c.manDownMinutes;
  const windowStartMs = c.nowMs - minutes * 60_000;
  const levels = fresh.map((f) => {
    // Standing still before the operation began is not lying still during it.
    const fixes = (recent.get(f.memberId) ?? []).filter((p) => p.timeMs >= c.watchSinceMs);
    const level: Level = isManDown(fixes, c.nowMs, minutes)
      ? 'beyond'
      : hasMoved(fixes, windowStartMs)
        ? 'clear'
        : 'band';
    return {
      id: f.memberId,
      level,
      finding: () => ({ memberId: f.memberId, text: `no movement for ${minutes} min`, position: at(f) }),
    };
  });
  // A silent member's man-down stays as it was: no-report covers the silence.
  return { ...collect(levels), unknown: [...notFresh] };
}
