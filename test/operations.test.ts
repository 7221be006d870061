import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });

describe.each(engines)('exercises, escalation and incidents on $name', (engine) => {
  const clock = new FakeClock(Date.parse('2026-11-25T16:00:00Z'));
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;
  let stiles: AddedMember;

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
    stiles = await h.addMember('Pack', 'STILES');
  });

  const post = (url: string, who: AddedMember, payload: object = {}) =>
    h.app.inject({ method: 'POST', url, headers: bearer(who), payload });
  const get = (url: string, who: AddedMember) => h.app.inject({ method: 'GET', url, headers: bearer(who) });
  const plan = async (extra: object = {}) => {
    const res = await post('/api/operations', lead, {
      name: 'Mock attack at dusk',
      scenario: 'Runner evades alone; two trackers follow.',
      participants: [
        { memberId: stiles.memberId, role: 'runner' },
        { memberId: scott.memberId, role: 'tracker' },
      ],
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; state: string; injects: { id: string }[] };
  };
  const act = (id: string, action: string, who: AddedMember = lead) =>
    post(`/api/operations/${id}/actions`, who, { action });
  const report = (m: AddedMember, lat = 45.52) =>
    h.services.positions.reportFromDevice({
      deviceId: m.device,
      time: clock.now(),
      lat,
      lon: -122.67,
      source: 'osmand',
    });
  const count = async (table: 'operations' | 'events') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );

  it('plans, starts, pauses for a safety time-out, resumes and ends an exercise', async () => {
    const ex = await plan();
    expect(ex.state).toBe('planned');
    expect((await act(ex.id, 'start')).json()).toMatchObject({ state: 'running', mode: 'exercise' });
    const paused = await act(ex.id, 'pause', stiles); // anyone may call a time-out
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ state: 'paused', pausedBy: stiles.memberId });
    expect((await act(ex.id, 'resume', stiles)).statusCode).toBe(403); // resuming is for leaders and controllers
    expect((await act(ex.id, 'resume')).json()).toMatchObject({ state: 'running', pausedBy: null });
    clock.ms += 600_000;
    const ended = (await act(ex.id, 'end')).json();
    expect(ended).toMatchObject({ state: 'ended' });
    expect(ended.playedS).toBe(600);
    const list = (await get('/api/operations', scott)).json();
    expect(list.active).toBeNull();
    expect(list.operations[0].id).toBe(ex.id);
  });

  it('stamps positions and events with exercise only while the exercise runs', async () => {
    expect((await report(scott)).mode).toBe('real');
    const ex = await plan();
    await act(ex.id, 'start');
    expect((await report(scott)).mode).toBe('exercise');
    await act(ex.id, 'pause', scott);
    expect((await report(scott)).mode).toBe('exercise');
    await act(ex.id, 'end');
    expect((await report(scott)).mode).toBe('real');
    const latest = (await get('/api/positions/latest', lead)).json();
    expect(latest.features[0].properties.mode).toBe('real');
  });

  it('delivers injects at their offset of played time, as exercise traffic, once', async () => {
    const ex = await plan({ injects: [{ offsetS: 60, message: 'Runner dropped a glove at the creek' }] });
    await act(ex.id, 'start');
    expect(await h.services.operations.deliverDueInjects()).toBe(0);
    clock.ms += 61_000;
    expect(await h.services.operations.deliverDueInjects()).toBe(1);
    expect(await h.services.operations.deliverDueInjects()).toBe(0);
    const row = await d.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'inject.delivered')
      .executeTakeFirst();
    expect(row?.mode).toBe('exercise');
    const op = (await get(`/api/operations/${ex.id}`, scott)).json();
    expect(op.injects[0].deliveredAt).toBe(clock.now().toISOString());
  });

  it('does not count a paused exercise toward inject time', async () => {
    const ex = await plan({ injects: [{ offsetS: 60, message: 'late inject' }] });
    await act(ex.id, 'start');
    clock.ms += 30_000;
    await act(ex.id, 'pause', scott);
    clock.ms += 600_000;
    expect(await h.services.operations.deliverDueInjects()).toBe(0);
    await act(ex.id, 'resume');
    clock.ms += 31_000;
    expect(await h.services.operations.deliverDueInjects()).toBe(1);
  });

  it('lets any member escalate a running exercise: it is suspended, a real incident opens', async () => {
    const ex = await plan();
    await act(ex.id, 'start');
    const res = await post('/api/escalate', scott, {
      reason: 'Six real hostiles in the woods',
      position: { lat: 45.52, lon: -122.67 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const incident = res.json();
    expect(incident).toMatchObject({ kind: 'incident', state: 'open', mode: 'real', escalatedFrom: ex.id });
    const suspended = (await get(`/api/operations/${ex.id}`, lead)).json();
    expect(suspended).toMatchObject({ state: 'suspended', escalatedTo: incident.id });
    expect((await get('/api/operations', stiles)).json().active.id).toBe(incident.id);
    expect((await report(stiles)).mode).toBe('real');
    const opened = await d.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'operation.updated')
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    expect(opened?.mode).toBe('real');
  });

  it('resumes a suspended exercise once its incident is closed, its played time kept', async () => {
    const ex = await plan();
    await act(ex.id, 'start');
    clock.ms += 300_000;
    const incident = (await post('/api/escalate', scott, { reason: 'Real casualty' })).json();
    const early = await act(ex.id, 'resume');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/still open/);
    expect((await get(`/api/operations/${ex.id}`, lead)).json().state).toBe('suspended');
    clock.ms += 3_600_000;
    const closed = await post(`/api/operations/${incident.id}/close`, lead, {
      override: 'all home, checked by phone',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await act(ex.id, 'resume', stiles)).statusCode).toBe(403);
    const resumed = await act(ex.id, 'resume');
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json()).toMatchObject({ state: 'running', playedS: 300 });
    expect((await report(scott)).mode).toBe('exercise');
    clock.ms += 60_000;
    expect((await act(ex.id, 'end')).json()).toMatchObject({ state: 'ended', playedS: 360 });
  });

  it('edits a planned exercise, each field given replacing the old one, and refuses once it has started', async () => {
    const ex = await plan({ injects: [{ offsetS: 60, message: 'old inject' }] });
    const patch = (id: string, payload: object, who = lead) =>
      h.app.inject({ method: 'PATCH', url: `/api/operations/${id}`, headers: bearer(who), payload });
    const res = await patch(ex.id, {
      name: 'Mock attack at night',
      participants: [{ memberId: scott.memberId, role: 'runner' }],
      injects: [
        { offsetS: 120, message: 'Flare to the north' },
        { offsetS: 30, message: 'Radio check' },
      ],
      area: [
        { lat: 45.5, lon: -122.7 },
        { lat: 45.51, lon: -122.7 },
        { lat: 45.51, lon: -122.69 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const edited = res.json();
    expect(edited).toMatchObject({
      name: 'Mock attack at night',
      scenario: 'Runner evades alone; two trackers follow.',
      participants: [{ memberId: scott.memberId, role: 'runner' }],
      state: 'planned',
    });
    expect(edited.injects.map((i: { message: string }) => i.message)).toEqual([
      'Radio check',
      'Flare to the north',
    ]);
    expect(edited.area).toHaveLength(3);
    const cleared = await patch(ex.id, { area: null });
    expect(cleared.json().area).toBeNull();
    const seq = await lastSeq(d.db, lead.teamId);
    const bad: Array<[object, string]> = [
      [{}, ''],
      [{ name: '' }, 'name'],
      [
        { participants: [{ memberId: '00000000-0000-4000-8000-000000000000', role: 'runner' }] },
        'participants',
      ],
      [{ injects: [{ offsetS: -1, message: 'x' }] }, 'injects.0.offsetS'],
      [{ state: 'running' }, ''],
    ];
    for (const [payload, field] of bad) {
      const r = await patch(ex.id, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      if (field) expect(r.json().error.details.field).toBe(field);
    }
    expect((await patch(ex.id, { name: 'Mutiny' }, scott)).statusCode).toBe(403);
    expect(await lastSeq(d.db, lead.teamId)).toBe(seq);
    await act(ex.id, 'start');
    const late = await patch(ex.id, { name: 'Too late' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/running/);
    expect((await get(`/api/operations/${ex.id}`, lead)).json().name).toBe('Mock attack at night');
  });

  it('sends an inject now, ahead of its time, once, to a running exercise only', async () => {
    const ex = await plan({
      participants: [{ memberId: stiles.memberId, role: 'controller' }],
      injects: [{ offsetS: 3600, message: 'Casualty at the bridge' }],
    });
    const injectId = ex.injects[0]?.id ?? '';
    const send = (who = lead, id = injectId) => post(`/api/operations/${ex.id}/injects/${id}/send`, who);
    expect((await send()).statusCode).toBe(409); // planned: not running yet
    await act(ex.id, 'start');
    expect((await send(scott)).statusCode).toBe(403);
    const sent = await send(stiles);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().injects[0].deliveredAt).toBe(clock.now().toISOString());
    const again = await send();
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.field).toBe('injectId');
    expect((await send(lead, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await send(lead, 'nope')).statusCode).toBe(400);
    clock.ms += 3_700_000;
    expect(await h.services.operations.deliverDueInjects()).toBe(0);
    const delivered = await d.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'inject.delivered')
      .execute();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.mode).toBe('exercise');
  });

  it('refuses to escalate twice, changing nothing', async () => {
    await post('/api/escalate', scott, { reason: 'real' });
    const before = { ops: await count('operations'), seq: await lastSeq(d.db, lead.teamId) };
    const again = await post('/api/escalate', stiles, { reason: 'real again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already open/);
    expect({ ops: await count('operations'), seq: await lastSeq(d.db, lead.teamId) }).toEqual(before);
  });

  it('refuses to start an exercise while an incident is open', async () => {
    await post('/api/escalate', scott, { reason: 'real' });
    const ex = await plan();
    const res = await act(ex.id, 'start');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/real incident is open/);
  });

  it('lets only a leader plan, start and call out, or a controller direct', async () => {
    expect((await post('/api/operations', scott, { name: 'X' })).statusCode).toBe(403);
    const ex = await plan({ participants: [{ memberId: scott.memberId, role: 'controller' }] });
    expect((await act(ex.id, 'start', stiles)).statusCode).toBe(403);
    expect((await act(ex.id, 'start', scott)).statusCode).toBe(200);
    expect((await post('/api/callouts', scott, { name: 'Lost hiker' })).statusCode).toBe(403);
  });

  it('opens a callout directly as a real incident', async () => {
    const res = await post('/api/callouts', lead, {
      name: 'Lost hiker on the ridge',
      reason: 'Sheriff request',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'incident',
      state: 'open',
      escalatedFrom: null,
      scenario: 'Sheriff request',
    });
  });

  it('answers bad input with the field named, changing nothing', async () => {
    const before = { ops: await count('operations'), seq: await lastSeq(d.db, lead.teamId) };
    const cases: Array<[string, object, string]> = [
      ['/api/operations', { name: '' }, 'name'],
      ['/api/operations', { name: 'A', area: [{ lat: 1, lon: 2 }] }, 'area'],
      [
        '/api/operations',
        { name: 'A', participants: [{ memberId: scott.memberId, role: 'boss' }] },
        'participants.0.role',
      ],
      ['/api/operations', { name: 'A', injects: [{ offsetS: -5, message: 'x' }] }, 'injects.0.offsetS'],
      ['/api/escalate', {}, 'reason'],
      ['/api/escalate', { reason: 'x', position: { lat: 99, lon: 0 } }, 'position.lat'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await post(url, lead, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    const ex = await plan();
    expect((await post(`/api/operations/${ex.id}/actions`, lead, { action: 'fly' })).statusCode).toBe(400);
    expect((await act(ex.id, 'resume')).statusCode).toBe(409);
    expect((await act('00000000-0000-4000-8000-000000000000', 'start')).statusCode).toBe(404);
    expect({ ops: (await count('operations')) - 1, seq: (await lastSeq(d.db, lead.teamId)) - 1 }).toEqual(
      before,
    );
  });

  it("never lets another team see or drive the team's operations", async () => {
    const ex = await plan();
    const other = await h.addMember('Hunters', 'CHRIS', { role: 'leader' });
    expect((await get(`/api/operations/${ex.id}`, other)).statusCode).toBe(404);
    expect((await act(ex.id, 'start', other)).statusCode).toBe(404);
    expect((await get('/api/operations', other)).json().operations).toEqual([]);
    const participant = await post('/api/operations', other, {
      name: 'Poach',
      participants: [{ memberId: scott.memberId, role: 'runner' }],
    });
    expect(participant.statusCode).toBe(400);
    expect(participant.json().error.details.field).toBe('participants');
    // Their escalation opens their own incident, not ours.
    await post('/api/escalate', other, { reason: 'theirs' });
    expect((await get('/api/operations', lead)).json().active).toBeNull();
  });
});
