import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import type { TakClient } from './fixtures/cot/tak-client.ts';
import { bearer } from './fixtures/owntracks/support.ts';
import { useCotServer } from './support/cot.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

/** A lost phone: revoking its member (or rotating its device id) cuts an open TAK connection at once. */
describe.each(engines)('CoT connections after a revoke on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let n = 0;
  const { logger } = recordingLogger();

  const cot = useCotServer(h, { logger });

  const team = async () => {
    const name = `Revoke ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const m = await h.addMember(name, `TAK${n}`, { device: `ANDROID-revoke-${engine.name}-${n}` });
    return { lead, m };
  };
  const connectAs = async (uid: string) => {
    const c = await cot.connect();
    c.send(retime(withUid(ATAK_SA_GEMINI, uid), new Date(Date.now() - 5_000)));
    await c.sync();
    return c;
  };
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').select('id').where('device_id', '=', device).execute();
  const closedWithin = (c: TakClient, ms: number) =>
    Promise.race([c.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

  const cases: Array<[string, (lead: AddedMember, m: AddedMember) => Promise<number>]> = [
    [
      'revoking the member',
      async (lead, m) =>
        (
          await h.app.inject({
            method: 'POST',
            url: `/api/members/${m.memberId}/revoke`,
            headers: bearer(lead),
          })
        ).statusCode,
    ],
    [
      'rotating its device id',
      async (lead, m) =>
        (
          await h.app.inject({
            method: 'POST',
            url: `/api/members/${m.memberId}/devices/${m.device}/rotate`,
            headers: bearer(lead),
          })
        ).statusCode,
    ],
  ];

  it.each(cases)('closes the bound connection on %s, and the old uid binds no more', async (_what, cut) => {
    const { lead, m } = await team();
    const c = await connectAs(m.device);
    expect(await rowsOf(m.device)).toHaveLength(1);
    expect([200, 204]).toContain(await cut(lead, m));
    expect(await closedWithin(c, 5_000)).toBe(true);
    // The lost phone reconnects with the old uid: nothing is stored for the member.
    await connectAs(m.device);
    expect(await rowsOf(m.device)).toHaveLength(1);
  });

  it("leaves other members' connections open", async () => {
    const { lead, m } = await team();
    const other = await h.addMember(`Revoke ${n}`, `OTHER${n}`, {
      device: `ANDROID-other-${engine.name}-${n}`,
    });
    const mine = await connectAs(m.device);
    const theirs = await connectAs(other.device);
    await h.app.inject({ method: 'POST', url: `/api/members/${m.memberId}/revoke`, headers: bearer(lead) });
    expect(await closedWithin(mine, 5_000)).toBe(true);
    expect(await closedWithin(theirs, 300)).toBe(false);
  });
});
