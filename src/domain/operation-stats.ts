import { distanceM, type Point } from './geo.ts';
import { type MemberTrack, type PackedTracks, pointAt, sampleStepMs, unpackTracks } from './replay-tracks.ts';
import { accountability } from './roll-call.ts';
import type { AlertState, AlertType, Mode, RollCallStatus } from './vocabulary.ts';

/** The parts of an alert, as its events carry it, that the statistics read. */
export interface StatsAlert {
  readonly id: string;
  readonly type: AlertType;
  readonly mode: Mode;
  readonly state: AlertState;
  readonly subjectId: string | null;
  /** When it was raised (ISO 8601). */
  readonly time: string;
  readonly acknowledgements: ReadonlyArray<{ readonly memberId: string; readonly time: string }>;
}

export interface StatsRollCall {
  readonly id: string;
  readonly deadlineAt: string;
  readonly memberIds: readonly string[];
  readonly answers: ReadonlyArray<{ readonly memberId: string; readonly status: RollCallStatus }>;
}

/** A logged event as the statistics read it: when, in which mode, and the alert or roll call it carries. */
export interface StatsEvent {
  readonly timeMs: number;
  readonly mode: Mode;
  readonly alert?: StatsAlert;
  readonly rollCall?: StatsRollCall;
}

export interface StatsInput {
  readonly fromMs: number;
  readonly toMs: number;
  readonly members: ReadonlyArray<{ readonly id: string; readonly callsign: string }>;
  /** The window's events in log order. */
  readonly events: readonly StatsEvent[];
  readonly tracks: readonly MemberTrack[];
  /** A member without a fix for this long is stale. */
  readonly staleMs: number;
  /** The team's base, for the distance-to-base plot; null without one. */
  readonly base: Point | null;
}

export interface MemberStats {
  readonly memberId: string;
  readonly callsign: string;
  /** Along their fixes in the window, in metres. */
  readonly distanceM: number;
  readonly fixes: number;
  /** From the alert that made it real to this member's acknowledgement of it; null: never acknowledged. */
  readonly ackAfterMs: number | null;
  /** From the alert that made it real to this member's first "accounted" roll-call answer. */
  readonly accountedAfterMs: number | null;
  /** Time in the window with no fix for longer than the stale limit (after their first fix). */
  readonly staleMs: number;
  /** Time an alert said they were separated from the team. */
  readonly separatedMs: number;
  /** Time in a roll call without an "accounted" answer. */
  readonly unaccountedMs: number;
}

export interface AlertStats {
  readonly id: string;
  readonly type: AlertType;
  readonly mode: Mode;
  readonly raisedAtMs: number;
  readonly acknowledged: number;
  /** The first and the median acknowledgement after it was raised; null without any. */
  readonly firstAckMs: number | null;
  readonly medianAckMs: number | null;
}

/** A step line: the count changes at each time and holds until the next. */
export interface StepSeries {
  readonly timesMs: number[];
  readonly values: number[];
}

export interface OperationStats {
  readonly durationMs: number;
  /** When the first real alert (an escalation, an SOS, a callout) was raised; null: it stayed an exercise. */
  readonly realAtMs: number | null;
  /** From then until every member of the roll call was accounted for; null if that never happened. */
  readonly allAccountedAfterMs: number | null;
  readonly members: readonly MemberStats[];
  readonly alerts: readonly AlertStats[];
  /** Members accounted for over time, with the roll call's size. */
  readonly accounted: StepSeries & { readonly total: number };
  /** Each member's distance to the base over time (null: unknown or stale then); empty without a base. */
  readonly toBase: { readonly timesMs: number[]; readonly metres: ReadonlyArray<(number | null)[]> };
}

/** The alerts that turn a team's picture real. */
const REAL_TRIGGERS: readonly AlertType[] = ['escalation', 'sos', 'missing'];
const PLOT_POINTS = 400;

