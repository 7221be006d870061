// The members service called directly, on every engine: adding members (by a leader, with a
// generated or given device), and revoking a lost phone's tokens and device ids.
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemberAuth } from '../../src/services/core/auth.ts';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');

describe.each(engines)('the members service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'LEAD' | 'ALFA'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'LEAD', ['ALFA']);
  });

  const add = (auth: MemberAuth, body: { callsign: string; device?: string }) =>
    s.services.members.add(
      auth,
      { id: pack.id, name: pack.name },
      { name: `${body.callsign} name`, ...body },
    );

  it('adds a member for a leader, with an unguessable device and a working token, and logs it', async () => {
    const before = await s.lastSeq(pack.id);
    const added = await add(pack.as.LEAD, { callsign: 'BRAVO' });
    expect(added).toMatchObject({
      teamId: pack.id,
      team: 'Pack',
      name: 'BRAVO name',
      callsign: 'BRAVO',
      role: 'member',
      kind: 'person',
      handlerId: null,
    });
    expect(added.device).toMatch(/^[\w-]{16,}$/);
    expect(added.device).not.toBe(pack.m.ALFA.device);
    expect(await s.services.tokens.authenticate(added.token, ['device'])).toMatchObject({
      memberId: added.memberId,
      teamId: pack.id,
      role: 'member',
    });

    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([['member.added', null, 'real']]);
    // The event reaches every member: it carries no device id.
    expect(events[0]).toMatchObject({ member: { id: added.memberId, callsign: 'BRAVO', devices: [] } });
    const listed = await s.services.members.list(pack.as.LEAD, pack.id);
    expect(listed.find((m) => m.id === added.memberId)?.devices).toEqual([added.device]);
    // A plain member sees the newcomer, but not their device id.
    const seen = await s.services.members.list(pack.as.ALFA, pack.id);
    expect(seen.find((m) => m.id === added.memberId)?.devices).toEqual([]);
  });

  it('refuses a plain member, a callsign taken in the team and a device taken anywhere, changing nothing', async () => {
    const other = await s.team('Other', 'OTHER');
    const before = await s.lastSeq(pack.id);
    await expect(add(pack.as.ALFA, { callsign: 'BRAVO' })).rejects.toMatchObject({ status: 403 });
    await expect(add(pack.as.LEAD, { callsign: 'alfa' })).rejects.toMatchObject({
      status: 409,
      details: { field: 'callsign' },
    });
    await expect(
      add(pack.as.LEAD, { callsign: 'BRAVO', device: other.m.OTHER.device }),
    ).rejects.toMatchObject({
      status: 409,
      details: { field: 'device' },
    });
    await expect(add(other.as.OTHER, { callsign: 'BRAVO' })).rejects.toMatchObject({ status: 403 });
    expect((await s.services.members.list(pack.as.LEAD, pack.id)).map((m) => m.callsign).sort()).toEqual([
      'ALFA',
      'LEAD',
    ]);
    expect(await s.events(pack.id, before)).toEqual([]);
  });

  it('revokes a lost phone: its token stops working and its device id is replaced, logged for the team', async () => {
    const before = await s.lastSeq(pack.id);
    const live: string[] = [];
    const stop = s.services.bus.onRevoked((tokenIds) => live.push(...tokenIds));
    await s.services.members.revoke(pack.as.LEAD, pack.id, pack.m.ALFA.memberId);
    stop();
    expect(await s.services.tokens.authenticate(pack.m.ALFA.token, ['device'])).toBeUndefined();
    expect(live).toContain(pack.as.ALFA.tokenId);
    await expect(
      s.services.positions.reportFromDevice({
        deviceId: pack.m.ALFA.device,
        time: new Date(START),
        lat: 47,
        lon: 8,
        source: 'osmand',
      }),
    ).rejects.toMatchObject({ status: 404 });
    const alfa = (await s.services.members.list(pack.as.LEAD, pack.id)).find((m) => m.callsign === 'ALFA');
    expect(alfa?.devices).toHaveLength(1);
    expect(alfa?.devices).not.toContain(pack.m.ALFA.device);

    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([['token.revoked', null, 'real']]);
    expect(events[0]).toMatchObject({ memberId: pack.m.ALFA.memberId });
    // The leader's own token still works.
    expect(await s.services.tokens.authenticate(pack.m.LEAD.token, ['device'])).toBeDefined();
  });

  it('lets only a leader of the team revoke, and only a member of it', async () => {
    const other = await s.team('Other', 'OTHER');
    await expect(
      s.services.members.revoke(pack.as.ALFA, pack.id, pack.m.LEAD.memberId),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      s.services.members.revoke(pack.as.LEAD, pack.id, other.m.OTHER.memberId),
    ).rejects.toMatchObject({ status: 404 });
    expect(await s.services.tokens.authenticate(other.m.OTHER.token, ['device'])).toBeDefined();
    expect(await s.services.tokens.authenticate(pack.m.LEAD.token, ['device'])).toBeDefined();
  });
});
