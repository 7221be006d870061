import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../contract/live.ts';
import { frameOf } from './frames.ts';

describe('live frames', () => {
  it('serializes a message once for all its viewers, the same text as JSON.stringify', () => {
    const m: LiveMessage = { type: 'heartbeat', time: '2026-12-04T10:00:00.000Z' };
    const first = frameOf(m);
    expect(first).toBe(JSON.stringify(m));
    // The same string object: no second serialization for the next viewer.
    expect(Object.is(frameOf(m), first)).toBe(true);
    const other: LiveMessage = { type: 'heartbeat', time: '2026-12-04T10:00:10.000Z' };
    expect(frameOf(other)).not.toBe(first);
  });
});
