// The training service called directly, on every engine: the skills catalogue, sign-offs with their
// expiry, and training sessions with attendance.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AddQualificationBody,
  AttendanceBody,
  CreateSkillBody,
  CreateTrainingSessionBody,
} from '../../src/contract/training.ts';
import { FakeClock } from '../support/clock.ts';
import { engines } from '../support/engines.ts';
import { said, type TestTeam, useServices } from '../support/setup.ts';

const START = Date.parse('2026-10-01T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(engines)('the training service on $name', (engine) => {
  const clock = new FakeClock(START);
  const s = useServices(engine, { clock });
  let pack: TestTeam<'LEAD' | 'ALFA' | 'BRAVO'>;
  beforeEach(async () => {
    pack = await s.team('Pack', 'LEAD', ['ALFA', 'BRAVO']);
  });

  // The routes hand the services what the contract's schemas parsed; so do these tests.
  const skill = (name: string, validityMonths: number | null = null) =>
    s.services.training.createSkill(
      pack.as.LEAD,
      pack.id,
      CreateSkillBody.parse({ name, required: true, validityMonths }),
    );

  it('adds a skill to the catalogue for a leader, once per name, and logs it', async () => {
    const before = await s.lastSeq(pack.id);
    const firstAid = await skill('First aid', 24);
    expect(firstAid).toEqual({
      id: expect.any(String),
      name: 'First aid',
      required: true,
      appliesTo: 'all',
      validityMonths: 24,
    });
    await expect(skill('First aid')).rejects.toMatchObject({ status: 409, details: { field: 'name' } });
    await expect(
      s.services.training.createSkill(pack.as.ALFA, pack.id, CreateSkillBody.parse({ name: 'Knots' })),
    ).rejects.toMatchObject({ status: 403 });
    expect(await s.services.training.skills(pack.as.ALFA, pack.id)).toEqual([firstAid]);
    const events = await s.events(pack.id, before);
    expect(events.map(said)).toEqual([['training.updated', 'skills', 'real']]);
    expect(events[0]).toMatchObject({ by: pack.m.LEAD.memberId });
  });

  it('signs a member off in a skill, valid for the skill’s months, and revokes the sign-off', async () => {
    const firstAid = await skill('First aid', 24);
    const before = await s.lastSeq(pack.id);
    const q = await s.services.training.addQualification(
      pack.as.LEAD,
      pack.id,
      pack.m.ALFA.memberId,
      AddQualificationBody.parse({ skillId: firstAid.id, note: 'course at the station' }),
    );
    expect(q).toMatchObject({
      memberId: pack.m.ALFA.memberId,
      skillId: firstAid.id,
      skillName: 'First aid',
      signedOffBy: pack.m.LEAD.memberId,
      signedOffByCallsign: 'LEAD',
      signedAt: iso(START),
      expiresAt: '2028-10-01T09:00:00.000Z',
      note: 'course at the station',
      status: 'current',
    });
    expect(await s.services.training.qualifications(pack.as.ALFA, pack.id, pack.m.ALFA.memberId)).toEqual([
      q,
    ]);
    await expect(
      s.services.training.addQualification(
        pack.as.ALFA,
        pack.id,
        pack.m.BRAVO.memberId,
        AddQualificationBody.parse({ skillId: firstAid.id }),
      ),
    ).rejects.toMatchObject({ status: 403 });

    await s.services.training.revokeQualification(pack.as.LEAD, pack.id, q.id);
    expect(await s.services.training.qualifications(pack.as.LEAD, pack.id, pack.m.ALFA.memberId)).toEqual([]);
    await expect(s.services.training.revokeQualification(pack.as.LEAD, pack.id, q.id)).rejects.toMatchObject({
      status: 404,
    });
    expect((await s.events(pack.id, before)).map(said)).toEqual([
      ['training.updated', 'qualifications', 'real'],
      ['training.updated', 'qualifications', 'real'],
    ]);
  });

  it('plans a session with the skills practised and takes attendance of team members only', async () => {
    const nav = await skill('Navigation');
    const other = await s.team('Other', 'OTHER');
    const before = await s.lastSeq(pack.id);
    const session = await s.services.training.createSession(
      pack.as.LEAD,
      pack.id,
      CreateTrainingSessionBody.parse({
        title: 'Night navigation',
        place: 'Quarry',
        startsAt: '2026-10-08T18:00:00Z',
        endsAt: '2026-10-08T21:00:00Z',
        skillIds: [nav.id],
      }),
    );
    expect(session).toMatchObject({
      title: 'Night navigation',
      place: 'Quarry',
      startsAt: '2026-10-08T18:00:00.000Z',
      endsAt: '2026-10-08T21:00:00.000Z',
      skillIds: [nav.id],
      cancelled: false,
      attendance: [],
    });
    await expect(
      s.services.training.setAttendance(
        pack.as.LEAD,
        pack.id,
        session.id,
        AttendanceBody.parse({ entries: [{ memberId: other.m.OTHER.memberId, status: 'present' }] }),
      ),
    ).rejects.toMatchObject({ status: 400, details: { field: 'entries.0.memberId' } });
    const taken = await s.services.training.setAttendance(
      pack.as.LEAD,
      pack.id,
      session.id,
      AttendanceBody.parse({
        entries: [
          { memberId: pack.m.ALFA.memberId, status: 'present' },
          { memberId: pack.m.BRAVO.memberId, status: 'excused' },
        ],
      }),
    );
    expect([...taken.attendance].sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { memberId: pack.m.BRAVO.memberId, status: 'excused' },
      { memberId: pack.m.ALFA.memberId, status: 'present' },
    ]);
    expect(await s.services.training.sessions(pack.as.BRAVO, pack.id, {})).toEqual([taken]);
    expect((await s.events(pack.id, before)).map(said)).toEqual([
      ['training.updated', 'sessions', 'real'],
      ['training.updated', 'attendance', 'real'],
    ]);
  });
});
