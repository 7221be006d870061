import { describe, expect, it } from 'vitest';
import { INTERNAL_EVENT_NAMES, InternalEvents } from './internal-events.ts';

const closed = { teamId: 't1', operationIds: ['op1'] };

describe('internal events', () => {
  it('refuses to emit an event nobody handles', async () => {
    await expect(new InternalEvents().emit('incident.closed', closed)).rejects.toThrow(
      'internal event incident.closed has no subscriber',
    );
  });

  it('runs the subscribers in the order they subscribed, and waits for each', async () => {
    const events = new InternalEvents();
    const seen: string[] = [];
    events.on('incident.closed', async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`first ${e.operationIds.join()}`);
    });
    events.on('incident.closed', async () => {
      seen.push('second');
    });
    await events.emit('incident.closed', closed);
    expect(seen).toEqual(['first op1', 'second']);
  });

  it('runs every subscriber when one fails, then reports the failure', async () => {
    const events = new InternalEvents();
    let ran = false;
    events.on('incident.closed', async () => {
      throw new Error('alerts are down');
    });
    events.on('incident.closed', async () => {
      ran = true;
    });
    await expect(events.emit('incident.closed', closed)).rejects.toThrow('alerts are down');
    expect(ran).toBe(true);
  });

  it('names the events that have no subscriber', () => {
    const events = new InternalEvents();
    expect(() => events.assertWired()).toThrow(INTERNAL_EVENT_NAMES.join(', '));
    for (const name of INTERNAL_EVENT_NAMES) events.on(name, async () => undefined);
    expect(() => events.assertWired()).not.toThrow();
  });
});
