// The alerts service called directly, on every engine: an SOS (always real, opening an incident),
// acknowledgements, a cancel, and a contact report inside a running exercise.
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CANCEL_REASON } from '../../src/services/alerts/alerts.service.ts';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const WHERE = { lat: 47.37, lon: 8.54 };

describe.each(engines)('the alerts service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'LEAD' | 'ALFA' | 'BRAVO'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'LEAD', ['ALFA', 'BRAVO']);
  });

  it('raises an SOS as real, opening an incident when none is open, and logs it', async () => {
    const before = await s.lastSeq(pack.id);
    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE, text: 'fell' });
    const incident = await s.services.operations.activeOf(pack.id);
    expect(incident).toMatchObject({ kind: 'incident', state: 'open', mode: 'real' });
    expect(sos).toMatchObject({
      type: 'sos',
      mode: 'real',
      state: 'active',
      operationId: incident?.id,
      senderId: pack.m.ALFA.memberId,
      sender: 'ALFA',
      position: WHERE,
      text: 'fell',
      time: iso(START),
      acknowledgements: [],
    });
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([
      ['operation.updated', 'opened', 'real'],
      ['alert.updated', 'raised', 'real'],
      ['rollcall.updated', null, 'real'],
      ['alert.updated', 'raised', 'real'],
    ]);
    expect(events.at(-1)).toMatchObject({ by: pack.m.ALFA.memberId, alert: { id: sos.id, type: 'sos' } });

    // A second press is the same SOS, and logs nothing more.
    const after = await s.lastSeq(pack.id);
    clock.ms += 5_000;
    expect((await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, {})).id).toBe(sos.id);
    expect(await s.events(pack.id, after)).toEqual([]);
  });

  it('takes each member’s acknowledgement once, and logs it in the alert’s mode', async () => {
    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE });
    const before = await s.lastSeq(pack.id);
    clock.ms += 3_000;
    const acked = await s.services.alerts.acknowledge(pack.as.BRAVO, sos.id);
    expect(acked.acknowledgements).toEqual([
      { memberId: pack.m.BRAVO.memberId, callsign: 'BRAVO', time: iso(START + 3_000) },
    ]);
    clock.ms += 3_000;
    const again = await s.services.alerts.acknowledge(pack.as.BRAVO, sos.id);
    expect(again.acknowledgements).toEqual(acked.acknowledgements);
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([['alert.updated', 'acknowledged', 'real']]);
    expect(events[0]).toMatchObject({ by: pack.m.BRAVO.memberId });
  });

  it('refuses to acknowledge another team’s alert, or with the admin secret, changing nothing', async () => {
    const other = await s.team('Other', 'OTHER');
    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE });
    const before = await s.lastSeq(pack.id);
    await expect(s.services.alerts.acknowledge(other.as.OTHER, sos.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(s.services.alerts.acknowledge({ kind: 'admin' }, sos.id)).rejects.toMatchObject({
      status: 400,
      code: 'not_a_member',
    });
    await expect(s.services.alerts.list(other.as.OTHER, pack.id)).rejects.toMatchObject({ status: 403 });
    expect(await s.events(pack.id, before)).toEqual([]);
  });

  it('cancels an alert for its sender or a leader only, with the reason, logged for everyone', async () => {
    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE });
    const before = await s.lastSeq(pack.id);
    await expect(s.services.alerts.cancel(pack.as.BRAVO, pack.id, sos.id)).rejects.toMatchObject({
      status: 403,
    });
    clock.ms += 10_000;
    const cancelled = await s.services.alerts.cancel(pack.as.ALFA, pack.id, sos.id);
    expect(cancelled).toMatchObject({
      id: sos.id,
      state: 'cancelled',
      cancelledBy: pack.m.ALFA.memberId,
      cancelledAt: iso(START + 10_000),
      cancelReason: DEFAULT_CANCEL_REASON,
    });
    await expect(s.services.alerts.cancel(pack.as.LEAD, pack.id, sos.id)).rejects.toMatchObject({
      status: 409,
    });
    await expect(s.services.alerts.acknowledge(pack.as.BRAVO, sos.id)).rejects.toMatchObject({ status: 409 });
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([['alert.updated', 'cancelled', 'real']]);
    expect(events[0]).toMatchObject({ by: pack.m.ALFA.memberId });
  });

  it('lets a leader cancel a member’s alert with a reason of their own', async () => {
    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE });
    const cancelled = await s.services.alerts.cancel(pack.as.LEAD, pack.id, sos.id, 'pocket dial');
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      cancelledBy: pack.m.LEAD.memberId,
      cancelReason: 'pocket dial',
    });
  });

  it('keeps a contact report inside a running exercise as exercise traffic; an SOS stays real', async () => {
    const exercise = await s.services.operations.createExercise(pack.as.LEAD, pack.id, {
      name: 'Night drill',
    });
    await s.services.operations.act(pack.as.LEAD, pack.id, exercise.id, 'start');
    const before = await s.lastSeq(pack.id);
    const contact = await s.services.contacts.report(pack.as.BRAVO, pack.id, {
      count: 6,
      position: WHERE,
      direction: 'north-east',
    });
    expect(contact).toMatchObject({
      type: 'contact',
      mode: 'exercise',
      operationId: exercise.id,
      count: 6,
      direction: 'north-east',
      sender: 'BRAVO',
    });
    expect((await s.events(pack.id, before)).map(said)).toEqual([
      ['alert.updated', 'raised', 'exercise'],
      ['contact.updated', null, 'exercise'],
    ]);

    const sos = await s.services.alerts.raiseSos(pack.as.ALFA, pack.id, { position: WHERE });
    expect(sos.mode).toBe('real');
    expect(
      (await s.services.alerts.list(pack.as.LEAD, pack.id)).map((a) => [a.type, a.mode, a.state]),
    ).toEqual([
      ['sos', 'real', 'active'],
      ['escalation', 'real', 'active'],
      ['contact', 'exercise', 'active'],
    ]);
  });
});
