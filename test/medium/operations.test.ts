// The operations service called directly, on every engine: an exercise from planning to STARTEX, its
// escalation into a real incident (with the alert and the roll call that follow), and the close.
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(engines)('the operations service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'DEREK' | 'SCOTT' | 'STILES'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'DEREK', ['SCOTT', 'STILES']);
  });

  const plan = () =>
    s.services.operations.createExercise(pack.as.DEREK, pack.id, {
      name: 'Mock attack at the Hale House',
      scenario: 'Stiles evades; Scott tracks him.',
      participants: [
        { memberId: pack.m.STILES.memberId, role: 'runner' },
        { memberId: pack.m.SCOTT.memberId, role: 'tracker' },
      ],
    });

  const started = async () => {
    const exercise = await plan();
    clock.ms += 60_000;
    return s.services.operations.act(pack.as.DEREK, pack.id, exercise.id, 'start');
  };

  it('plans an exercise for a leader and logs its creation', async () => {
    const before = await s.lastSeq(pack.id);
    const exercise = await plan();
    expect(exercise).toMatchObject({
      kind: 'exercise',
      state: 'planned',
      mode: 'exercise',
      name: 'Mock attack at the Hale House',
      createdAt: iso(START),
      startedAt: null,
      escalatedFrom: null,
    });
    expect(exercise.participants).toEqual([
      { memberId: pack.m.STILES.memberId, role: 'runner' },
      { memberId: pack.m.SCOTT.memberId, role: 'tracker' },
    ]);
    const events = await s.events(pack.id, before);
    // Planning is not yet the exercise: the team is still in real mode.
    expect(events.map(said)).toEqual([['operation.updated', 'created', 'real']]);
    expect(events[0]).toMatchObject({ by: pack.m.DEREK.memberId, operation: { id: exercise.id } });
  });

  it('refuses a plain member, and a participant of another team, changing nothing', async () => {
    const other = await s.team('Hunters', 'ARGENT');
    const before = await s.lastSeq(pack.id);
    await expect(
      s.services.operations.createExercise(pack.as.SCOTT, pack.id, { name: 'Mine' }),
    ).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(
      s.services.operations.createExercise(pack.as.DEREK, pack.id, {
        name: 'Mixed',
        participants: [{ memberId: other.m.ARGENT.memberId, role: 'runner' }],
      }),
    ).rejects.toMatchObject({ status: 400, details: { field: 'participants' } });
    await expect(
      s.services.operations.createExercise(pack.as.DEREK, pack.id, { name: '  ' }),
    ).rejects.toThrow();
    expect((await s.services.operations.list(pack.as.DEREK, pack.id)).operations).toEqual([]);
    expect(await s.events(pack.id, before)).toEqual([]);
  });

  it('starts the exercise (STARTEX): the team is in exercise mode until ENDEX', async () => {
    const exercise = await plan();
    const before = await s.lastSeq(pack.id);
    clock.ms += 60_000;
    const running = await s.services.operations.act(pack.as.DEREK, pack.id, exercise.id, 'start');
    expect(running).toMatchObject({ id: exercise.id, state: 'running', startedAt: iso(START + 60_000) });
    expect((await s.services.operations.activeOf(pack.id))?.id).toBe(exercise.id);
    expect((await s.events(pack.id, before)).map(said)).toEqual([
      ['operation.updated', 'started', 'exercise'],
    ]);
    // Only a leader or the controller directs it.
    await expect(s.services.operations.act(pack.as.SCOTT, pack.id, exercise.id, 'end')).rejects.toMatchObject(
      { status: 403 },
    );
    await expect(
      s.services.operations.act(pack.as.DEREK, pack.id, exercise.id, 'start'),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('escalates to a real incident: the exercise is suspended, everyone is alerted and a roll call starts', async () => {
    const exercise = await started();
    const before = await s.lastSeq(pack.id);
    clock.ms += 60_000;
    const incident = await s.services.operations.escalate(pack.as.STILES, pack.id, 'Real hostiles', {
      lat: 45.52,
      lon: -122.67,
    });
    expect(incident).toMatchObject({
      kind: 'incident',
      state: 'open',
      mode: 'real',
      escalatedFrom: exercise.id,
      startedAt: iso(START + 120_000),
    });
    expect(await s.services.operations.get(pack.as.SCOTT, pack.id, exercise.id)).toMatchObject({
      state: 'suspended',
      escalatedTo: incident.id,
    });

    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([
      ['operation.updated', 'suspended', 'real'],
      ['operation.updated', 'opened', 'real'],
      ['alert.updated', 'raised', 'real'],
      ['rollcall.updated', null, 'real'],
    ]);

    const [alert, ...more] = await s.services.alerts.list(pack.as.SCOTT, pack.id);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      type: 'escalation',
      mode: 'real',
      state: 'active',
      operationId: incident.id,
      senderId: pack.m.STILES.memberId,
      sender: 'STILES',
      text: 'Real hostiles',
      position: { lat: 45.52, lon: -122.67 },
    });
    const board = await s.services.incidents.activeBoard(pack.as.SCOTT, pack.id);
    expect(board.rollCall).toMatchObject({ operationId: incident.id, startedBy: null, answers: [] });
    expect([...(board.rollCall?.memberIds ?? [])].sort()).toEqual(
      [pack.m.DEREK, pack.m.SCOTT, pack.m.STILES].map((m) => m.memberId).sort(),
    );

    // Escalating twice is refused, and logs nothing.
    const after = await s.lastSeq(pack.id);
    await expect(s.services.operations.escalate(pack.as.SCOTT, pack.id, 'again')).rejects.toMatchObject({
      status: 409,
    });
    expect(await s.events(pack.id, after)).toEqual([]);
  });

  it('closes the incident once everyone is accounted for, ending its alerts', async () => {
    await started();
    const incident = await s.services.operations.escalate(pack.as.SCOTT, pack.id, 'Real hostiles');
    await expect(
      s.services.operations.close(pack.as.DEREK, pack.id, incident.id, 'All safe'),
    ).rejects.toMatchObject({ status: 409, code: 'members_unaccounted' });

    for (const who of ['DEREK', 'SCOTT', 'STILES'] as const)
      await s.services.incidents.answerRollCall(pack.as[who], pack.id, { status: 'ok' });
    const before = await s.lastSeq(pack.id);
    clock.ms += 600_000;
    await expect(
      s.services.operations.close(pack.as.SCOTT, pack.id, incident.id, 'All safe'),
    ).rejects.toMatchObject({ status: 403 });
    const closed = await s.services.operations.close(pack.as.DEREK, pack.id, incident.id, 'All safe');
    expect(closed).toMatchObject({
      id: incident.id,
      state: 'closed',
      summary: 'All safe',
      closeOverride: null,
      endedAt: iso(clock.ms),
    });
    expect(await s.services.operations.activeOf(pack.id)).toBeNull();
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([
      ['operation.updated', 'closed', 'real'],
      ['alert.updated', 'resolved', 'real'],
    ]);
    expect((await s.services.alerts.list(pack.as.SCOTT, pack.id)).map((a) => [a.type, a.state])).toEqual([
      ['escalation', 'resolved'],
    ]);
  });
});
