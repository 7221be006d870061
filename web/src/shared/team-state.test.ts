import { describe, expect, it } from 'vitest';
import type { DeviceNotice } from '../../../src/contract/device-notices.ts';
import type { LiveMessage } from '../../../src/contract/live.ts';
import type { Member, Team } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import { noticeText } from '../console/DeviceNotices.tsx';
import {
  applyLive,
  emptyTeamState,
  mergeTrail,
  NOTICES_KEPT,
  TRAIL_WINDOW_MS,
  withTrails,
} from './team-state.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const team: Team = {
  id: 't',
  name: 'K9 North',
  base: null,
  staleSeconds: 120,
  separationM: 300,
  alertResendS: 30,
  sosCountdownS: 5,
  rollCallDeadlineS: 180,
  rollCallRepeatS: 900,
  manDownMinutes: null,
  clock: '24h',
  keepPositionsDays: null,
};
const quiet = { operation: null, alerts: [], board: null };
const member = (id: string, callsign: string): Member => ({
  id,
  name: callsign,
  callsign,
  role: 'member',
  devices: [],
  hasPassword: false,
  createdAt: '2026-01-01T00:00:00Z',
});
const fix = (memberId: string, minutesAgo: number, lat = 46.5): Position => ({
  memberId,
  time: new Date(NOW - minutesAgo * 60_000).toISOString(),
  lat,
  lon: 7.9,
  accuracy: 10,
  altitude: null,
  speed: null,
  bearing: null,
  battery: null,
  alarm: null,
  source: 'field',
  mode: 'real',
});

const snapshot = (positions: Position[], seq = 5) =>
  applyLive(
    emptyTeamState,
    {
      type: 'snapshot',
      seq,
      team,
      members: [member('a', 'STILES'), member('b', 'OKAFOR')],
      positions,
      ...quiet,
    },
    NOW,
  );

describe('team state', () => {
  it('places markers from the snapshot', () => {
    const s = snapshot([fix('a', 1)]);
    expect(s.loaded).toBe(true);
    expect(s.latest.a?.time).toBe(fix('a', 1).time);
    expect(s.trails.a).toHaveLength(1);
  });

  it('moves the marker for a newer position and appends it to the trail', () => {
    const s = applyLive(snapshot([fix('a', 5)]), { type: 'position', position: fix('a', 1, 46.6) }, NOW);
    expect(s.latest.a?.lat).toBe(46.6);
    expect(s.trails.a?.map((p) => p.lat)).toEqual([46.5, 46.6]);
  });

  it('puts an older position into the trail in time order without moving the marker', () => {
    const s0 = applyLive(
      snapshot([fix('a', 1, 46.7)]),
      { type: 'position', position: fix('a', 10, 46.1) },
      NOW,
    );
    const s = applyLive(s0, { type: 'position', position: fix('a', 5, 46.3) }, NOW);
    expect(s.latest.a?.lat).toBe(46.7);
    expect(s.trails.a?.map((p) => p.lat)).toEqual([46.1, 46.3, 46.7]);
  });

  it('drops trail points older than the window', () => {
    const trail = mergeTrail([fix('a', 90), fix('a', 30)], [fix('a', 1)], NOW - TRAIL_WINDOW_MS);
    expect(trail.map((p) => p.time)).toEqual([fix('a', 30).time, fix('a', 1).time]);
  });

  it('merges loaded trails and keeps one point per time', () => {
    const s = withTrails(snapshot([fix('a', 1)]), { a: [fix('a', 20), fix('a', 10), fix('a', 1)] }, NOW);
    expect(s.trails.a).toHaveLength(3);
    expect(s.latest.a?.time).toBe(fix('a', 1).time);
  });

  it('forgets a removed member and applies team updates', () => {
    let s = snapshot([fix('a', 1), fix('b', 1)]);
    s = applyLive(
      s,
      { type: 'event', event: { type: 'member.removed', seq: 6, mode: 'real', memberId: 'b' } },
      NOW,
    );
    s = applyLive(
      s,
      {
        type: 'event',
        event: { type: 'team.updated', seq: 7, mode: 'real', team: { ...team, name: 'K9 South' } },
      },
      NOW,
    );
    expect(s.members.map((m) => m.id)).toEqual(['a']);
    expect(s.latest.b).toBeUndefined();
    expect(s.trails.b).toBeUndefined();
    expect(s.team?.name).toBe('K9 South');
  });

  it('replaces latest positions from a new snapshot after a reconnect', () => {
    const before = applyLive(snapshot([fix('a', 5)]), { type: 'position', position: fix('a', 4) }, NOW);
    const after = applyLive(
      before,
      {
        type: 'snapshot',
        seq: 9,
        team,
        members: [member('a', 'STILES')],
        positions: [fix('a', 2, 47)],
        ...quiet,
      },
      NOW,
    );
    expect(after.latest.a?.lat).toBe(47);
    expect(after.trails.a).toHaveLength(3);
  });
});

