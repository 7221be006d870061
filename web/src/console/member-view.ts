import type { Member } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { sosSenders } from '../../../src/domain/alerts.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { DEFAULT_STALE_S, memberStatus, type PresenceStatus } from '../../../src/domain/presence.ts';
import type { Mode } from '../../../src/domain/vocabulary.ts';
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

/** What the console shows of a member: their status, and the mode of their active SOS if they have one out. */
export interface MemberStatus {
  status: PresenceStatus | null;
  sos: Mode | null;
}

/**
 * Every member's status at `nowMs`: SOS while an SOS alert of theirs is active, whatever client sent it (the
 * field page's HOWL button as much as a Traccar alarm), else ok or stale from their latest position.
 */
export function memberStatuses(state: TeamState, nowMs: number): Map<string, MemberStatus> {
  const staleS = staleSeconds(state);
  const sos = sosSenders(state.alerts);
  const ids = new Set([...state.members.map((m) => m.id), ...Object.keys(state.latest)]);
  const out = new Map<string, MemberStatus>();
  for (const id of ids) {
    const p: Position | undefined = state.latest[id];
    const mode = sos.get(id) ?? null;
    out.set(id, {
      status: memberStatus(p ? Date.parse(p.time) : null, nowMs, staleS, mode !== null),
      sos: mode,
    });
  }
  return out;
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
