import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CalloutResponse, Casualty, IncidentBoard, RollCall } from '../src/contract/incidents.ts';
import type { LiveEvent } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PATCH';
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });
const START = Date.parse('2026-11-25T16:00:00Z');
const TABLES = [
  'roll_calls',
  'roll_call_answers',
  'casualties',
  'care_log',
  'callout_responses',
  'alerts',
  'subjects',
];

describe.each(engines)('accountability and casualties on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;
  let stiles: AddedMember;
  let other: AddedMember;

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
    stiles = await h.addMember('Pack', 'STILES');
    other = await h.addMember('Hunters', 'KATE', { role: 'leader' });
  });

  const call = (method: Method, url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: bearer(who), payload });
  const post = (url: string, who: AddedMember, payload?: object) => call('POST', url, who, payload);
  const answer = (who: AddedMember, status: string, memberId?: string) =>
    post('/api/rollcalls/answer', who, { status, ...(memberId && { memberId }) });
  const board = async (who: AddedMember = lead) => {
    const res = await call('GET', '/api/incident', who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as IncidentBoard;
  };
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  /** Row counts of the incident tables and the team's event sequence, to show nothing changed. */
  const state = async () => ({
    rows: await Promise.all(TABLES.map(count)),
    seq: await lastSeq(d.db, lead.teamId),
  });
  const events = async (type: string) =>
    d.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();

  /** The mock attack at dusk, escalated by a member: an open real incident. */
  async function escalated(): Promise<string> {
    const ex = await post('/api/operations', lead, { name: 'Mock attack at dusk' });
    expect(ex.statusCode, ex.body).toBe(201);
    expect(
      (await post(`/api/operations/${ex.json().id}/actions`, lead, { action: 'start' })).statusCode,
    ).toBe(200);
    const inc = await post('/api/escalate', scott, { reason: 'six real hostiles in the woods' });
    expect(inc.statusCode, inc.body).toBe(201);
    return inc.json().id;
  }
  async function callout(): Promise<string> {
    const inc = await post('/api/callouts', lead, { name: 'Missing hiker, north ridge' });
    expect(inc.statusCode, inc.body).toBe(201);
    return inc.json().id;
  }
  const close = (id: string, payload: object = { summary: 'all home' }) =>
    post(`/api/operations/${id}/close`, lead, payload);

  describe('roll call', () => {
    it('starts automatically on escalation, listing every member of the team', async () => {
      const incidentId = await escalated();
      const { rollCall } = await board(stiles);
      expect(rollCall).toMatchObject({
        operationId: incidentId,
        startedBy: null,
        startedAt: new Date(START).toISOString(),
        deadlineAt: new Date(START + 180_000).toISOString(),
        answers: [],
      });
      expect(rollCall?.memberIds.sort()).toEqual([lead.memberId, scott.memberId, stiles.memberId].sort());
      const logged = await events('rollcall.updated');
      expect(logged).toHaveLength(1);
      expect(logged[0]?.mode).toBe('real');
    });

    it("takes the deadline from the team's settings", async () => {
      const patched = await call('PATCH', '/api/team', lead, { rollCallDeadlineS: 300 });
      expect(patched.statusCode, patched.body).toBe(200);
      await callout();
      expect((await board()).rollCall?.deadlineAt).toBe(new Date(START + 300_000).toISOString());
    });

    it('records answers for oneself and for another member, the latest counting', async () => {
      await escalated();
      const published: LiveEvent[] = [];
      const stop = h.services.bus.subscribe(lead.teamId, (m) => {
        if (m.type === 'event') published.push(m.event);
      });
      clock.ms += 10_000;
      const mine = await answer(scott, 'ok');
      expect(mine.statusCode, mine.body).toBe(200);
      // "I see Derek, he's injured."
      const seen = await answer(scott, 'injured', lead.memberId);
      expect(seen.statusCode, seen.body).toBe(200);
      clock.ms += 10_000;
      const again = await answer(lead, 'needs_help');
      stop();
      const rc = again.json() as RollCall;
      expect(rc.answers).toEqual([
        {
          memberId: scott.memberId,
          status: 'ok',
          reportedBy: scott.memberId,
          time: new Date(START + 10_000).toISOString(),
        },
        {
          memberId: lead.memberId,
          status: 'needs_help',
          reportedBy: lead.memberId,
          time: new Date(START + 20_000).toISOString(),
        },
      ]);
      expect(published.map((e) => e.type)).toEqual([
        'rollcall.updated',
        'rollcall.updated',
        'rollcall.updated',
      ]);
      expect(published[2]).toMatchObject({ mode: 'real', seq: await lastSeq(d.db, lead.teamId) });
      expect((await board()).rollCall?.answers).toEqual(rc.answers);
    });

    it('raises a real alert at once when a member is reported missing', async () => {
      const incidentId = await escalated();
      const res = await answer(scott, 'missing', stiles.memberId);
      expect(res.statusCode, res.body).toBe(200);
      const missing = await d.db.selectFrom('alerts').selectAll().where('type', '=', 'missing').execute();
      expect(missing).toHaveLength(1);
      expect(missing[0]).toMatchObject({
        mode: 'real',
        state: 'active',
        operation_id: incidentId,
        sender_id: scott.memberId,
        subject_id: stiles.memberId,
      });
      const acc = await h.services.incidents.accountability(lead.teamId, incidentId);
      expect(acc?.unaccounted).toEqual([stiles.memberId]);
    });

    it('refuses to let a member report themselves missing', async () => {
      await escalated();
      const before = await state();
      const res = await answer(stiles, 'missing');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field).toBe('status');
      expect(await state()).toEqual(before);
    });

    it('lists members who did not answer by the deadline as unaccounted: "N of M accounted"', async () => {
      const incidentId = await callout();
      await answer(lead, 'ok');
      const early = await h.services.incidents.accountability(lead.teamId, incidentId);
      expect(early).toMatchObject({ accounted: [lead.memberId], unaccounted: [], total: 3 });
      expect(early?.pending.sort()).toEqual([scott.memberId, stiles.memberId].sort());
      clock.ms += 180_000;
      const late = await h.services.incidents.accountability(lead.teamId, incidentId);
      expect(late).toMatchObject({ accounted: [lead.memberId], pending: [], total: 3 });
      expect(late?.unaccounted.sort()).toEqual([scott.memberId, stiles.memberId].sort());
      expect(`${late?.accounted.length} of ${late?.total} accounted`).toBe('1 of 3 accounted');
      // A late answer still accounts for the member.
      await answer(scott, 'ok');
      const now = await h.services.incidents.accountability(lead.teamId, incidentId);
      expect(now).toMatchObject({ unaccounted: [stiles.memberId] });
      expect(now?.accounted).toHaveLength(2);
    });

    it('lets the leader start a new roll call, which starts with no answers', async () => {
      await callout();
      await answer(scott, 'ok');
      clock.ms += 900_000;
      const res = await post('/api/rollcalls', lead);
      expect(res.statusCode, res.body).toBe(201);
      const rc = res.json() as RollCall;
      expect(rc).toMatchObject({
        startedBy: lead.memberId,
        answers: [],
        deadlineAt: new Date(clock.ms + 180_000).toISOString(),
      });
      expect((await board()).rollCall?.id).toBe(rc.id);
      expect(await count('roll_calls')).toBe(2);
    });

    it('accounts for a member who joined after the roll call began, once reported', async () => {
      const incidentId = await callout();
      const isaac = await h.addMember('Pack', 'ISAAC');
      const res = await answer(isaac, 'ok');
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as RollCall).memberIds).toContain(isaac.memberId);
      const acc = await h.services.incidents.accountability(lead.teamId, incidentId);
      expect(acc).toMatchObject({ accounted: [isaac.memberId], total: 4 });
    });

    it('refuses roll calls without an open incident, and from a member who is not a leader', async () => {
      const before = await state();
      expect((await post('/api/rollcalls', lead)).statusCode).toBe(409);
      const noRc = await answer(scott, 'ok');
      expect(noRc.statusCode).toBe(409);
      expect(noRc.json().error.details.field).toBe('operation');
      expect(await state()).toEqual(before);
      await callout();
      const mid = await state();
      const notLeader = await post('/api/rollcalls', scott);
      expect(notLeader.statusCode).toBe(403);
      expect(await state()).toEqual(mid);
    });

    it('refuses an answer about a member of another team, or a bad status, changing nothing', async () => {
      await callout();
      const before = await state();
      const cross = await answer(scott, 'ok', other.memberId);
      expect(cross.statusCode).toBe(404);
      expect(cross.json().error.details.field).toBe('memberId');
      const unknown = await answer(scott, 'ok', '00000000-0000-4000-8000-000000000000');
      expect(unknown.statusCode).toBe(404);
      const badStatus = await answer(scott, 'fine');
      expect(badStatus.statusCode).toBe(400);
      expect(badStatus.json().error.details.field).toBe('status');
      const badId = await answer(scott, 'ok', 'derek');
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.details.field).toBe('memberId');
      // The other team's leader cannot answer into this team's roll call either: they have no incident.
      expect((await answer(other, 'ok', scott.memberId)).statusCode).toBe(404);
      expect(await state()).toEqual(before);
    });
  });

  describe('closing the incident', () => {
    it('is refused while members are unaccounted, naming override, and accepted with a reason', async () => {
      const incidentId = await escalated();
      await answer(lead, 'ok');
      clock.ms += 200_000;
      const before = await state();
      const refused = await close(incidentId);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details).toMatchObject({ field: 'override' });
      expect(refused.json().error.details.unaccounted.sort()).toEqual(
        [scott.memberId, stiles.memberId].sort(),
      );
      expect(await state()).toEqual(before);
      const forced = await close(incidentId, {
        summary: 'hostiles withdrew',
        override: 'Stiles with police',
      });
      expect(forced.statusCode, forced.body).toBe(200);
      expect(forced.json()).toMatchObject({ state: 'closed', closeOverride: 'Stiles with police' });
    });

    it('is refused while answers are still pending before the deadline', async () => {
      const incidentId = await callout();
      await answer(lead, 'ok');
      expect((await close(incidentId)).statusCode).toBe(409);
    });

    it('is accepted once every member is accounted for', async () => {
      const incidentId = await escalated();
      await answer(lead, 'injured');
      await answer(scott, 'ok');
      await answer(scott, 'ok', stiles.memberId);
      const res = await close(incidentId);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ state: 'closed', closeOverride: null });
      expect((await call('GET', '/api/incident', lead)).statusCode).toBe(404);
    });
  });

  describe('casualties', () => {
    const patch = (id: string, who: AddedMember, payload: object) =>
      call('PATCH', `/api/casualties/${id}`, who, payload);

    it('records triage, injuries, a care log with authors, evacuation and recovery', async () => {
      const incidentId = await escalated();
      const added = await post('/api/casualties', stiles, {
        memberId: lead.memberId,
        triage: 'red',
        injuries: 'deep cut, left arm ',
      });
      expect(added.statusCode, added.body).toBe(201);
      const c = added.json() as Casualty;
      expect(c).toMatchObject({
        operationId: incidentId,
        memberId: lead.memberId,
        triage: 'red',
        injuries: 'deep cut, left arm',
        careLog: [],
        evacuatedAt: null,
        recoveredAt: null,
        createdAt: new Date(START).toISOString(),
      });
      clock.ms += 60_000;
      const care1 = await patch(c.id, stiles, { care: 'pressure bandage applied' });
      expect(care1.statusCode, care1.body).toBe(200);
      clock.ms += 60_000;
      const care2 = await patch(c.id, scott, { care: 'bleeding stopped', triage: 'yellow' });
      expect(care2.json()).toMatchObject({ triage: 'yellow' });
      expect((care2.json() as Casualty).careLog).toEqual([
        {
          time: new Date(START + 60_000).toISOString(),
          authorId: stiles.memberId,
          author: 'STILES',
          text: 'pressure bandage applied',
        },
        {
          time: new Date(START + 120_000).toISOString(),
          authorId: scott.memberId,
          author: 'SCOTT',
          text: 'bleeding stopped',
        },
      ]);
      const evac = await patch(c.id, scott, { evacuated: true });
      expect(evac.json().evacuatedAt).toBe(clock.now().toISOString());
      clock.ms += 8 * 3600_000;
      const recovered = await patch(c.id, lead, { recovered: true, care: 'recovered overnight' });
      expect(recovered.statusCode, recovered.body).toBe(200);
      expect(recovered.json()).toMatchObject({ recoveredAt: clock.now().toISOString() });
      expect(recovered.json().careLog).toHaveLength(3);

      const before = await state();
      const twice = await patch(c.id, lead, { recovered: true });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.details.field).toBe('recovered');
      expect(await state()).toEqual(before);

      const { casualties } = await board(scott);
      expect(casualties).toEqual([recovered.json()]);
      const logged = await events('casualty.updated');
      expect(logged).toHaveLength(5);
      expect(logged.every((e) => e.mode === 'real')).toBe(true);
    });

    it('refuses a second open record for the same member', async () => {
      await callout();
      expect(
        (await post('/api/casualties', lead, { memberId: scott.memberId, triage: 'green' })).statusCode,
      ).toBe(201);
      const again = await post('/api/casualties', lead, { memberId: scott.memberId, triage: 'red' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.details.field).toBe('memberId');
    });

    it('refuses bad input, other teams and a casualty without an operation, changing nothing', async () => {
      const none = await state();
      const noOp = await post('/api/casualties', lead, { memberId: scott.memberId, triage: 'red' });
      expect(noOp.statusCode).toBe(409);
      expect(await state()).toEqual(none);

      await callout();
      const c = (await post('/api/casualties', lead, { memberId: scott.memberId, triage: 'red' })).json();
      const before = await state();
      const badTriage = await post('/api/casualties', lead, { memberId: stiles.memberId, triage: 'blue' });
      expect(badTriage.statusCode).toBe(400);
      expect(badTriage.json().error.details.field).toBe('triage');
      const noMember = await post('/api/casualties', lead, { triage: 'red' });
      expect(noMember.statusCode).toBe(400);
      expect(noMember.json().error.details.field).toBe('memberId');
      const cross = await post('/api/casualties', lead, { memberId: other.memberId, triage: 'red' });
      expect(cross.statusCode).toBe(404);
      expect(cross.json().error.details.field).toBe('memberId');
      expect((await patch(c.id, other, { care: 'not my team' })).statusCode).toBe(404);
      const empty = await patch(c.id, lead, {});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.details.field).toBe('body');
      const blankCare = await patch(c.id, lead, { care: '  ' });
      expect(blankCare.statusCode).toBe(400);
      expect(blankCare.json().error.details.field).toBe('care');
      const badFlag = await patch(c.id, lead, { recovered: false });
      expect(badFlag.statusCode).toBe(400);
      expect(badFlag.json().error.details.field).toBe('recovered');
      expect((await patch('not-a-uuid', lead, { care: 'x' })).statusCode).toBe(400);
      expect(await state()).toEqual(before);
    });
  });

  describe('callout responses', () => {
    const respond = (who: AddedMember, payload: object) => post('/api/callout/response', who, payload);

    it('lists who is coming and when', async () => {
      const incidentId = await callout();
      const published: LiveEvent[] = [];
      const stop = h.services.bus.subscribe(lead.teamId, (m) => {
        if (m.type === 'event') published.push(m.event);
      });
      const coming = await respond(scott, { status: 'responding', etaMinutes: 20 });
      expect(coming.statusCode, coming.body).toBe(200);
      expect(coming.json()).toEqual({
        memberId: scott.memberId,
        status: 'responding',
        etaMinutes: 20,
        time: new Date(START).toISOString(),
      });
      await respond(stiles, { status: 'unavailable', etaMinutes: 5 });
      clock.ms += 20 * 60_000;
      await respond(scott, { status: 'arrived' });
      stop();
      const { callout: responses } = await board();
      expect(responses).toEqual<CalloutResponse[]>([
        {
          memberId: stiles.memberId,
          status: 'unavailable',
          etaMinutes: null,
          time: new Date(START).toISOString(),
        },
        {
          memberId: scott.memberId,
          status: 'arrived',
          etaMinutes: null,
          time: clock.now().toISOString(),
        },
      ]);
      expect(published).toHaveLength(3);
      expect(published[2]).toMatchObject({
        type: 'callout.updated',
        mode: 'real',
        operationId: incidentId,
        response: { memberId: scott.memberId, status: 'arrived' },
      });
    });

    it('needs an ETA to respond and an open incident, changing nothing otherwise', async () => {
      const none = await state();
      const noIncident = await respond(scott, { status: 'responding', etaMinutes: 10 });
      expect(noIncident.statusCode).toBe(409);
      expect(await state()).toEqual(none);

      await callout();
      const before = await state();
      const noEta = await respond(scott, { status: 'responding' });
      expect(noEta.statusCode).toBe(400);
      expect(noEta.json().error.details.field).toBe('etaMinutes');
      const negative = await respond(scott, { status: 'responding', etaMinutes: -5 });
      expect(negative.statusCode).toBe(400);
      expect(negative.json().error.details.field).toBe('etaMinutes');
      const badStatus = await respond(scott, { status: 'maybe' });
      expect(badStatus.statusCode).toBe(400);
      expect(badStatus.json().error.details.field).toBe('status');
      expect(await state()).toEqual(before);
    });

    it('is refused during an exercise', async () => {
      const ex = await post('/api/operations', lead, { name: 'Night drill' });
      await post(`/api/operations/${ex.json().id}/actions`, lead, { action: 'start' });
      const res = await respond(scott, { status: 'responding', etaMinutes: 10 });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.field).toBe('operation');
    });
  });

  describe('the subject of the search', () => {
    const walker = {
      name: 'Walker, 67',
      description: 'red jacket, walking poles, diabetic',
      lastKnown: { lat: 51.0612, lon: -1.3021 },
      lastSeenAt: '2026-11-25T14:30:00Z',
    };

    it('is recorded with a description and last known position, updated as the search goes, and on the board', async () => {
      const incidentId = await callout();
      const added = await post('/api/subjects', scott, walker);
      expect(added.statusCode, added.body).toBe(201);
      const s = added.json();
      expect(s).toMatchObject({
        operationId: incidentId,
        name: 'Walker, 67',
        status: 'missing',
        lastKnown: walker.lastKnown,
        lastSeenAt: '2026-11-25T14:30:00.000Z',
      });
      clock.ms += 60_000;
      const located = await call('PATCH', `/api/subjects/${s.id}`, stiles, {
        status: 'located',
        lastKnown: { lat: 51.0655, lon: -1.3102 },
        lastSeenAt: clock.now().toISOString(),
      });
      expect(located.statusCode, located.body).toBe(200);
      expect(located.json()).toMatchObject({ status: 'located', description: walker.description });
      expect((await board()).subjects.map((x) => [x.name, x.status])).toEqual([['Walker, 67', 'located']]);
      expect((await events('subject.updated')).map((e) => e.mode)).toEqual(['real', 'real']);
      const listed = await call('GET', `/api/subjects?operationId=${incidentId}`, lead);
      expect(listed.json().subjects).toHaveLength(1);
      // Found hurt: a casualty record of the subject, with the care given.
      const casualty = await post('/api/casualties', stiles, {
        subjectId: s.id,
        triage: 'yellow',
        injuries: 'hypothermia',
      });
      expect(casualty.statusCode, casualty.body).toBe(201);
      expect(casualty.json()).toMatchObject({ memberId: null, subjectId: s.id, subjectName: 'Walker, 67' });
      const again = await post('/api/casualties', lead, { subjectId: s.id, triage: 'red' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.details.field).toBe('subjectId');
      expect((await board()).casualties.map((c) => c.subjectName)).toEqual(['Walker, 67']);
    });

    it('refuses bad input, a subject outside an operation or of another team; nothing changes', async () => {
      const none = await post('/api/subjects', scott, walker);
      expect(none.statusCode).toBe(409);
      expect(none.json().error.details.field).toBe('operation');
      await callout();
      const s = (await post('/api/subjects', scott, walker)).json();
      const before = await state();
      const cases: Array<[Method, string, object, number, string]> = [
        ['POST', '/api/subjects', { name: '' }, 400, 'name'],
        ['POST', '/api/subjects', { name: 'X', status: 'lost' }, 400, 'status'],
        ['POST', '/api/subjects', { name: 'X', lastKnown: { lat: 91, lon: 0 } }, 400, 'lastKnown.lat'],
        ['POST', '/api/subjects', { name: 'X', lastSeenAt: 'yesterday' }, 400, 'lastSeenAt'],
        ['PATCH', `/api/subjects/${s.id}`, {}, 400, ''],
        ['PATCH', `/api/subjects/${s.id}`, { status: 'found' }, 400, 'status'],
        ['PATCH', '/api/subjects/00000000-0000-4000-8000-000000000000', { status: 'located' }, 404, ''],
        ['POST', '/api/casualties', { triage: 'red' }, 400, 'memberId'],
        [
          'POST',
          '/api/casualties',
          { memberId: scott.memberId, subjectId: s.id, triage: 'red' },
          400,
          'memberId',
        ],
        [
          'POST',
          '/api/casualties',
          { subjectId: '00000000-0000-4000-8000-000000000000', triage: 'red' },
          404,
          'subjectId',
        ],
      ];
      for (const [method, url, payload, status, field] of cases) {
        const res = await call(method, url, scott, payload);
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(status);
        if (field) expect(res.json().error.details.field).toBe(field);
      }
      expect((await call('PATCH', `/api/subjects/${s.id}`, other, { status: 'located' })).statusCode).toBe(
        404,
      );
      expect((await post('/api/casualties', other, { subjectId: s.id, triage: 'red' })).statusCode).toBe(404);
      expect((await call('GET', '/api/subjects', other)).json().subjects).toEqual([]);
      expect(await state()).toEqual(before);
    });
  });

  describe('the board', () => {
    it('is 404 without an active operation, and only shows the caller team', async () => {
      expect((await call('GET', '/api/incident', scott)).statusCode).toBe(404);
      await callout();
      expect((await call('GET', '/api/incident', scott)).statusCode).toBe(200);
      expect((await call('GET', '/api/incident', other)).statusCode).toBe(404);
      expect(
        await h.services.incidents.board(other.teamId, (await board()).rollCall?.operationId ?? ''),
      ).toBe(null);
    });
  });
});
