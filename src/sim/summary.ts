import type { AlertType } from '../contract/alerts.ts';
import type { Mode } from '../contract/common.ts';
import type { Casualty, RollCall, Triage } from '../contract/incidents.ts';
import type { OperationKind } from '../contract/operations.ts';
import { accountability } from '../domain/roll-call.ts';
import type { FieldApi } from './clients/field-api.ts';
import { LiveFeed } from './clients/live-feed.ts';

/** What the demo prints with `--json`: the played story as the API tells it afterwards. */
export interface DemoSummary {
  operations: Array<{
    name: string;
    kind: OperationKind;
    mode: Mode;
    startedAt: string | null;
    endedAt: string | null;
    /** The name of the exercise an incident interrupted. */
    escalatedFrom?: string;
  }>;
  alerts: Array<{
    type: AlertType;
    mode: Mode;
    from: string;
    acknowledgedBy: string[];
    /** Seconds from the alert to each member's acknowledgement, by the server's clock. */
    ackSeconds: Record<string, number>;
  }>;
  rollCalls: Array<{ accounted: number; total: number; unaccounted: string[] }>;
  casualties: Array<{ callsign: string; triage: Triage; recovered: boolean }>;
  contacts: Array<{ count: number; withdrawn: number }>;
  /** Tracking drills and each tracker's scores, as Howl computed them from the live positions. */
  drills: Array<{
    name: string;
    state: string;
    light: string | null;
    runner: string | null;
    trackers: Array<{
      callsign: string;
      /** Share (0..1) of the runner's trail within tolerance of the tracker's path; null: not scored. */
      shareFollowed: number | null;
      meanDeviationM: number | null;
      trackerDistanceM: number | null;
      problem: string | null;
    }>;
  }>;
}

const ms = (iso: string) => new Date(iso).getTime();
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const byTime =
  <T>(time: (x: T) => string) =>
  (a: T, b: T) =>
    ms(time(a)) - ms(time(b));

/**
 * Reads the team's story back from the API, oldest first: operations, alerts and contacts over REST,
 * roll calls and casualties from the event log (the live feed's replay from the first event).
 */
export async function buildSummary(api: FieldApi): Promise<DemoSummary> {
  const [ops, alerts, contacts, members, log, drills] = await Promise.all([
    api.operations(),
    api.alerts(),
    api.contacts(),
    api.members(),
    replayLog(api),
    api.drills().then((list) => Promise.all(list.map((d) => api.drill(d.id)))),
  ]);
  const callsigns = new Map(members.map((m) => [m.id, m.callsign]));
  const callsign = (id: string) => callsigns.get(id) ?? id;
  const opName = new Map(ops.operations.map((o) => [o.id, o.name]));
  const nowMs = Date.now();
  return {
    operations: [...ops.operations].sort(byTime((o) => o.createdAt)).map((o) => ({
      name: o.name,
      kind: o.kind,
      mode: o.mode,
      startedAt: o.startedAt,
      endedAt: o.endedAt,
      ...(o.escalatedFrom && { escalatedFrom: opName.get(o.escalatedFrom) ?? o.escalatedFrom }),
    })),
    alerts: [...alerts].sort(byTime((a) => a.time)).map((a) => ({
      type: a.type,
      mode: a.mode,
      from: a.sender,
      acknowledgedBy: a.acknowledgements.map((k) => k.callsign),
      ackSeconds: Object.fromEntries(
        a.acknowledgements.map((k) => [k.callsign, Math.round((ms(k.time) - ms(a.time)) / 100) / 10]),
      ),
    })),
    rollCalls: log.rollCalls.map((rc) => {
      const acc = accountability({ ...rc, deadlineMs: ms(rc.deadlineAt) }, nowMs);
      return {
        accounted: acc.accounted.length,
        total: acc.total,
        unaccounted: [...acc.unaccounted, ...acc.pending].map(callsign),
      };
    }),
    casualties: log.casualties.map((c) => ({
      callsign: c.memberId ? callsign(c.memberId) : (c.subjectName ?? 'subject'),
      triage: c.triage,
      recovered: c.recoveredAt !== null,
    })),
    contacts: [...contacts]
      .sort(byTime((c) => c.time))
      .map((c) => ({ count: c.count, withdrawn: c.withdrawn })),
    drills: [...drills].sort(byTime((d) => d.operation.createdAt)).map((d) => ({
      name: d.operation.name,
      state: d.operation.state,
      light: d.light,
      runner: d.runnerId ? callsign(d.runnerId) : null,
      trackers: d.results.map((r) => ({
        callsign: callsign(r.trackerId),
        shareFollowed: r.score ? round(r.score.shareFollowed, 3) : null,
        meanDeviationM: r.score ? round(r.score.deviationMeanM, 1) : null,
        trackerDistanceM: r.score ? Math.round(r.score.trackerDistanceM) : null,
        problem: r.problem,
      })),
    })),
  };
}

/** The latest state of every roll call and casualty, from the team's event log. */
async function replayLog(api: FieldApi): Promise<{ rollCalls: RollCall[]; casualties: Casualty[] }> {
  const feed = new LiveFeed(api.baseUrl, api.token, { after: 0 });
  try {
    await feed.waitFor((m) => m.type === 'snapshot', 15_000);
  } finally {
    await feed.close();
  }
  const rollCalls = new Map<string, RollCall>();
  const casualties = new Map<string, Casualty>();
  for (const m of feed.messages) {
    if (m.type !== 'event') continue;
    if (m.event.type === 'rollcall.updated') rollCalls.set(m.event.rollCall.id, m.event.rollCall);
    if (m.event.type === 'casualty.updated') casualties.set(m.event.casualty.id, m.event.casualty);
  }
  return {
    rollCalls: [...rollCalls.values()].sort(byTime((r) => r.startedAt)),
    casualties: [...casualties.values()].sort(byTime((c) => c.createdAt)),
  };
}
