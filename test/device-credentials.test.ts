import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember, Member } from '../src/contract/members.ts';
import { buildOsmAndServer } from '../src/gateways/osmand/server.ts';
import { bearer } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/**
 * A device id is the only credential of the OsmAnd and CoT protocols: a teammate who learns the leader's can
 * raise an SOS as the leader. Device ids are shown only to leaders and their owner, a leader can rotate one,
 * and revoking a member replaces all of theirs.
 */
describe.each(engines)('device ids as credentials on $name', (engine) => {
  const { h } = useHarness(engine);
  let osmand: FastifyInstance;
  let base: string;
  let n = 0;

  beforeAll(async () => {
    osmand = await buildOsmAndServer(h.services.positions, { logger: false });
    base = await osmand.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await osmand?.close();
  });

  const team = async () => {
    const name = `Creds ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader', device: `lead-dev-${n}` });
    const m = await h.addMember(name, `MEM${n}`, { device: `mem-dev-${n}` });
    return { lead, m };
  };
  const members = async (who: AddedMember): Promise<Member[]> => {
    const res = await h.app.inject({ method: 'GET', url: '/api/members', headers: bearer(who) });
    expect(res.statusCode).toBe(200);
    return res.json().members;
  };
  const devicesOf = (list: Member[], id: string) => list.find((x) => x.id === id)?.devices;
  const report = (device: string, extra: Record<string, string> = {}) =>
    fetch(
      `${base}/?${new URLSearchParams({ id: device, lat: '46.1', lon: '7.1', timestamp: String(Math.floor(Date.now() / 1000) - 10), ...extra })}`,
    );
  const positionsOf = async (who: AddedMember, memberId: string) =>
    (await h.services.positions.latestList({ kind: 'admin' }, who.teamId)).filter(
      (p) => p.memberId === memberId,
    );

  it("hides a teammate's device ids from a plain member, and shows a member their own", async () => {
    const { lead, m } = await team();
    const seenByMember = await members(m);
    expect(devicesOf(seenByMember, lead.memberId)).toEqual([]);
    expect(devicesOf(seenByMember, m.memberId)).toEqual([m.device]);
    const seenByLeader = await members(lead);
    expect(devicesOf(seenByLeader, m.memberId)).toEqual([m.device]);
    expect(devicesOf(seenByLeader, lead.memberId)).toEqual([lead.device]);
  });

  it('sends no device id in the member.added event every member receives', async () => {
    const { lead } = await team();
    const [_snapshotless, ...rest] = await h.services.live.catchUp({ kind: 'admin' }, lead.teamId, 0);
    const added = [_snapshotless, ...rest].flatMap((msg) =>
      msg?.type === 'event' && msg.event.type === 'member.added' ? [msg.event.member] : [],
    );
    expect(added.length).toBeGreaterThanOrEqual(2);
    for (const member of added) expect(member.devices).toEqual([]);
  });

  it('rotates a device id: the old one is refused at once, the new one reports', async () => {
    const { lead, m } = await team();
    expect((await report(m.device)).status).toBe(200);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/members/${m.memberId}/devices/${m.device}/rotate`,
      headers: bearer(lead),
    });
    expect(res.statusCode).toBe(200);
    const { device } = res.json();
    expect(device).toMatch(/^hd-/);
    expect(device).not.toBe(m.device);
    const stored = (await positionsOf(lead, m.memberId)).length;
    const old = await report(m.device, { alarm: 'sos' });
    expect(old.status).toBeGreaterThanOrEqual(400);
    expect(await h.services.alerts.activeAlerts(lead.teamId)).toEqual([]);
    expect((await report(device)).status).toBe(200);
    expect((await positionsOf(lead, m.memberId)).length).toBe(stored);
    expect(devicesOf(await members(lead), m.memberId)).toEqual([device]);
  });

  it('refuses rotation to a plain member, for an unknown device, and for a malformed id', async () => {
    const { lead, m } = await team();
    const rotate = (who: AddedMember, memberId: string, deviceId: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/members/${memberId}/devices/${encodeURIComponent(deviceId)}/rotate`,
        headers: bearer(who),
      });
    expect((await rotate(m, lead.memberId, lead.device)).statusCode).toBe(403);
    expect((await rotate(m, m.memberId, m.device)).statusCode).toBe(403);
    const unknown = await rotate(lead, m.memberId, 'not-their-device');
    expect(unknown.statusCode).toBe(404);
    expect((await rotate(lead, m.memberId, lead.device)).statusCode).toBe(404);
    const bad = await rotate(lead, m.memberId, 'x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/deviceId/);
    // Nothing changed.
    expect(devicesOf(await members(lead), m.memberId)).toEqual([m.device]);
    expect((await report(m.device)).status).toBe(200);
  });

  it('revoking a member refuses their old device ids and tokens, and a fresh connection works', async () => {
    const { lead, m } = await team();
    expect((await report(m.device)).status).toBe(200);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/members/${m.memberId}/revoke`,
      headers: bearer(lead),
    });
    expect(res.statusCode).toBe(204);
    expect((await report(m.device)).status).toBeGreaterThanOrEqual(400);
    expect((await h.app.inject({ method: 'GET', url: '/api/members', headers: bearer(m) })).statusCode).toBe(
      401,
    );
    const [fresh] = devicesOf(await members(lead), m.memberId) ?? [];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(m.device);
    expect((await report(fresh as string)).status).toBe(200);
    const conn = await h.app.inject({
      method: 'POST',
      url: `/api/members/${m.memberId}/connection`,
      headers: bearer(lead),
    });
    expect(conn.statusCode).toBe(200);
    expect(conn.json().device).toBe(fresh);
  });
  it("editing a member's devices: a dropped id is refused at once, an added one reports, a taken one is refused", async () => {
    const { lead, m } = await team();
    const patch = (devices: unknown) =>
      h.app.inject({
        method: 'PATCH',
        url: `/api/members/${m.memberId}`,
        headers: bearer(lead),
        payload: { devices },
      });
    expect((await report(m.device)).status).toBe(200);
    const res = await patch([`new-dev-${n}`]);
    expect(res.statusCode).toBe(200);
    expect(res.json().devices).toEqual([`new-dev-${n}`]);
    expect((await report(m.device, { alarm: 'sos' })).status).toBeGreaterThanOrEqual(400);
    expect(await h.services.alerts.activeAlerts(lead.teamId)).toEqual([]);
    expect((await report(`new-dev-${n}`)).status).toBe(200);
    // Another member's id is a credential of theirs: refused, nothing changes.
    const taken = await patch([`new-dev-${n}`, lead.device]);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details.field).toBe('devices');
    expect(devicesOf(await members(lead), m.memberId)).toEqual([`new-dev-${n}`]);
    const bad = await patch(['x']);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/devices/);
    // The event every member receives carries no device id.
    const events = await h.services.live.catchUp({ kind: 'admin' }, lead.teamId, 0);
    const updated = events.flatMap((msg) =>
      msg?.type === 'event' && msg.event.type === 'member.updated' ? [msg.event.member] : [],
    );
    expect(updated.length).toBeGreaterThan(0);
    for (const member of updated) expect(member.devices).toEqual([]);
  });
  it('answers many reports of one device arriving at once with its owner, and the old id not after a rotation', async () => {
    const { lead, m } = await team();
    h.services.devices.clear();
    const owners = await Promise.all(Array.from({ length: 50 }, () => h.services.devices.owner(m.device)));
    expect(new Set(owners.map((o) => o?.memberId))).toEqual(new Set([m.memberId]));
    const lookups = Promise.all(Array.from({ length: 10 }, () => h.services.devices.owner(m.device)));
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/members/${m.memberId}/devices/${m.device}/rotate`,
      headers: bearer(lead),
    });
    expect(res.statusCode).toBe(200);
    await lookups;
    expect(await h.services.devices.owner(m.device)).toBeUndefined();
    expect((await h.services.devices.owner(res.json().device))?.memberId).toBe(m.memberId);
  });
});
