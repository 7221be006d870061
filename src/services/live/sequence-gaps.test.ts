import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contract/live.ts';
import { SequenceGaps } from './sequence-gaps.ts';

/** A message event with sequence number `seq`, as the event log stores it. */
const event = (seq: number): LiveEvent =>
  ({ type: 'message.posted', seq, mode: 'exercise', message: { text: `m${seq}` } }) as unknown as LiveEvent;

/** A team's event log, the reads made of it, and what was delivered from it. */
function setup(stored: number[]) {
  const reads: { after: number; upTo: number }[] = [];
  const delivered: number[] = [];
  const gaps = new SequenceGaps({
    missed: async (_team, after, upTo) => {
      reads.push({ after, upTo });
      return stored.filter((s) => s > after && s <= upTo).map(event);
    },
    deliver: (_team, e) => delivered.push(e.seq),
    log: () => undefined,
    graceMs: 5,
  });
  return { gaps, reads, delivered, stored };
}

describe('the sequence gaps of a node', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('delivers what arrives in order once, and reads nothing', async () => {
    const { gaps, reads } = setup([1, 2, 3]);
    close = () => gaps.close();
    expect([1, 2, 3].map((s) => gaps.remote('t', event(s)))).toEqual([true, true, true]);
    expect(gaps.remote('t', event(2))).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect(reads).toEqual([]);
  });

  it('fills a hole that NATS lost from the database, in order, once', async () => {
    const { gaps, reads, delivered } = setup([1, 2, 3, 4, 5, 6]);
    close = () => gaps.close();
    gaps.local('t', event(1));
    expect(gaps.remote('t', event(2))).toBe(true);
    // 3, 4 and 5 were lost: 6 arrives.
    expect(gaps.remote('t', event(6))).toBe(true);
    await expect.poll(() => delivered).toEqual([3, 4, 5]);
    expect(reads).toEqual([{ after: 2, upTo: 6 }]);
    // Late copies over NATS are not delivered again.
    expect(gaps.remote('t', event(4))).toBe(false);
    expect(gaps.remote('t', event(7))).toBe(true);
  });

  it('waits for a message still in flight instead of reading it', async () => {
    const { gaps, reads, delivered } = setup([1, 2, 3]);
    close = () => gaps.close();
    gaps.remote('t', event(1));
    gaps.local('t', event(3));
    // Event 2 comes from another node a moment later, within the grace.
    expect(gaps.remote('t', event(2))).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(reads).toEqual([]);
    expect(delivered).toEqual([]);
  });

  it('gives up on a hole the database does not have, and goes on', async () => {
    const { gaps, reads, delivered } = setup([1, 3]);
    close = () => gaps.close();
    gaps.remote('t', event(1));
    gaps.remote('t', event(3));
    await expect.poll(() => reads.length, { timeout: 2000 }).toBe(5);
    expect(delivered).toEqual([]);
    // Past the hole: the next event is delivered, and nothing more is read.
    expect(gaps.remote('t', event(4))).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(reads).toHaveLength(5);
  });

  it('reads what was published while NATS was away, for every team it has seen', async () => {
    const { gaps, delivered } = setup([1, 2, 3, 4]);
    close = () => gaps.close();
    gaps.remote('t', event(1));
    await gaps.reconnected(async () => 4);
    expect(delivered).toEqual([2, 3, 4]);
    await gaps.reconnected(async () => 4);
    expect(delivered).toEqual([2, 3, 4]);
  });

  it('keeps each team apart', async () => {
    const { gaps } = setup([]);
    close = () => gaps.close();
    expect(gaps.remote('a', event(5))).toBe(true);
    expect(gaps.remote('b', event(5))).toBe(true);
    expect(gaps.remote('a', event(5))).toBe(false);
  });
});
