import type { DeviceNotice } from '../../../src/contract/device-notices.ts';
import type { LiveMessage } from '../../../src/contract/live.ts';
import type { Member, Team } from '../../../src/contract/members.ts';
import type { Message } from '../../../src/contract/messages.ts';
import type { Position } from '../../../src/contract/positions.ts';
import { movesLiveMarker } from '../../../src/domain/report-time.ts';
import { mergeMessages } from './messages.ts';
import {
  emptyOperationState,
  fromSnapshot,
  type OperationState,
  withOperationEvent,
  withReminder,
} from './operation-state.ts';

/** What the browser knows about its team, built from REST loads and live messages. */
export interface TeamState extends OperationState {
  /** true once a snapshot (or the REST fallback) has arrived. */
  loaded: boolean;
  team: Team | null;
  members: readonly Member[];
  /** memberId → the position that places the marker (the newest by time). */
  latest: Readonly<Record<string, Position>>;
  /** memberId → positions in time order, the latest included. */
  trails: Readonly<Record<string, readonly Position[]>>;
  /** Devices' notices (regions, lost connections, low batteries) since the page opened, newest first. */
  notices: readonly { seq: number; mode: string; notice: DeviceNotice }[];
  /** The team's recent messages, newest first: loaded on each (re)connect, then live. */
  messages: readonly Message[];
  /**
   * Counters that go up when drills, training records or the search plan change (and on each reconnect, when
   * changes may have been missed): the views load again when theirs moves.
   */
  revisions: { readonly drills: number; readonly training: number; readonly search: number };
}

export const emptyTeamState: TeamState = {
  ...emptyOperationState,
  loaded: false,
  team: null,
  members: [],
  latest: {},
  trails: {},
  notices: [],
  messages: [],
  revisions: { drills: 0, training: 0, search: 0 },
};

/** How many device notices the console keeps. */
export const NOTICES_KEPT = 30;

/** How much trail the console keeps in memory and draws. */
export const TRAIL_WINDOW_MS = 60 * 60 * 1000;

const timeMs = (p: Position) => Date.parse(p.time);

/** `trail` merged with `points`: time order, one point per time (the newer copy wins), none before `sinceMs`. */
export function mergeTrail(
  trail: readonly Position[],
  points: readonly Position[],
  sinceMs: number,
): Position[] {
  const last = trail[trail.length - 1];
  const only = points.length === 1 ? points[0] : undefined;
  if (only && (!last || timeMs(only) > timeMs(last))) {
    // The usual case, a new fix after the others: no sort needed.
    const from = trail.findIndex((q) => timeMs(q) >= sinceMs);
    return from < 0 ? (timeMs(only) >= sinceMs ? [only] : []) : [...trail.slice(from), only];
  }
  const byTime = new Map<number, Position>();
  for (const q of [...trail, ...points]) {
    const t = timeMs(q);
    if (t >= sinceMs) byTime.set(t, q);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, q]) => q);
}

/** The state after positions of one member: always into the trail, onto the marker only if not older. */
function withMemberPositions(state: TeamState, memberId: string, points: readonly Position[], nowMs: number) {
  let newest = state.latest[memberId];
  for (const p of points) {
    if (movesLiveMarker(timeMs(p), newest ? timeMs(newest) : undefined)) newest = p;
  }
  const latest =
    newest && newest !== state.latest[memberId] ? { ...state.latest, [memberId]: newest } : state.latest;
  const trail = mergeTrail(state.trails[memberId] ?? [], points, nowMs - TRAIL_WINDOW_MS);
  return { ...state, latest, trails: { ...state.trails, [memberId]: trail } };
}

/** The state after one position. */
export function withPosition(state: TeamState, p: Position, nowMs: number): TeamState {
  return withMemberPositions(state, p.memberId, [p], nowMs);
}

/** The state after merging loaded trails (memberId → positions). */
export function withTrails(
  state: TeamState,
  trails: Readonly<Record<string, readonly Position[]>>,
  nowMs: number,
): TeamState {
  let next = state;
  for (const [memberId, points] of Object.entries(trails)) {
    if (points.length > 0) next = withMemberPositions(next, memberId, points, nowMs);
  }
  return next;
}

function withoutMember(state: TeamState, memberId: string): TeamState {
  const { [memberId]: _latest, ...latest } = state.latest;
  const { [memberId]: _trail, ...trails } = state.trails;
  return { ...state, members: state.members.filter((m) => m.id !== memberId), latest, trails };
}

/** The state after one live message. */
export function applyLive(state: TeamState, message: LiveMessage, nowMs: number): TeamState {
  switch (message.type) {
    case 'snapshot': {
      // The snapshot replaces the latest positions; trails keep what was drawn and gain the new points.
      const ids = new Set(message.members.map((m) => m.id));
      const trails = Object.fromEntries(Object.entries(state.trails).filter(([id]) => ids.has(id)));
      let next: TeamState = {
        ...fromSnapshot(state, message),
        loaded: true,
        team: message.team,
        members: message.members,
        latest: {},
        trails,
        notices: state.notices,
        messages: state.messages,
        revisions: {
          drills: state.revisions.drills + 1,
          training: state.revisions.training + 1,
          search: state.revisions.search + 1,
        },
      };
      for (const p of message.positions) next = withPosition(next, p, nowMs);
      return next;
    }
    case 'position':
      return withPosition(state, message.position, nowMs);
    case 'positions': {
      let next = state;
      for (const p of message.positions) next = withPosition(next, p, nowMs);
      return next;
    }
    case 'event': {
      const event = message.event;
      switch (event.type) {
        case 'member.added':
        case 'member.updated':
          return {
            ...state,
            members: [...state.members.filter((m) => m.id !== event.member.id), event.member],
          };
        case 'member.removed':
          return withoutMember(state, event.memberId);
        case 'team.updated':
          return { ...state, team: event.team };
        case 'token.revoked':
          return state;
        case 'message.posted':
          return { ...state, messages: mergeMessages(state.messages, [event.message]) };
        case 'device.notice':
          if (state.notices.some((n) => n.seq === event.seq)) return state;
          return {
            ...state,
            notices: [{ seq: event.seq, mode: event.mode, notice: event.notice }, ...state.notices].slice(
              0,
              NOTICES_KEPT,
            ),
          };
        case 'drill.updated':
          return { ...state, revisions: { ...state.revisions, drills: state.revisions.drills + 1 } };
        case 'training.updated':
          return { ...state, revisions: { ...state.revisions, training: state.revisions.training + 1 } };
        case 'operation.updated': {
          const next = { ...state, ...withOperationEvent(state, event) };
          // A drill's page (tracking or detection) loads again when its drill starts, ends or changes.
          if (event.operation.type === 'general') return next;
          return { ...next, revisions: { ...state.revisions, drills: state.revisions.drills + 1 } };
        }
        case 'inject.delivered':
        case 'alert.updated':
        case 'rollcall.updated':
        case 'casualty.updated':
        case 'subject.updated':
        case 'contact.updated':
        case 'callout.updated':
          return { ...state, ...withOperationEvent(state, event) };
        case 'search.updated':
          // The search view loads its plan again (between changes its figures follow the positions).
          return { ...state, revisions: { ...state.revisions, search: state.revisions.search + 1 } };
        default:
          return assertNever(event);
      }
    }
    case 'alert.reminder':
      return { ...state, ...withReminder(state, message) };
    case 'heartbeat':
      return state;
    default:
      return assertNever(message);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected live message ${JSON.stringify(value)}`);
}