/** The statistics of an operation (or any window of a team's time), from what its replay holds. */
export function operationStats(input: StatsInput): OperationStats {
  const alerts = latestAlerts(input.events);
  const trigger = alerts.find((a) => a.mode === 'real' && REAL_TRIGGERS.includes(a.type));
  const realAtMs = trigger ? Date.parse(trigger.time) : null;
  const accountedSeries = accountedOverTime(input.events);
  const firstAccounted = firstAccountedTimes(input.events);
  const members = input.members.map((m): MemberStats => {
    const track = input.tracks.find((t) => t.memberId === m.id);
    const ack = trigger?.acknowledgements.find((a) => a.memberId === m.id);
    const accountedAt = firstAccounted.get(m.id);
    return {
      memberId: m.id,
      callsign: m.callsign,
      distanceM: track ? trackLengthM(track, input.fromMs, input.toMs) : 0,
      fixes: track ? fixesIn(track, input.fromMs, input.toMs) : 0,
      ackAfterMs: realAtMs !== null && ack ? Math.max(0, Date.parse(ack.time) - realAtMs) : null,
      accountedAfterMs:
        realAtMs !== null && accountedAt !== undefined ? Math.max(0, accountedAt - realAtMs) : null,
      staleMs: track ? staleTime(track, input.fromMs, input.toMs, input.staleMs) : 0,
      separatedMs: alertTime(input.events, m.id, 'separation', input.toMs),
      unaccountedMs: unaccountedTime(input.events, m.id, input.toMs),
    };
  });
  const allAt = accountedSeries.total > 0 ? allAccountedAt(accountedSeries) : null;
  return {
    durationMs: Math.max(0, input.toMs - input.fromMs),
    realAtMs,
    allAccountedAfterMs: realAtMs !== null && allAt !== null ? Math.max(0, allAt - realAtMs) : null,
    members,
    alerts: alerts.map(alertStats),
    accounted: accountedSeries,
    toBase: input.base ? distancesToBase(input, input.base) : { timesMs: [], metres: [] },
  };
}

