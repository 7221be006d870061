import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type {
  MemberRecord,
  Qualification,
  Readiness,
  Skill,
  TrainingSession,
} from '../src/contract/training.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { useHarness } from './support/setup.ts';

type Who = AddedMember | 'admin';
const START = Date.parse('2026-11-25T10:00:00Z');
const DAY = 86_400_000;

describe.each(engines)('training records on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let alfa: AddedMember;
  let bravo: AddedMember;
  let other: AddedMember;

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    alfa = await h.addMember('Pack', 'ALFA');
    bravo = await h.addMember('Pack', 'BRAVO');
    other = await h.addMember('Other', 'OTHER', { role: 'leader' });
  });

  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    who: Who,
    payload?: object,
  ) =>
    h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${who === 'admin' ? ADMIN_SECRET : who.token}` },
      payload,
    });
  const ok = async <T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    who: Who,
    payload?: object,
    status = method === 'POST' ? 201 : 200,
  ): Promise<T> => {
    const res = await send(method, url, who, payload);
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const refused = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    who: Who,
    payload: object | undefined,
    status: number,
    field?: string,
  ) => {
    const res = await send(method, url, who, payload);
    expect(res.statusCode, res.body).toBe(status);
    if (field) expect(res.json().error.details.field).toBe(field);
    return res.json().error as { code: string; message: string };
  };
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  const skill = (body: object, who: Who = lead) => ok<Skill>('POST', '/api/skills', who, body);
  const signOff = (memberId: string, body: object) =>
    ok<Qualification>('POST', `/api/members/${memberId}/qualifications`, lead, body);
  const record = (memberId: string, who: Who = lead) =>
    ok<MemberRecord>('GET', `/api/members/${memberId}/record`, who);
  const readiness = (q = '') => ok<Readiness>('GET', `/api/readiness${q}`, lead);
  const session = (body: object = {}) =>
    ok<TrainingSession>('POST', '/api/training-sessions', lead, {
      title: 'Night navigation',
      place: 'Hale House',
      startsAt: '2026-10-14T18:00:00Z',
      endsAt: '2026-10-14T20:30:00Z',
      ...body,
    });

  describe('K9 members', () => {
    it('adds a K9 with its handler and lists it with both', async () => {
      const rex = await ok<AddedMember>('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'K9-REX',
        kind: 'animal',
        handlerId: alfa.memberId,
      });
      expect(rex).toMatchObject({ kind: 'animal', handlerId: alfa.memberId });
      const { members } = await ok<{
        members: { callsign: string; kind: string; handlerId: string | null }[];
      }>('GET', '/api/members', alfa);
      expect(members.find((m) => m.callsign === 'K9-REX')).toMatchObject({
        kind: 'animal',
        handlerId: alfa.memberId,
      });
      expect(members.find((m) => m.callsign === 'ALFA')).toMatchObject({ kind: 'person', handlerId: null });
    });

    it('adds a K9 through the admin (CLI) route with the handler by callsign', async () => {
      const rex = await ok<AddedMember>('POST', '/api/admin/members', 'admin', {
        name: 'Rex',
        callsign: 'REX',
        team: 'Pack',
        kind: 'animal',
        handler: 'bravo',
      });
      expect(rex).toMatchObject({ kind: 'animal', handlerId: bravo.memberId, memberId: expect.any(String) });
      expect(rex.token).toMatch(/^howl_/);
    });

    it('refuses a K9 without a handler, with a handler of another team or a K9 handler, and changes nothing', async () => {
      const rex = await ok<AddedMember>('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'REX',
        kind: 'animal',
        handlerId: alfa.memberId,
      });
      const before = await count('members');
      const dog = { name: 'Fido', callsign: 'FIDO', kind: 'animal' };
      await refused('POST', '/api/members', lead, dog, 400, 'handlerId');
      await refused('POST', '/api/members', lead, { ...dog, handlerId: other.memberId }, 400, 'handlerId');
      await refused('POST', '/api/members', lead, { ...dog, handlerId: rex.memberId }, 400, 'handlerId');
      await refused('POST', '/api/members', lead, { ...dog, handlerId: 'not-a-uuid' }, 400, 'handlerId');
      await refused(
        'POST',
        '/api/members',
        lead,
        { ...dog, kind: 'cat', handlerId: alfa.memberId },
        400,
        'kind',
      );
      await refused(
        'POST',
        '/api/members',
        lead,
        { name: 'P', callsign: 'P', handlerId: alfa.memberId },
        400,
        'handlerId',
      );
      await refused(
        'POST',
        '/api/members',
        lead,
        { ...dog, handlerId: alfa.memberId, role: 'leader' },
        400,
        'role',
      );
      await refused(
        'POST',
        '/api/admin/members',
        'admin',
        { ...dog, team: 'Pack', handler: 'NOBODY' },
        400,
        'handler',
      );
      expect(await count('members')).toBe(before);
    });
  });

  describe('skills catalogue', () => {
    it('lets a leader add, change and archive skills, and any member list them', async () => {
      const fa = await skill({ name: 'First aid', required: true, validityMonths: 24 });
      expect(fa).toMatchObject({ name: 'First aid', required: true, validityMonths: 24 });
      await skill({ name: 'Navigation' });
      const changed = await ok<Skill>('PATCH', `/api/skills/${fa.id}`, lead, {
        name: 'First aid (ERC)',
        validityMonths: 36,
      });
      expect(changed).toMatchObject({ name: 'First aid (ERC)', required: true, validityMonths: 36 });
      const listed = await ok<{ skills: Skill[] }>('GET', '/api/skills', alfa);
      expect(listed.skills.map((s) => s.name)).toEqual(['First aid (ERC)', 'Navigation']);
      expect((await send('DELETE', `/api/skills/${fa.id}`, lead)).statusCode).toBe(204);
      expect((await ok<{ skills: Skill[] }>('GET', '/api/skills', alfa)).skills.map((s) => s.name)).toEqual([
        'Navigation',
      ]);
      // An archived name is free again.
      await skill({ name: 'first aid (erc)' });
    });

    it('refuses a duplicate name, a member, another team and bad input, changing nothing', async () => {
      const nav = await skill({ name: 'Navigation' });
      const fa = await skill({ name: 'First aid' });
      const before = await count('skills');
      await refused('POST', '/api/skills', lead, { name: 'NAVIGATION' }, 409, 'name');
      await refused('PATCH', `/api/skills/${fa.id}`, lead, { name: 'navigation' }, 409, 'name');
      await refused('POST', '/api/skills', alfa, { name: 'Crossbow' }, 403);
      await refused('PATCH', `/api/skills/${nav.id}`, alfa, { required: true }, 403);
      await refused('DELETE', `/api/skills/${nav.id}`, alfa, undefined, 403);
      await refused('PATCH', `/api/skills/${nav.id}`, other, { required: true }, 404);
      await refused('DELETE', `/api/skills/${nav.id}`, other, undefined, 404);
      await refused('POST', '/api/skills', lead, { name: ' ' }, 400, 'name');
      await refused('POST', '/api/skills', lead, { name: 'Blade', validityMonths: 0 }, 400, 'validityMonths');
      await refused('PATCH', '/api/skills/nope', lead, { required: true }, 400, 'skillId');
      expect(await count('skills')).toBe(before);
      expect((await ok<{ skills: Skill[] }>('GET', '/api/skills', other)).skills).toEqual([]);
      expect(
        (await ok<{ skills: Skill[] }>('GET', '/api/skills', lead)).skills.find((s) => s.id === nav.id),
      ).toMatchObject({
        name: 'Navigation',
        required: false,
      });
    });
  });

  describe('qualifications and field-readiness', () => {
    it("defaults the expiry to the skill's validity and shows the member field-ready", async () => {
      const fa = await skill({ name: 'First aid', required: true, validityMonths: 24 });
      const q = await signOff(alfa.memberId, { skillId: fa.id, signedAt: '2026-01-31', note: 'ERC course' });
      expect(q).toMatchObject({
        memberId: alfa.memberId,
        skillName: 'First aid',
        signedOffBy: lead.memberId,
        signedOffByCallsign: 'LEAD',
        signedAt: '2026-01-31T00:00:00.000Z',
        expiresAt: '2028-01-31T00:00:00.000Z',
        note: 'ERC course',
        status: 'current',
      });
      const rec = await record(alfa.memberId, alfa);
      expect(rec).toMatchObject({ fieldReady: true, notReadyBecause: [], kind: 'person' });
      expect((await record(bravo.memberId)).notReadyBecause).toEqual(['no First aid sign-off']);
    });

    it('makes a member not field-ready once a required qualification expires', async () => {
      const fa = await skill({ name: 'First aid', required: true });
      await signOff(alfa.memberId, { skillId: fa.id, expiresAt: '2026-12-05' });
      let r = await readiness();
      expect(r.members.find((m) => m.callsign === 'ALFA')).toMatchObject({ fieldReady: true });
      expect(r.expiringSoon.map((q) => q.memberId)).toEqual([alfa.memberId]);
      expect(r.expiringSoon[0]?.status).toBe('expiring');
      clock.ms = START + 10 * DAY;
      r = await readiness();
      const row = r.members.find((m) => m.callsign === 'ALFA');
      expect(row).toMatchObject({ fieldReady: false, notReadyBecause: ['First aid expired 2026-12-05'] });
      expect(row?.qualifications[0]?.status).toBe('expired');
      expect(r.expiringSoon).toEqual([]);
      expect((await record(alfa.memberId)).fieldReady).toBe(false);
    });

    it('tells the team’s open screens of each change with a logged event', async () => {
      const fa = await skill({ name: 'First aid', required: true });
      await signOff(alfa.memberId, { skillId: fa.id });
      const rows = await d.db
        .selectFrom('events')
        .select(['type', 'payload'])
        .where('type', '=', 'training.updated')
        .orderBy('seq')
        .execute();
      const changes = rows.map((r) => (r.payload as { change: string }).change);
      expect(changes).toEqual(['skills', 'qualifications']);
    });

    it('asks of people and K9s only the required skills that are for them', async () => {
      const rex = await ok<AddedMember>('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'K9-REX',
        kind: 'animal',
        handlerId: alfa.memberId,
      });
      const fa = await skill({ name: 'First aid', required: true, appliesTo: 'person' });
      const trailing = await skill({ name: 'Trailing certificate', required: true, appliesTo: 'animal' });
      expect(fa.appliesTo).toBe('person');
      await signOff(alfa.memberId, { skillId: fa.id });
      const r = await readiness();
      expect(r.members.find((m) => m.callsign === 'ALFA')).toMatchObject({ fieldReady: true });
      expect(r.members.find((m) => m.callsign === 'K9-REX')).toMatchObject({
        fieldReady: false,
        notReadyBecause: ['no Trailing certificate sign-off'],
      });
      await signOff(rex.memberId, { skillId: trailing.id });
      expect((await record(rex.memberId)).fieldReady).toBe(true);
      // Made a skill for everyone, first aid is asked of the K9 as well.
      await ok('PATCH', `/api/skills/${fa.id}`, lead, { appliesTo: 'all' });
      expect((await record(rex.memberId)).notReadyBecause).toEqual(['no First aid sign-off']);
      await refused('PATCH', `/api/skills/${fa.id}`, lead, { appliesTo: 'dogs' }, 400, 'appliesTo');
      // A people-only skill cannot be signed off for a K9, nor a K9 one for a person.
      const radio = await skill({ name: 'Radio operator', appliesTo: 'person' });
      await refused(
        'POST',
        `/api/members/${rex.memberId}/qualifications`,
        lead,
        { skillId: radio.id },
        400,
        'skillId',
      );
      await refused(
        'POST',
        `/api/members/${alfa.memberId}/qualifications`,
        lead,
        { skillId: trailing.id },
        400,
        'skillId',
      );
    });

    it('revokes a qualification', async () => {
      const fa = await skill({ name: 'First aid', required: true });
      const q = await signOff(alfa.memberId, { skillId: fa.id, expiresAt: null });
      expect(q.expiresAt).toBeNull();
      await refused('DELETE', `/api/qualifications/${q.id}`, alfa, undefined, 403);
      await refused('DELETE', `/api/qualifications/${q.id}`, other, undefined, 404);
      expect((await send('DELETE', `/api/qualifications/${q.id}`, lead)).statusCode).toBe(204);
      await refused('DELETE', `/api/qualifications/${q.id}`, lead, undefined, 404);
      const rec = await record(alfa.memberId);
      expect(rec.qualifications).toEqual([]);
      expect(rec.notReadyBecause).toEqual(['no First aid sign-off']);
    });

    it('refuses bad sign-offs and changes nothing', async () => {
      const fa = await skill({ name: 'First aid' });
      const otherSkill = await skill({ name: 'Blade' }, other);
      const url = `/api/members/${alfa.memberId}/qualifications`;
      await refused('POST', url, alfa, { skillId: fa.id }, 403);
      await refused('POST', url, other, { skillId: otherSkill.id }, 404);
      await refused('POST', `/api/members/${other.memberId}/qualifications`, lead, { skillId: fa.id }, 404);
      await refused('POST', url, lead, { skillId: otherSkill.id }, 400, 'skillId');
      await refused('POST', url, lead, { skillId: 'x' }, 400, 'skillId');
      await refused('POST', url, lead, { skillId: fa.id, signedAt: 'yesterday' }, 400, 'signedAt');
      await refused('POST', url, lead, { skillId: fa.id, signedAt: '2027-06-01' }, 400, 'signedAt');
      await refused(
        'POST',
        url,
        lead,
        { skillId: fa.id, signedAt: '2026-06-01', expiresAt: '2026-05-01' },
        400,
        'expiresAt',
      );
      expect(await count('qualifications')).toBe(0);
    });
  });

  describe('member record', () => {
    it('is readable by the member, a leader and a K9 handler, not by another member or team', async () => {
      const rex = await ok<AddedMember>('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'REX',
        kind: 'animal',
        handlerId: alfa.memberId,
      });
      expect((await record(alfa.memberId, alfa)).callsign).toBe('ALFA');
      expect(await record(rex.memberId, alfa)).toMatchObject({ kind: 'animal', handlerId: alfa.memberId });
      await refused('GET', `/api/members/${alfa.memberId}/record`, bravo, undefined, 403);
      await refused('GET', `/api/members/${alfa.memberId}/record`, other, undefined, 404);
      await refused('GET', '/api/members/zzz/record', lead, undefined, 400, 'memberId');
    });

    it('lists exercises with role and played hours, sessions attended, and skills practised', async () => {
      const nav = await skill({ name: 'Navigation' });
      const s = await session({ skillIds: [nav.id, nav.id] });
      expect(s.skillIds).toEqual([nav.id]);
      await ok('PUT', `/api/training-sessions/${s.id}/attendance`, lead, {
        entries: [
          { memberId: alfa.memberId, status: 'present' },
          { memberId: bravo.memberId, status: 'excused' },
        ],
      });
      const ex = await ok<{ id: string }>('POST', '/api/operations', lead, {
        name: 'Mock attack',
        participants: [{ memberId: alfa.memberId, role: 'runner' }],
      });
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'start' }, 200);
      clock.ms += 90 * 60_000;
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'end' }, 200);
      const rec = await record(alfa.memberId);
      expect(rec.attended.map((a) => [a.kind, a.name, a.role, a.hours])).toEqual([
        ['exercise', 'Mock attack', 'runner', 1.5],
        ['session', 'Night navigation', 'present', 2.5],
      ]);
      expect(rec.hoursTotal).toBe(4);
      expect(rec.skills).toEqual([
        { skillId: nav.id, name: 'Navigation', times: 1, hours: 2.5, last: s.startsAt },
      ]);
      expect((await record(bravo.memberId)).attended).toEqual([]);
    });

    it("counts a K9's drills and sessions in its handler's hours, once, without the roll calls", async () => {
      const rex = await ok<AddedMember>('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'K9-REX',
        kind: 'animal',
        handlerId: bravo.memberId,
      });
      const ex = await ok<{ id: string }>('POST', '/api/operations', lead, {
        name: 'Trailing at the quarry',
        participants: [{ memberId: rex.memberId, role: 'tracker' }],
      });
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'start' }, 200);
      clock.ms += 60 * 60_000;
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'end' }, 200);
      // Both took part in this one: counted once for the handler, in their own role.
      const both = await ok<{ id: string }>('POST', '/api/operations', lead, {
        name: 'Area search',
        participants: [
          { memberId: rex.memberId, role: 'tracker' },
          { memberId: bravo.memberId, role: 'tracker' },
        ],
      });
      await ok('POST', `/api/operations/${both.id}/actions`, lead, { action: 'start' }, 200);
      clock.ms += 30 * 60_000;
      await ok('POST', `/api/operations/${both.id}/actions`, lead, { action: 'end' }, 200);
      const handler = await record(bravo.memberId);
      expect(handler.attended.map((a) => [a.name, a.role, a.hours]).sort()).toEqual([
        ['Area search', 'tracker', 0.5],
        ['Trailing at the quarry', 'handler of K9-REX', 1],
      ]);
      expect(handler.hoursTotal).toBe(1.5);
      expect((await record(rex.memberId)).hoursTotal).toBe(1.5);
      expect((await record(alfa.memberId)).attended.map((a) => a.name)).not.toContain(
        'Trailing at the quarry',
      );
      const hours = (await readiness()).hours.rows;
      expect(hours.find((r) => r.callsign === 'BRAVO')?.total).toBe(1.5);
      expect(hours.find((r) => r.callsign === 'ALFA')?.total).toBe(0);
    });

    it("lists a recorded tracking drill with its span as hours and the tracker's share followed", async () => {
      const id = '00000000-0000-4000-8000-00000000d001';
      await d.db
        .insertInto('operations')
        .values({
          id,
          team_id: lead.teamId,
          kind: 'exercise',
          type: 'tracking',
          name: 'Quarry trail',
          state: 'ended',
          created_at: new Date('2026-09-30T23:00:00Z'),
          started_at: new Date('2026-09-30T23:00:00Z'),
          ended_at: new Date('2026-10-01T00:30:00Z'),
        })
        .execute();
      await d.db
        .insertInto('operation_participants')
        .values([
          { operation_id: id, member_id: alfa.memberId, role: 'tracker' },
          { operation_id: id, member_id: bravo.memberId, role: 'runner' },
        ])
        .execute();
      await d.db
        .insertInto('drill_scores')
        .values({
          operation_id: id,
          tracker_id: alfa.memberId,
          team_id: lead.teamId,
          drill_time: new Date('2026-09-30T23:00:00Z'),
          share_followed: 0.82,
          share_followed_smooth: 0.8,
          mean_deviation_m: 7,
          time_to_find_s: 3000,
          score: JSON.stringify({}),
          scored_at: new Date('2026-10-01T01:00:00Z'),
        })
        .execute();
      const rec = await record(alfa.memberId);
      expect(rec.attended).toMatchObject([
        { kind: 'drill', name: 'Quarry trail', role: 'tracker', hours: 1.5, shareFollowed: 0.82 },
      ]);
      expect((await record(bravo.memberId)).attended[0]).toMatchObject({
        role: 'runner',
        shareFollowed: null,
      });
      const r = await readiness('?from=2026-09&to=2026-10');
      expect(r.hours.rows.find((x) => x.callsign === 'ALFA')).toMatchObject({ hours: [1, 0.5], total: 1.5 });
    });

    it('lists a real incident the member was accounted for in, without counting it as training hours', async () => {
      await ok('POST', '/api/escalate', bravo, { reason: 'walker fell at the quarry' });
      clock.ms += 3_600_000;
      const rec = await record(alfa.memberId);
      expect(rec.attended).toMatchObject([{ kind: 'incident', role: 'roll call', hours: 0 }]);
      expect(rec.hoursTotal).toBe(0);
    });
  });

  describe('readiness and hours', () => {
    it('reports hours of a session and an ended exercise in two months, in JSON and CSV', async () => {
      const s = await session();
      await ok('PUT', `/api/training-sessions/${s.id}/attendance`, lead, {
        entries: [{ memberId: alfa.memberId, status: 'present' }],
      });
      const ex = await ok<{ id: string }>('POST', '/api/operations', lead, {
        name: 'Drill',
        participants: [
          { memberId: alfa.memberId, role: 'tracker' },
          { memberId: bravo.memberId, role: 'runner' },
        ],
      });
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'start' }, 200);
      clock.ms += 2 * 3_600_000;
      await ok('POST', `/api/operations/${ex.id}/actions`, lead, { action: 'end' }, 200);

      const r = await readiness('?from=2026-10&to=2026-11');
      expect(r.hours.months).toEqual(['2026-10', '2026-11']);
      const rows = Object.fromEntries(r.hours.rows.map((x) => [x.callsign, [x.hours, x.total]]));
      expect(rows).toEqual({ ALFA: [[2.5, 2], 4.5], BRAVO: [[0, 2], 2], LEAD: [[0, 0], 0] });

      const csv = await send('GET', '/api/readiness/hours.csv?from=2026-10&to=2026-11', lead);
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="howl-hours-2026-10-to-2026-11.csv"',
      );
      expect(csv.body).toBe(
        'member,callsign,2026-10,2026-11,total\r\nALFA name,ALFA,2.5,2,4.5\r\nBRAVO name,BRAVO,0,2,2\r\nLEAD name,LEAD,0,0,0\r\n',
      );
      // Default range: the last twelve months up to this one.
      expect((await readiness()).hours.months).toHaveLength(12);
    });

    it('is for leaders only, of their own team, and refuses bad months naming the field', async () => {
      await refused('GET', '/api/readiness', alfa, undefined, 403);
      await refused('GET', '/api/readiness/hours.csv', alfa, undefined, 403);
      await refused('GET', '/api/readiness?from=2026-13', lead, undefined, 400, 'from');
      await refused('GET', '/api/readiness/hours.csv?to=26-01', lead, undefined, 400, 'to');
      await refused('GET', '/api/readiness?from=2026-05&to=2026-01', lead, undefined, 400, 'to');
      await refused('GET', '/api/readiness?from=2023-01&to=2026-01', lead, undefined, 400, 'to');
      const fa = await skill({ name: 'First aid', required: true });
      await signOff(alfa.memberId, { skillId: fa.id });
      const theirs = await ok<Readiness>('GET', '/api/readiness', other);
      expect(theirs.skills).toEqual([]);
      expect(theirs.members.map((m) => m.callsign)).toEqual(['OTHER']);
    });
  });

  describe('calendar', () => {
    it('schedules, changes, lists by range and cancels sessions', async () => {
      const s = await session();
      expect(s).toMatchObject({
        title: 'Night navigation',
        place: 'Hale House',
        cancelled: false,
        attendance: [],
      });
      await session({
        title: 'First aid refresher',
        startsAt: '2026-12-02T18:00:00Z',
        endsAt: '2026-12-02T20:00:00Z',
      });
      const moved = await ok<TrainingSession>('PATCH', `/api/training-sessions/${s.id}`, lead, {
        place: 'Quarry',
        endsAt: '2026-10-14T21:00:00Z',
      });
      expect(moved).toMatchObject({ place: 'Quarry', endsAt: '2026-10-14T21:00:00.000Z' });
      const dec = await ok<{ sessions: TrainingSession[] }>(
        'GET',
        '/api/training-sessions?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z',
        alfa,
      );
      expect(dec.sessions.map((x) => x.title)).toEqual(['First aid refresher']);
      const all = await ok<{ sessions: TrainingSession[] }>('GET', '/api/training-sessions', alfa);
      expect(all.sessions.map((x) => x.title)).toEqual(['Night navigation', 'First aid refresher']);
      expect(
        (await ok<TrainingSession>('PATCH', `/api/training-sessions/${s.id}`, lead, { cancelled: true }))
          .cancelled,
      ).toBe(true);
      expect(
        (await ok<{ sessions: TrainingSession[] }>('GET', '/api/training-sessions', other)).sessions,
      ).toEqual([]);
    });

    it('takes attendance, replacing earlier entries', async () => {
      const s = await session();
      const url = `/api/training-sessions/${s.id}/attendance`;
      await ok('PUT', url, lead, { entries: [{ memberId: alfa.memberId, status: 'absent' }] });
      const after = await ok<TrainingSession>('PUT', url, lead, {
        entries: [
          { memberId: alfa.memberId, status: 'present' },
          { memberId: bravo.memberId, status: 'excused' },
        ],
      });
      expect(after.attendance).toEqual(
        expect.arrayContaining([
          { memberId: alfa.memberId, status: 'present' },
          { memberId: bravo.memberId, status: 'excused' },
        ]),
      );
      expect(after.attendance).toHaveLength(2);
    });

    it('refuses bad sessions and attendance, changing nothing', async () => {
      const nav = await skill({ name: 'Navigation' });
      const theirs = await skill({ name: 'Blade' }, other);
      const s = await session({ skillIds: [nav.id] });
      const before = {
        sessions: await count('training_sessions'),
        skills: await count('training_session_skills'),
      };
      const base = { title: 'X', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T12:00:00Z' };
      await refused(
        'POST',
        '/api/training-sessions',
        lead,
        { ...base, endsAt: base.startsAt },
        400,
        'endsAt',
      );
      await refused(
        'POST',
        '/api/training-sessions',
        lead,
        { ...base, skillIds: [theirs.id] },
        400,
        'skillIds.0',
      );
      await refused('POST', '/api/training-sessions', lead, { ...base, startsAt: 'soon' }, 400, 'startsAt');
      await refused('POST', '/api/training-sessions', lead, { ...base, title: '' }, 400, 'title');
      await refused('POST', '/api/training-sessions', alfa, base, 403);
      await refused(
        'PATCH',
        `/api/training-sessions/${s.id}`,
        lead,
        { endsAt: '2026-10-14T17:00:00Z' },
        400,
        'endsAt',
      );
      await refused(
        'PATCH',
        `/api/training-sessions/${s.id}`,
        lead,
        { skillIds: [theirs.id] },
        400,
        'skillIds.0',
      );
      await refused('PATCH', `/api/training-sessions/${s.id}`, alfa, { title: 'Mine' }, 403);
      await refused('PATCH', `/api/training-sessions/${s.id}`, other, { title: 'Ours' }, 404);
      await refused(
        'GET',
        '/api/training-sessions?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
        lead,
        undefined,
        400,
        'to',
      );
      expect({
        sessions: await count('training_sessions'),
        skills: await count('training_session_skills'),
      }).toEqual(before);
      const unchanged = (await ok<{ sessions: TrainingSession[] }>('GET', '/api/training-sessions', lead))
        .sessions[0];
      expect(unchanged).toMatchObject({ title: 'Night navigation', endsAt: s.endsAt, skillIds: [nav.id] });

      const url = `/api/training-sessions/${s.id}/attendance`;
      const present = (memberId: string) => ({ memberId, status: 'present' });
      await refused(
        'PUT',
        url,
        lead,
        { entries: [present(alfa.memberId), present(other.memberId)] },
        400,
        'entries.1.memberId',
      );
      await refused(
        'PUT',
        url,
        lead,
        { entries: [present(alfa.memberId), present(alfa.memberId)] },
        400,
        'entries.1.memberId',
      );
      await refused(
        'PUT',
        url,
        lead,
        { entries: [{ memberId: alfa.memberId, status: 'late' }] },
        400,
        'entries.0.status',
      );
      await refused('PUT', url, lead, { entries: [] }, 400, 'entries');
      await refused('PUT', url, alfa, { entries: [present(alfa.memberId)] }, 403);
      await refused('PUT', url, other, { entries: [present(other.memberId)] }, 404);
      await ok('PATCH', `/api/training-sessions/${s.id}`, lead, { cancelled: true });
      await refused('PUT', url, lead, { entries: [present(alfa.memberId)] }, 409, 'sessionId');
      expect(await count('attendance')).toBe(0);
    });
  });
});
