import { teamMode } from './mode.ts';
import { activeOperation } from './operation.ts';
import { type MemberTrack, pointAt, type TrackPoint, tailStart } from './replay-tracks.ts';
import { type Accountability, accountability } from './roll-call.ts';
import type {
  AlertState,
  AlertType,
  Mode,
  OperationKind,
  OperationState,
  RollCallStatus,
} from './vocabulary.ts';

/** The parts of the objects logged events carry that a replay reads (the live feed's shapes satisfy them). */
export interface ReplayOperationCore {
  readonly id: string;
  readonly kind: OperationKind;
  readonly state: OperationState;
  readonly name: string;
}

export interface ReplayAlertCore {
  readonly id: string;
  readonly type: AlertType;
  readonly mode: Mode;
  readonly state: AlertState;
  readonly sender: string;
  readonly subject: string | null;
  readonly count: number | null;
  readonly position: { readonly lat: number; readonly lon: number } | null;
  readonly acknowledgements: ReadonlyArray<{ readonly memberId: string; readonly time: string }>;
}

export interface ReplayContactCore {
  readonly id: string;
  readonly count: number;
  readonly withdrawn: number;
  readonly position: { readonly lat: number; readonly lon: number } | null;
}

export interface ReplayRollCallCore {
  readonly id: string;
  readonly operationId: string;
  readonly deadlineAt: string;
  readonly memberIds: readonly string[];
  readonly answers: ReadonlyArray<{ readonly memberId: string; readonly status: RollCallStatus }>;
}

export interface ReplayCasualtyCore {
  readonly id: string;
  /** Null when the casualty is the subject of the search. */
  readonly memberId: string | null;
  readonly subjectName?: string | null;
  readonly triage: string;
}

/**
 * A logged event as a replay reads it: the live feed's event (seq, type, mode and its payload) and the time
 * it was logged. Only the fields named here are read; an event of another type changes nothing at t.
 */
export interface ReplayEventCore {
  readonly seq: number;
  readonly type: string;
  readonly mode: Mode;
  /** When it was logged, epoch ms. */
  readonly timeMs: number;
  readonly operation?: ReplayOperationCore;
  readonly alert?: ReplayAlertCore;
  readonly contact?: ReplayContactCore;
  readonly rollCall?: ReplayRollCallCore;
  readonly casualty?: ReplayCasualtyCore;
}

/** The object an event carries in field `K`, as the caller's own (fuller) type: `Alert` for the live feed. */
export type Carried<E, K extends CarriedField> = E extends { readonly [P in K]: infer V }
  ? V & NonNullable<ReplayEventCore[K]>
  : never;
type CarriedField = 'operation' | 'alert' | 'contact' | 'rollCall' | 'casualty';

/** What the event log says at a moment: the latest version of each thing, as the live feed had it then. */
export interface LogStateAt<E extends ReplayEventCore> {
  /** Index of the last event that happened by then, -1 before the first: changes only when one passes. */
  readonly index: number;
  /** Every operation seen so far, latest version, in the order first seen. */
  readonly operations: Carried<E, 'operation'>[];
  /** The team's active operation then (an open incident before a running exercise). */
  readonly active: Carried<E, 'operation'> | null;
  readonly mode: Mode;
  /** Every alert raised so far, latest version (its state and acknowledgements then), the last raised first. */
  readonly alerts: Carried<E, 'alert'>[];
  /** Hostile contacts as known then, latest version, in the mode of the event that said so. */
  readonly contacts: Array<{ readonly contact: Carried<E, 'contact'>; readonly mode: Mode }>;
  /** The latest roll call by then, as answered by then. */
  readonly rollCall: Carried<E, 'rollCall'> | null;
  readonly casualties: Carried<E, 'casualty'>[];
}

/** The number of events (in log order) that had happened by `tMs`: the log up to the first one later than t. */
export function eventCountAt(events: readonly ReplayEventCore[], tMs: number): number {
  let n = 0;
  while (n < events.length && (events[n]?.timeMs ?? 0) <= tMs) n++;
  return n;
}

/**
 * The log's state at `tMs`: `events` folded in log order up to the first one later than t. Each event
 * carries the whole object as it became, so the latest version of each object is its state then.
 */
export function logStateAt<E extends ReplayEventCore>(events: readonly E[], tMs: number): LogStateAt<E> {
  const n = eventCountAt(events, tMs);
  const operations = new Map<string, Carried<E, 'operation'>>();
  const alerts = new Map<string, Carried<E, 'alert'>>();
  const contacts = new Map<string, { contact: Carried<E, 'contact'>; mode: Mode }>();
  const casualties = new Map<string, Carried<E, 'casualty'>>();
  let rollCall: Carried<E, 'rollCall'> | null = null;
  for (let i = 0; i < n; i++) {
    const e = events[i] as E;
    switch (e.type) {
      case 'operation.updated':
        if (e.operation) operations.set(e.operation.id, e.operation as Carried<E, 'operation'>);
        break;
      case 'alert.updated':
        // A map keeps the order of first insertion: the order the alerts were raised in.
        if (e.alert) alerts.set(e.alert.id, e.alert as Carried<E, 'alert'>);
        break;
      case 'contact.updated':
        if (e.contact)
          contacts.set(e.contact.id, { contact: e.contact as Carried<E, 'contact'>, mode: e.mode });
        break;
      case 'rollcall.updated':
        if (e.rollCall) rollCall = e.rollCall as Carried<E, 'rollCall'>;
        break;
      case 'casualty.updated':
        if (e.casualty) casualties.set(e.casualty.id, e.casualty as Carried<E, 'casualty'>);
        break;
      default:
        // Members, messages, injects, notices, training: listed on the timeline, no state on the map.
        break;
    }
  }
  const ops = [...operations.values()];
  const active = activeOperation(ops) ?? null;
  return {
    index: n - 1,
    operations: ops,
    active,
    mode: teamMode(active),
    alerts: newestFirst(alerts),
    contacts: [...contacts.values()],
    rollCall,
    casualties: [...casualties.values()],
  };
}