/** The latest version of each alert, in the order they were raised. */
function latestAlerts(events: readonly StatsEvent[]): StatsAlert[] {
  const latest = new Map<string, StatsAlert>();
  for (const e of events) if (e.alert) latest.set(e.alert.id, e.alert);
  return [...latest.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

function alertStats(a: StatsAlert): AlertStats {
  const raisedAtMs = Date.parse(a.time);
  const delays = a.acknowledgements
    .map((x) => Math.max(0, Date.parse(x.time) - raisedAtMs))
    .sort((x, y) => x - y);
  return {
    id: a.id,
    type: a.type,
    mode: a.mode,
    raisedAtMs,
    acknowledged: delays.length,
    firstAckMs: delays[0] ?? null,
    medianAckMs: delays.length === 0 ? null : median(delays),
  };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The roll calls' "accounted for" count at each of their updates (a new roll call starts again from 0). */
function accountedOverTime(events: readonly StatsEvent[]): StepSeries & { total: number } {
  const timesMs: number[] = [];
  const values: number[] = [];
  let total = 0;
  for (const e of events) {
    if (!e.rollCall) continue;
    // Before its deadline a silent member is pending, after it unaccounted: neither is accounted for.
    const acc = accountability({ ...e.rollCall, deadlineMs: Date.parse(e.rollCall.deadlineAt) }, e.timeMs);
    timesMs.push(e.timeMs);
    values.push(acc.accounted.length);
    total = acc.total;
  }
  return { timesMs, values, total };
}

function allAccountedAt(s: StepSeries & { total: number }): number | null {
  const i = s.values.findIndex((v) => v >= s.total);
  return i < 0 ? null : (s.timesMs[i] ?? null);
}

/** When each member was first accounted for in a roll call. */
function firstAccountedTimes(events: readonly StatsEvent[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const e of events) {
    if (!e.rollCall) continue;
    const acc = accountability({ ...e.rollCall, deadlineMs: Date.parse(e.rollCall.deadlineAt) }, e.timeMs);
    for (const id of acc.accounted) if (!first.has(id)) first.set(id, e.timeMs);
  }
  return first;
}

/** Time between a roll call naming the member and their "accounted" answer (or the window's end). */
function unaccountedTime(events: readonly StatsEvent[], memberId: string, toMs: number): number {
  let since: number | null = null;
  let total = 0;
  let rollCallId: string | null = null;
  for (const e of events) {
    const rc = e.rollCall;
    if (!rc) continue;
    if (rc.id !== rollCallId) {
      if (since !== null) total += e.timeMs - since;
      rollCallId = rc.id;
      since = rc.memberIds.includes(memberId) ? e.timeMs : null;
    }
    const acc = accountability({ ...rc, deadlineMs: Date.parse(rc.deadlineAt) }, e.timeMs);
    if (since !== null && acc.accounted.includes(memberId)) {
      total += e.timeMs - since;
      since = null;
    }
  }
  return since === null ? total : total + Math.max(0, toMs - since);
}

/** Time alerts of `type` about the member were active (from raised to cancelled or resolved). */
function alertTime(events: readonly StatsEvent[], memberId: string, type: AlertType, toMs: number): number {
  const open = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    const a = e.alert;
    if (!a || a.type !== type || a.subjectId !== memberId) continue;
    if (a.state === 'active') {
      if (!open.has(a.id)) open.set(a.id, Date.parse(a.time));
    } else {
      const from = open.get(a.id);
      if (from !== undefined) total += Math.max(0, e.timeMs - from);
      open.delete(a.id);
    }
  }
  for (const from of open.values()) total += Math.max(0, toMs - from);
  return total;
}

function indexRange(track: MemberTrack, fromMs: number, toMs: number): [number, number] {
  let i = 0;
  while (i < track.t.length && (track.t[i] ?? 0) < fromMs) i++;
  let j = i;
  while (j < track.t.length && (track.t[j] ?? 0) <= toMs) j++;
  return [i, j];
}

function fixesIn(track: MemberTrack, fromMs: number, toMs: number): number {
  const [i, j] = indexRange(track, fromMs, toMs);
  return j - i;
}

function trackLengthM(track: MemberTrack, fromMs: number, toMs: number): number {
  const [i, j] = indexRange(track, fromMs, toMs);
  let m = 0;
  for (let k = i + 1; k < j; k++) {
    m += distanceM(
      { lat: track.lat[k - 1] ?? 0, lon: track.lon[k - 1] ?? 0 },
      { lat: track.lat[k] ?? 0, lon: track.lon[k] ?? 0 },
    );
  }
  return m;
}

/** Time beyond the stale limit in each gap between fixes, and after the last one, within the window. */
function staleTime(track: MemberTrack, fromMs: number, toMs: number, staleMs: number): number {
  const [i, j] = indexRange(track, fromMs, toMs);
  if (j === i) return 0;
  let total = 0;
  for (let k = i + 1; k < j; k++) total += Math.max(0, (track.t[k] ?? 0) - (track.t[k - 1] ?? 0) - staleMs);
  return total + Math.max(0, toMs - (track.t[j - 1] ?? toMs) - staleMs);
}

function distancesToBase(input: StatsInput, base: Point): OperationStats['toBase'] {
  const step = sampleStepMs(input.fromMs, input.toMs, PLOT_POINTS);
  const timesMs: number[] = [];
  for (let t = input.fromMs; t <= input.toMs; t += step) timesMs.push(t);
  const metres = input.members.map((m) => {
    const track = input.tracks.find((x) => x.memberId === m.id);
    return timesMs.map((t) => {
      const p = track ? pointAt(track, t, input.staleMs) : null;
      return p && !p.stale ? Math.round(distanceM(p, base)) : null;
    });
  });
  return { timesMs, metres };
}

/** What a replay answer holds that the statistics read (the contract's `Replay` is one). */
export interface ReplayLike {
  readonly from: string;
  readonly to: string;
  readonly staleSeconds: number;
  readonly base: Point | null;
  readonly members: ReadonlyArray<{ readonly id: string; readonly callsign: string }>;
  readonly events: ReadonlyArray<{ readonly time: string; readonly event: Omit<StatsEvent, 'timeMs'> }>;
  readonly positions: PackedTracks;
}

/** The statistics of a replay as the server sends it (the page and the report both start from it). */
export function replayStats(
  r: ReplayLike,
  tracks: readonly MemberTrack[] = unpackTracks(r.positions),
): OperationStats {
  return operationStats({
    fromMs: Date.parse(r.from),
    toMs: Date.parse(r.to),
    members: r.members,
    events: r.events.map((e) => ({ ...e.event, timeMs: Date.parse(e.time) })),
    tracks,
    staleMs: r.staleSeconds * 1000,
    base: r.base,
  });
}
