import { beforeAll, describe, expect, it } from 'vitest';
import { HowlError } from '../src/contract/errors.ts';
import { PositionBatcher } from '../src/store/position-batcher.ts';
import { countPositions } from '../src/store/positions.repo.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/** The position writer's queue is bounded: when the database falls behind, senders are told to retry. */
describe.each(engines)('position backpressure on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let memberId = '';
  let teamId = '';
  beforeAll(async () => {
    const m = await h.addMember('Backpressure', 'SCOUT');
    memberId = m.memberId;
    teamId = m.teamId;
  });

  it('refuses what is past the bound with a 503 that says when to retry, and stores every one it accepted', async () => {
    const batcher = new PositionBatcher(d.db, 2000, 5);
    const before = await countPositions(d.db);
    const t = Date.parse('2026-12-04T10:00:00Z');
    // All in one tick: the first batch has not started yet, so the queue fills.
    const writes = Array.from({ length: 12 }, (_, i) =>
      batcher
        .write({
          team_id: teamId,
          member_id: memberId,
          device_id: 'field',
          time: new Date(t + i * 1000),
          received_at: new Date(t + i * 1000),
          lat: 51.05,
          lon: -1.31,
          accuracy: null,
          altitude: null,
          speed: null,
          bearing: null,
          battery: null,
          alarm: null,
          source: 'field',
          mode: 'real',
        })
        .then(
          () => 'stored',
          (e: unknown) => e,
        ),
    );
    const results = await Promise.all(writes);
    const refused = results.filter((r) => r !== 'stored') as HowlError[];
    expect(results.filter((r) => r === 'stored')).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const e of refused) {
      expect(e).toBeInstanceOf(HowlError);
      expect(e.status).toBe(503);
      expect(e.details).toEqual({ retryAfterS: 2 });
    }
    expect(await countPositions(d.db)).toBe(before + 5);
    expect(batcher.stats.refused).toBe(7);
    // Once it has caught up, it takes positions again.
    await batcher.close();
  });
});
