import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../contract/live.ts';
import { LiveBus } from './live-bus.ts';

const msg = { type: 'alert.reminder', alertId: 'a', memberIds: [] } as unknown as LiveMessage;

describe('the live bus', () => {
  it('delivers to every listener of the team in order even when one of them throws', () => {
    const errors: unknown[] = [];
    const bus = new LiveBus((err) => errors.push(err));
    const got: string[] = [];
    bus.subscribe('t1', () => got.push('first'));
    bus.subscribe('t1', () => {
      throw new Error('a broken viewer');
    });
    bus.subscribe('t1', () => got.push('third'));
    bus.subscribe('t2', () => got.push('other team'));
    bus.publish('t1', msg);
    bus.publish('t1', msg);
    expect(got).toEqual(['first', 'third', 'first', 'third']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['a broken viewer', 'a broken viewer']);
  });

  it('tells every revocation listener even when one throws', () => {
    const errors: unknown[] = [];
    const bus = new LiveBus((err) => errors.push(err));
    const seen: string[][] = [];
    bus.onRevoked(() => {
      throw new Error('gone');
    });
    bus.onRevoked((tokens) => seen.push([...tokens]));
    bus.revoked(['tok']);
    expect(seen).toEqual([['tok']]);
    expect(errors).toHaveLength(1);
  });
});
