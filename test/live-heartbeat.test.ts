import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';
import { type LiveClient, openLive } from './support/ws-client.ts';

/** The live feed's heartbeat: what lets a page notice a link that died without closing. */
describe.each(engines)('live feed heartbeat on $name', (engine) => {
  const { h } = useHarness(engine, { liveHeartbeatMs: 150 });
  let ws: string;
  let scout: AddedMember;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    ws = (await h.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
    scout = await h.addMember('Heartbeat', 'SCOUT');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('sends a heartbeat after the snapshot, again and again, carrying nothing of the team', async () => {
    const c = openLive(`${ws}/api/live?token=${encodeURIComponent(scout.token)}`);
    clients.push(c);
    await c.waitFor((m) => m.type === 'snapshot');
    await c.waitFor(() => c.messages.filter((m) => m.type === 'heartbeat').length >= 3, 3000);
    const first = c.messages.findIndex((m) => m.type === 'heartbeat');
    expect(c.messages.findIndex((m) => m.type === 'snapshot')).toBeLessThan(first);
    for (const m of c.messages.filter((x) => x.type === 'heartbeat')) {
      expect(Object.keys(m).sort()).toEqual(['time', 'type']);
      expect(Date.parse((m as { time: string }).time)).toBeGreaterThan(Date.now() - 10_000);
    }
  });
});
