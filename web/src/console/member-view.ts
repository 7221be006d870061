import type { Member } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { DEFAULT_STALE_S, type PresenceStatus, presenceStatus } from '../../../src/domain/presence.ts';
import type { TeamState } from '../shared/team-state.ts';

/** Member colours: distinct on a dark or a light map, red left out (it means SOS). */
const PALETTE = [
  '#4cc9f0',
  '#f7b32b',
  '#7bd389',
  '#c77dff',
  '#ff8fab',
  '#2ec4b6',
  '#ffd166',
  '#a0c4ff',
  '#f4a261',
];

export const SOS_COLOR = '#ff3b30';
export const STALE_COLOR = '#8a94a3';

/**
 * Member colours: assigned in the order members joined, so the first nine never share one and
 * every console shows the same member in the same colour.
 */
export function memberColors(members: readonly Member[]): ReadonlyMap<string, string> {
  const ordered = [...members].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  return new Map(ordered.map((m, i) => [m.id, PALETTE[i % PALETTE.length] ?? '#4cc9f0']));
}

/** The colour to draw a member in, given their status: SOS red, stale or unknown grey. */
export function drawColor(
  colors: ReadonlyMap<string, string>,
  memberId: string,
  status: PresenceStatus | null,
): string {
  if (status === 'sos') return SOS_COLOR;
  if (status === 'stale' || status === null) return STALE_COLOR;
  return colors.get(memberId) ?? STALE_COLOR;
}

export function staleSeconds(state: TeamState): number {
  return state.team?.staleSeconds ?? DEFAULT_STALE_S;
}

/** A member's status at `nowMs` from their latest position. */
export function positionStatus(p: Position, nowMs: number, staleS: number): PresenceStatus {
  return presenceStatus(Date.parse(p.time), nowMs, staleS, p.alarm);
}

export interface Reference {
  point: Point;
  label: 'you' | 'base';
}

/** Where distances are measured from: the leader's own latest position, else the team's base. */
export function referencePoint(state: TeamState, me: Me): Reference | null {
  const own = state.latest[me.memberId];
  if (own) return { point: own, label: 'you' };
  if (state.team?.base) return { point: state.team.base, label: 'base' };
  return null;
}
