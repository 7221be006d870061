import { describe, expect, it } from 'vitest';
import { destination } from './geo.ts';
import { operationStats, type StatsAlert, type StatsEvent, type StatsRollCall } from './operation-stats.ts';
import type { MemberTrack } from './replay-tracks.ts';

const T0 = Date.parse('2026-11-20T18:00:00Z');
const BASE = { lat: 51.05, lon: -1.31 };
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const members = [
  { id: 'a', callsign: 'SCOTT' },
  { id: 'b', callsign: 'STILES' },
  { id: 'c', callsign: 'LYDIA' },
];

/** A member walking away from the base at `mps`, a fix every 10 s from `fromS` to `toS`, with a gap. */
function walk(
  memberId: string,
  mps: number,
  fromS: number,
  toS: number,
  gap?: [number, number],
): MemberTrack {
  const t: number[] = [];
  const lat: number[] = [];
  const lon: number[] = [];
  for (let s = fromS; s <= toS; s += 10) {
    if (gap && s > gap[0] && s < gap[1]) continue;
    const p = destination(BASE, 90, s * mps);
    t.push(T0 + s * 1000);
    lat.push(p.lat);
    lon.push(p.lon);
  }
  return { memberId, t, lat, lon };
}

const escalation = (acks: Array<[string, number]>, state: StatsAlert['state'] = 'active'): StatsAlert => ({
  id: 'esc',
  type: 'escalation',
  mode: 'real',
  state,
  subjectId: null,
  time: iso(600),
  acknowledgements: acks.map(([memberId, s]) => ({ memberId, time: iso(s) })),
});
const rollCall = (answers: string[]): StatsRollCall => ({
  id: 'rc',
  deadlineAt: iso(900),
  memberIds: ['a', 'b', 'c'],
  answers: answers.map((memberId) => ({ memberId, status: 'ok' })),
});
const at = (s: number, e: Omit<StatsEvent, 'timeMs'>): StatsEvent => ({ timeMs: T0 + s * 1000, ...e });

// A 20-minute exercise that turns real at 10 min; SCOTT acknowledges after 15 s, STILES after 45 s, LYDIA
// never; the roll call is answered at 11, 12 and 14 min; STILES was separated for 2 minutes.
const events: StatsEvent[] = [
  at(600, { mode: 'real', alert: escalation([]) }),
  at(600, { mode: 'real', rollCall: rollCall([]) }),
  at(615, { mode: 'real', alert: escalation([['a', 615]]) }),
  at(645, {
    mode: 'real',
    alert: escalation([
      ['a', 615],
      ['b', 645],
    ]),
  }),
  at(660, { mode: 'real', rollCall: rollCall(['a']) }),
  at(700, {
    mode: 'real',
    alert: {
      id: 'sep',
      type: 'separation',
      mode: 'real',
      state: 'active',
      subjectId: 'b',
      time: iso(700),
      acknowledgements: [],
    },
  }),
  at(720, { mode: 'real', rollCall: rollCall(['a', 'b']) }),
  at(820, {
    mode: 'real',
    alert: {
      id: 'sep',
      type: 'separation',
      mode: 'real',
      state: 'resolved',
      subjectId: 'b',
      time: iso(700),
      acknowledgements: [],
    },
  }),
  at(840, { mode: 'real', rollCall: rollCall(['a', 'b', 'c']) }),
];

describe('operation statistics', () => {
  const stats = operationStats({
    fromMs: T0,
    toMs: T0 + 1200_000,
    members,
    events,
    tracks: [walk('a', 1, 0, 1200), walk('b', 2, 0, 1200, [300, 600]), walk('c', 0.5, 0, 1200)],
    staleMs: 120_000,
    base: BASE,
  });

  it('times the operation and the switch to real', () => {
    expect(stats.durationMs).toBe(1200_000);
    expect(stats.realAtMs).toBe(T0 + 600_000);
    expect(stats.allAccountedAfterMs).toBe(240_000);
  });

  it("gives each member's acknowledgement and accountability after the switch", () => {
    const by = Object.fromEntries(stats.members.map((m) => [m.callsign, m]));
    expect(by.SCOTT?.ackAfterMs).toBe(15_000);
    expect(by.STILES?.ackAfterMs).toBe(45_000);
    expect(by.LYDIA?.ackAfterMs).toBeNull();
    expect(by.SCOTT?.accountedAfterMs).toBe(60_000);
    expect(by.LYDIA?.accountedAfterMs).toBe(240_000);
    expect(by.LYDIA?.unaccountedMs).toBe(240_000);
    expect(by.STILES?.separatedMs).toBe(120_000);
    expect(by.SCOTT?.separatedMs).toBe(0);
  });

  it('measures distance walked and time stale from the tracks', () => {
    const by = Object.fromEntries(stats.members.map((m) => [m.callsign, m]));
    expect(by.SCOTT?.distanceM).toBeCloseTo(1200, -1);
    expect(by.LYDIA?.distanceM).toBeCloseTo(600, -1);
    // STILES's gap from 300 s to 600 s is 300 s; the first 120 s of it count as fresh.
    expect(by.STILES?.staleMs).toBe(180_000);
    expect(by.SCOTT?.staleMs).toBe(0);
  });

  it('summarises every alert with its first and median acknowledgement', () => {
    const esc = stats.alerts.find((a) => a.id === 'esc');
    expect(esc).toMatchObject({
      type: 'escalation',
      mode: 'real',
      acknowledged: 2,
      firstAckMs: 15_000,
      medianAckMs: 30_000,
    });
    expect(stats.alerts.find((a) => a.id === 'sep')?.acknowledged).toBe(0);
  });

  it('gives the series the plots draw', () => {
    expect(stats.accounted).toEqual({
      timesMs: [600, 660, 720, 840].map((s) => T0 + s * 1000),
      values: [0, 1, 2, 3],
      total: 3,
    });
    expect(stats.toBase.metres).toHaveLength(3);
    const last = stats.toBase.metres[0]?.at(-1);
    expect(last).toBeGreaterThan(1150);
    // STILES is stale in the middle of the gap: no distance plotted there.
    const mid = stats.toBase.timesMs.findIndex((t) => t >= T0 + 500_000);
    expect(stats.toBase.metres[1]?.[mid]).toBeNull();
  });

  it('says an exercise that stayed an exercise never turned real, and copes with no positions at all', () => {
    const quiet = operationStats({
      fromMs: T0,
      toMs: T0 + 60_000,
      members,
      events: [],
      tracks: [],
      staleMs: 1,
      base: null,
    });
    expect(quiet.realAtMs).toBeNull();
    expect(quiet.allAccountedAfterMs).toBeNull();
    expect(quiet.members.every((m) => m.distanceM === 0 && m.fixes === 0)).toBe(true);
    expect(quiet.toBase).toEqual({ timesMs: [], metres: [] });
  });
});