describe('device notices', () => {
  const lowBattery = (battery: number): DeviceNotice => ({
    kind: 'low_battery',
    memberId: 'a',
    callsign: 'ALFA',
    deviceId: 'alfa-phone',
    source: 'osmand',
    time: '2026-05-01T11:59:00Z',
    alarm: 'lowBattery',
    battery,
    position: null,
  });
  const notice = (seq: number, n: DeviceNotice) =>
    ({ type: 'event', event: { type: 'device.notice', seq, mode: 'exercise', notice: n } }) as const;

  it('keeps the newest first, once each (a replayed event is not doubled), at most NOTICES_KEPT', () => {
    let state = applyLive(emptyTeamState, notice(1, lowBattery(12)), NOW);
    state = applyLive(state, notice(2, lowBattery(8)), NOW);
    state = applyLive(state, notice(2, lowBattery(8)), NOW);
    expect(state.notices.map((n) => n.seq)).toEqual([2, 1]);
    for (let seq = 3; seq < 3 + NOTICES_KEPT; seq++)
      state = applyLive(state, notice(seq, lowBattery(5)), NOW);
    expect(state.notices).toHaveLength(NOTICES_KEPT);
    expect(state.notices[0]?.seq).toBe(2 + NOTICES_KEPT);
  });

  it('says what happened in a few words', () => {
    expect(noticeText(lowBattery(12.4))).toBe('battery low (12 %)');
    const base = { memberId: 'a', callsign: 'ALFA', deviceId: 'd', source: 'owntracks', time: '' } as const;
    expect(
      noticeText({
        ...base,
        kind: 'region',
        event: 'leave',
        region: 'Home',
        position: null,
        operationArea: false,
      }),
    ).toBe('left region “Home”');
    expect(
      noticeText({
        ...base,
        kind: 'region',
        event: 'enter',
        region: 'X',
        position: null,
        operationArea: true,
      }),
    ).toBe('entered the exercise area');
    expect(noticeText({ ...base, kind: 'connection_lost', connectedSince: null })).toBe(
      'app lost its connection to the broker',
    );
  });
});

describe('revisions of the training and search views', () => {
  const event = (e: object) => ({ type: 'event', event: { seq: 1, mode: 'exercise', ...e } }) as LiveMessage;

  it('go up when a drill or the training records change, and on every reconnect', () => {
    let state = applyLive(
      emptyTeamState,
      event({ type: 'drill.updated', drillId: 'd', change: 'scored', by: null }),
      NOW,
    );
    expect(state.revisions).toEqual({ drills: 1, training: 0, search: 0 });
    state = applyLive(state, event({ type: 'training.updated', change: 'attendance', by: null }), NOW);
    expect(state.revisions).toEqual({ drills: 1, training: 1, search: 0 });
    state = applyLive(
      state,
      event({ type: 'search.updated', operationId: 'o', change: 'assignment', by: null }),
      NOW,
    );
    expect(state.revisions).toEqual({ drills: 1, training: 1, search: 1 });
    const snapshot = {
      type: 'snapshot',
      seq: 2,
      team,
      members: [],
      positions: [],
      ...quiet,
    } as unknown as LiveMessage;
    expect(applyLive(state, snapshot, NOW).revisions).toEqual({ drills: 2, training: 2, search: 2 });
  });
});
