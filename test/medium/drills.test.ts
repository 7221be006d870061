// The drills service called directly, on every engine: a tracking drill planned, run live from the
// members' own reports, found by the tracker's button, and scored at ENDEX.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackPoint } from '../../src/domain/drill-score.ts';
import type { MemberAuth } from '../../src/services/core/auth.ts';
import { FakeClock } from '../support/clock.ts';
import { track } from '../support/drill-tracks.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const ORIGIN = { lat: 45.5, lon: -122.6 };

describe.each(engines)('the drills service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'DEREK' | 'STILES' | 'SCOTT' | 'MALIA'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'DEREK', ['STILES', 'SCOTT', 'MALIA']);
  });

  const plan = (auth: MemberAuth = pack.as.DEREK) =>
    s.services.drills.create(auth, pack.id, {
      name: 'Trail at the Hale House',
      runnerId: pack.m.STILES.memberId,
      trackerIds: [pack.m.SCOTT.memberId],
      findRadiusM: 10,
    });
  /** A fix from the member's own phone (the field page), the clock moving on to its time. */
  const report = (who: 'STILES' | 'SCOTT', p: TrackPoint) => {
    clock.ms = Math.max(clock.ms, p.timeMs);
    return s.services.positions.reportFromMember(pack.as[who], {
      time: new Date(p.timeMs),
      lat: p.lat,
      lon: p.lon,
      source: 'field',
    });
  };

  it('plans a tracking drill for a leader, and logs it', async () => {
    const before = await s.lastSeq(pack.id);
    const drill = await plan();
    expect(drill).toMatchObject({
      operation: { kind: 'exercise', type: 'tracking', state: 'planned', name: 'Trail at the Hale House' },
      runnerId: pack.m.STILES.memberId,
      trackerIds: [pack.m.SCOTT.memberId],
      findRadiusM: 10,
      recorded: false,
      tracks: [],
      finds: [],
    });
    expect(drill.operation.participants).toEqual([
      { memberId: pack.m.STILES.memberId, role: 'runner' },
      { memberId: pack.m.SCOTT.memberId, role: 'tracker' },
    ]);
    const events = await s.events(pack.id, before);
    // Planning is not yet the exercise, but a drill's own news is always exercise traffic.
    expect(events.map(said)).toEqual([
      ['operation.updated', 'created', 'real'],
      ['drill.updated', 'created', 'exercise'],
    ]);
    expect(events[1]).toMatchObject({ drillId: drill.operation.id, by: pack.m.DEREK.memberId });
    expect((await s.services.drills.list(pack.as.SCOTT, pack.id)).drills.map((d) => d.id)).toEqual([
      drill.operation.id,
    ]);
  });

  it('refuses a plain member, a runner who also tracks and a tracker from another team, changing nothing', async () => {
    const other = await s.team('Hunters', 'ARGENT');
    const before = await s.lastSeq(pack.id);
    await expect(plan(pack.as.MALIA)).rejects.toMatchObject({ status: 403 });
    const bad = (trackerIds: string[]) =>
      s.services.drills.create(pack.as.DEREK, pack.id, {
        name: 'Bad',
        runnerId: pack.m.STILES.memberId,
        trackerIds,
      });
    await expect(bad([pack.m.STILES.memberId])).rejects.toMatchObject({
      status: 400,
      details: { field: 'trackerIds' },
    });
    await expect(bad([other.m.ARGENT.memberId])).rejects.toMatchObject({
      status: 400,
      details: { field: 'trackerIds' },
    });
    expect((await s.services.drills.list(pack.as.DEREK, pack.id)).drills).toEqual([]);
    expect(await s.events(pack.id, before)).toEqual([]);
  });

  it('runs live: the tracker presses Found, and ENDEX scores the tracks taken from the positions', async () => {
    const drill = await plan();
    const id = drill.operation.id;
    await expect(s.services.drills.find(pack.as.SCOTT, pack.id, id, {})).rejects.toMatchObject({
      status: 409,
    });
    await s.services.operations.act(pack.as.DEREK, pack.id, id, 'start');
    const before = await s.lastSeq(pack.id);
    // The runner walks 300 m east and hides; the tracker follows 5 m beside, later.
    const t0 = clock.ms + 1000;
    const runner = track(
      ORIGIN,
      [
        [0, 0, 0],
        [300, 0, 300],
      ],
      30,
      t0,
    );
    const tracker = track(
      ORIGIN,
      [
        [0, 5, 400],
        [300, 5, 700],
      ],
      20,
      t0,
    );
    for (const p of runner) expect((await report('STILES', p)).mode).toBe('exercise');
    for (const p of tracker) await report('SCOTT', p);

    // Only a leader (or a K9's handler) may press Found for someone else.
    await expect(
      s.services.drills.find(pack.as.MALIA, pack.id, id, { trackerId: pack.m.SCOTT.memberId }),
    ).rejects.toMatchObject({ status: 403 });
    const found = await s.services.drills.find(pack.as.SCOTT, pack.id, id, {});
    expect(found.finds).toEqual([
      {
        trackerId: pack.m.SCOTT.memberId,
        time: new Date(clock.ms).toISOString(),
        source: 'button',
        recordedBy: pack.m.SCOTT.memberId,
      },
    ]);
    await expect(s.services.drills.find(pack.as.SCOTT, pack.id, id, {})).rejects.toMatchObject({
      status: 409,
    });

    clock.ms += 60_000;
    const ended = await s.services.operations.act(pack.as.DEREK, pack.id, id, 'end');
    expect(ended.state).toBe('ended');
    const scored = await s.services.drills.get(pack.as.SCOTT, pack.id, id);
    expect(scored.tracks.map((t) => [t.memberId, t.role, t.source, t.pointCount])).toEqual([
      [pack.m.STILES.memberId, 'runner', 'live', runner.length],
      [pack.m.SCOTT.memberId, 'tracker', 'live', tracker.length],
    ]);
    const [result, ...more] = scored.results;
    expect(more).toEqual([]);
    expect(result).toMatchObject({ trackerId: pack.m.SCOTT.memberId, problem: null });
    expect(result?.score).toMatchObject({ shareFollowed: 1, findSource: 'given' });
    expect(result?.score?.deviationMeanM).toBeCloseTo(5, 0);
    expect(scored.light).not.toBeNull();

    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([
      ['drill.updated', 'find', 'exercise'],
      ['operation.updated', 'ended', 'exercise'],
      ['drill.updated', 'scored', 'exercise'],
    ]);
  });
});
