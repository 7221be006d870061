import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../contract/live.ts';
import type { Position } from '../../contract/positions.ts';
import { LiveBus } from './live-bus.ts';
import { newestFrame, newestOnly, PositionTicks } from './position-ticks.ts';

const pos = (memberId: string, s: number): Position => ({
  memberId,
  time: new Date(Date.UTC(2026, 11, 4, 10, 0, s)).toISOString(),
  lat: 51,
  lon: -1,
  accuracy: null,
  altitude: null,
  speed: null,
  bearing: null,
  battery: null,
  alarm: null,
  source: 'osmand',
  mode: 'real',
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('position ticks', () => {
  it('sends the positions of one tick as one frame, the same object to every viewer', async () => {
    const bus = new LiveBus();
    const ticks = new PositionTicks(bus, 20);
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    ticks.subscribe('t', (m) => a.push(m));
    ticks.subscribe('t', (m) => b.push(m));
    for (let s = 0; s < 5; s++) bus.publish('t', { type: 'position', position: pos(`m${s % 2}`, s) });
    expect(a).toEqual([]);
    await wait(40);
    expect(a).toHaveLength(1);
    expect(a[0]?.type === 'positions' && a[0].positions.map((p) => p.time.slice(17, 19))).toEqual([
      '00',
      '01',
      '02',
      '03',
      '04',
    ]);
    expect(Object.is(a[0], b[0])).toBe(true);
  });

  it('never lets an event overtake the positions that came before it', async () => {
    const bus = new LiveBus();
    const ticks = new PositionTicks(bus, 1000);
    const got: string[] = [];
    ticks.subscribe('t', (m) => got.push(m.type));
    bus.publish('t', { type: 'position', position: pos('m', 1) });
    bus.publish('t', { type: 'heartbeat', time: 'x' });
    bus.publish('t', { type: 'position', position: pos('m', 2) });
    expect(got).toEqual(['positions', 'heartbeat']);
  });

  it('leaves the bus when its last viewer goes, and keeps teams apart', async () => {
    const bus = new LiveBus();
    const ticks = new PositionTicks(bus, 10);
    const a: LiveMessage[] = [];
    const off = ticks.subscribe('a', (m) => a.push(m));
    bus.publish('b', { type: 'position', position: pos('x', 1) });
    off();
    bus.publish('a', { type: 'position', position: pos('y', 1) });
    await wait(30);
    expect(a).toEqual([]);
  });

  it('makes the newest-only frame once, the same object for every viewer and TAK client', () => {
    const frame = { type: 'positions' as const, positions: [pos('a', 1), pos('b', 2), pos('a', 3)] };
    const once = newestFrame(frame);
    expect(newestFrame(frame)).toBe(once);
    expect(once.positions.map((p) => p.time.slice(17, 19))).toEqual(['03', '02']);
  });

  it('keeps only the newest position of each member for a viewer that cannot keep up', () => {
    const kept = newestOnly([pos('a', 1), pos('b', 2), pos('a', 3)]);
    expect(kept.map((p) => [p.memberId, p.time.slice(17, 19)])).toEqual([
      ['a', '03'],
      ['b', '02'],
    ]);
  });
});
