// The five-person drill of the issue that asked for alert triage, replayed second by second through the
// rules: a controller at the console without a device, a runner and an opposing force meant to be apart,
// two trackers whose distance wavers at the 300 m limit, then "this is not practice anymore".
import { describe, expect, it } from 'vitest';
import { type ConditionAlertRef, decideConditionAlerts } from './condition-debounce.ts';
import { type ConditionType, evaluateConditions } from './conditions.ts';
import { destination } from './geo.ts';
import type { TimedPoint } from './man-down.ts';
import { itemHeadline, pendingFor, type TriageAlert } from './triage.ts';
import type { AlertState, AlertType, Mode } from './vocabulary.ts';

const BASE = { lat: 51.0543, lon: -1.3188 };
const T0 = Date.UTC(2026, 10, 25, 16, 0, 0);
const CALLSIGNS: Record<string, string> = {
  lead: 'LEAD',
  runner: 'RUNNER',
  opfor: 'OPFOR',
  alfa: 'ALFA',
  bravo: 'BRAVO',
};
const ROLES = new Map([
  ['lead', 'controller'],
  ['runner', 'runner'],
  ['opfor', 'opposing_force'],
  ['alfa', 'tracker'],
  ['bravo', 'tracker'],
]);
/** BRAVO's distance from ALFA, reading after reading (every 5 s): GPS jitter at the 300 m limit. */
const JITTER_M = [301, 308, 296, 301, 308, 297, 303, 306, 299];

/** An alert as the test keeps it: its state changes as the drill goes on. */
interface Raised extends Omit<TriageAlert, 'state'> {
  state: AlertState;
}

function drill(seconds: number, escalateAtS: number | null, jitterM: readonly number[] = JITTER_M) {
  const latest = new Map<string, TimedPoint>();
  const alerts: Raised[] = [];
  let since = new Map<string, number>();
  let id = 0;
  const raise = (type: AlertType, mode: Mode, tS: number, over: Partial<Raised>) =>
    alerts.push({
      id: `a${++id}`,
      type,
      mode,
      state: 'active',
      timeMs: T0 + tS * 1000,
      ackedBy: [],
      senderId: null,
      sender: 'HOWL',
      subjectId: null,
      subject: null,
      count: null,
      ...over,
    });
  for (let s = 0; s <= seconds; s++) {
    const nowMs = T0 + s * 1000;
    const real = escalateAtS !== null && s >= escalateAtS;
    if (s === escalateAtS) {
      // The exercise's condition alerts end with it; the escalation goes out.
      for (const a of alerts) if (a.state === 'active') a.state = 'resolved';
      since = new Map();
      raise('escalation', 'real', s, { senderId: 'alfa', sender: 'ALFA' });
    }
    if (s % 5 === 0) {
      const at = (bearing: number, m: number) => ({ ...destination(BASE, bearing, m), timeMs: nowMs });
      latest.set('runner', at(0, 1200 + s)); // walking away, as runners do
      latest.set('opfor', at(90, 800));
      latest.set('alfa', at(0, 0));
      latest.set('bravo', at(180, jitterM[(s / 5) % jitterM.length] ?? 300));
      // LEAD sits at the console: no device, no position, ever.
    }
    const states = evaluateConditions({
      nowMs,
      watched: ['lead', 'runner', 'opfor', 'alfa', 'bravo'],
      latest,
      recent: null,
      watchSinceMs: T0,
      staleS: 120,
      separationM: 300,
      area: null,
      manDownMinutes: null,
      drillRoles: real ? new Map() : ROLES,
      arrived: null,
    });
    const mode: Mode = real ? 'real' : 'exercise';
    const refs: ConditionAlertRef[] = alerts.flatMap((a) =>
      a.subjectId && a.state !== 'resolved' && (a.mode === 'real') === real
        ? [{ id: a.id, type: a.type as ConditionType, subjectId: a.subjectId, state: a.state }]
        : [],
    );
    const d = decideConditionAlerts(states, refs, since, nowMs);
    since = d.beyondSince;
    for (const r of d.raise) {
      raise(r.type, mode, s, {
        subjectId: r.finding.memberId,
        subject: CALLSIGNS[r.finding.memberId] ?? '?',
      });
    }
    for (const rid of d.resolve) {
      const a = alerts.find((x) => x.id === rid);
      if (a) a.state = 'resolved';
    }
  }
  return alerts;
}

describe('the five-person drill', () => {
  it('raises nothing in three minutes of drill: runner alone, controller without a device, trackers at 301/308 m', () => {
    expect(drill(180, null)).toEqual([]);
  });

  it('raises one alert for trackers beyond the limit for 20 s, kept through 296 m, resolved only inside 250 m', () => {
    const readings = [301, 308, 305, 302, 307, 296, 299, 301, 280, 260, 255];
    const alerts = drill(readings.length * 5 - 1, null, [...readings, ...Array(30).fill(240)]);
    expect(alerts.map((a) => `${a.subject} ${a.state} +${(a.timeMs - T0) / 1000}s`)).toEqual([
      'ALFA active +20s',
      'BRAVO active +20s',
    ]);
    const later = drill(readings.length * 5 + 5, null, [...readings, ...Array(30).fill(240)]);
    expect(later.map((a) => `${a.subject} ${a.state}`)).toEqual(['ALFA resolved', 'BRAVO resolved']);
  });

  it('puts the escalation first and alone on every phone, the separations grouped behind for the leader', () => {
    const alerts = drill(240, 180);
    expect(alerts.map((a) => `${a.type} ${a.subject ?? a.sender} +${(a.timeMs - T0) / 1000}s`)).toEqual([
      'escalation ALFA +180s',
      'separation RUNNER +200s',
      'separation OPFOR +200s',
    ]);
    const phone = (memberId: string, role: 'leader' | 'member' = 'member') =>
      pendingFor(alerts, { memberId, role }).map(itemHeadline);
    expect(phone('lead', 'leader')).toEqual([
      'REAL WORLD declared by ALFA',
      '2 members separated from the team',
    ]);
    expect(phone('bravo')).toEqual(['REAL WORLD declared by ALFA']);
    expect(phone('alfa')).toEqual([]); // she declared it
    expect(phone('runner')).toEqual(['REAL WORLD declared by ALFA', 'RUNNER is separated from the team']);
  });
});