function newestFirst<T>(m: Map<string, T>): T[] {
  return [...m.values()].reverse();
}

/** The thing an event updates, for the state a replay keeps: null for an event that keeps none. */
function stateKey(e: ReplayEventCore): string | null {
  switch (e.type) {
    case 'operation.updated':
      return e.operation ? `o:${e.operation.id}` : null;
    case 'alert.updated':
      return e.alert ? `a:${e.alert.id}` : null;
    case 'contact.updated':
      return e.contact ? `c:${e.contact.id}` : null;
    case 'casualty.updated':
      return e.casualty ? `k:${e.casualty.id}` : null;
    case 'rollcall.updated':
      return e.rollCall ? 'r' : null;
    default:
      return null;
  }
}

/**
 * The state a stretch of the log leaves, in few events: the last event of each operation, alert, contact,
 * casualty and of the roll call, in log order. Folding them gives the same `logStateAt` as folding all.
 */
export function latestVersions<E extends ReplayEventCore>(events: readonly E[]): E[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => {
    const key = stateKey(e);
    if (key) last.set(key, i);
  });
  return [...last.values()].sort((a, b) => a - b).map((i) => events[i] as E);
}

/** Who was accounted for at `tMs` in the roll call of the state then (null without one). */
export function accountabilityAt(rollCall: ReplayRollCallCore | null, tMs: number): Accountability | null {
  return rollCall ? accountability({ ...rollCall, deadlineMs: Date.parse(rollCall.deadlineAt) }, tMs) : null;
}

/** A member at a moment: where (interpolated), their last fix, stale or not, and where their tail starts. */
export interface MemberAt extends TrackPoint {
  readonly memberId: string;
  /** Index of the first fix of the fading tail in the member's track. */
  readonly tailFrom: number;
}

export interface ReplayOptions {
  /** The team's limit without a report before a member shows stale, in ms. */
  readonly staleMs: number;
  /** How much of each member's path trails behind them, in ms. */
  readonly tailMs: number;
}

/** Every member with a fix by `tMs`, where they were then (one small object per member, no copy of a track). */
export function membersAt(tracks: readonly MemberTrack[], tMs: number, o: ReplayOptions): MemberAt[] {
  const out: MemberAt[] = [];
  for (const track of tracks) {
    const at = pointAt(track, tMs, o.staleMs);
    if (at) out.push({ ...at, memberId: track.memberId, tailFrom: tailStart(track, tMs, o.tailMs) });
  }
  return out;
}

/** The whole state of an operation at a moment: what the live console showed then. */
export interface ReplayStateAt<E extends ReplayEventCore> extends LogStateAt<E> {
  readonly tMs: number;
  readonly members: MemberAt[];
  readonly accountability: Accountability | null;
}

/**
 * The state at `tMs` of a recorded operation, from its logged events (in log order) and its members'
 * tracks: every member's position and tail, the active operation and mode, the alerts fired and their
 * acknowledgements, the contacts known, and the roll call's accountability then. The replay page draws it
 * and the after-action report reads it.
 */
export function replayStateAt<E extends ReplayEventCore>(
  input: { readonly events: readonly E[]; readonly tracks: readonly MemberTrack[] },
  tMs: number,
  o: ReplayOptions,
): ReplayStateAt<E> {
  const log = logStateAt(input.events, tMs);
  return {
    ...log,
    tMs,
    members: membersAt(input.tracks, tMs, o),
    accountability: accountabilityAt(log.rollCall, tMs),
  };
}

/** What held the team over a stretch of the timeline: nothing, an exercise (running or paused), an incident. */
export type ReplayPhase = 'none' | 'exercise' | 'paused' | 'incident';

export interface PhaseSegment {
  readonly fromMs: number;
  readonly toMs: number;
  readonly phase: ReplayPhase;
  readonly mode: Mode;
}

function phaseOf(active: ReplayOperationCore | null): ReplayPhase {
  if (!active) return 'none';
  if (active.kind === 'incident') return 'incident';
  return active.state === 'paused' ? 'paused' : 'exercise';
}

/**
 * The timeline from `fromMs` to `toMs` cut where the team's phase changed (STARTEX, a time-out, the
 * escalation, ENDEX, the close): what colours the replay's timeline, and the report's.
 */
export function phaseSegments(
  events: readonly ReplayEventCore[],
  fromMs: number,
  toMs: number,
): PhaseSegment[] {
  const ops = new Map<string, ReplayOperationCore>();
  const segments: PhaseSegment[] = [];
  let start = fromMs;
  let phase: ReplayPhase = 'none';
  const close = (untilMs: number) => {
    const end = Math.min(Math.max(untilMs, fromMs), toMs);
    if (end <= start) return;
    const last = segments[segments.length - 1];
    if (last && last.phase === phase && last.toMs === start)
      segments[segments.length - 1] = { ...last, toMs: end };
    else
      segments.push({
        fromMs: start,
        toMs: end,
        phase,
        mode: phase === 'exercise' || phase === 'paused' ? 'exercise' : 'real',
      });
    start = end;
  };
  for (const e of events) {
    if (e.type !== 'operation.updated' || !e.operation) continue;
    ops.set(e.operation.id, e.operation);
    const next = phaseOf(activeOperation([...ops.values()]) ?? null);
    if (next === phase) continue;
    close(e.timeMs);
    phase = next;
  }
  close(toMs);
  return segments;
}
