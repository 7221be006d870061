import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { badRequest, conflict, type HowlError, notFound } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import type {
  AddQualificationBody,
  AttendanceBody,
  CreateSkillBody,
  CreateTrainingSessionBody,
  Qualification,
  Skill,
  TrainingSession,
  TrainingSessionQuery,
  UpdateSkillBody,
  UpdateTrainingSessionBody,
} from '../../contract/training.ts';
import { addMonthsMs, skillAppliesTo } from '../../domain/readiness.ts';
import { getMember, listMembers } from '../../store/members.repo.ts';
import {
  getQualification,
  insertQualification,
  listQualifications,
  revokeQualification,
} from '../../store/qualifications.repo.ts';
import type { DB } from '../../store/schema.ts';
import {
  attendanceOfSessions,
  getTrainingSession,
  insertTrainingSession,
  listTrainingSessions,
  setTrainingSessionSkills,
  skillsOfSessions,
  type TrainingSessionRow,
  updateTrainingSession,
  upsertAttendance,
} from '../../store/sessions.repo.ts';
import {
  findSkillByName,
  getSkill,
  insertSkill,
  listSkills,
  type SkillRow,
  updateSkill,
} from '../../store/skills.repo.ts';
import { type Auth, requireLeader, requireMember, requireSelf } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { toQualification } from './training-activities.ts';

type In<T extends z.ZodTypeAny> = z.output<T>;
type TrainingChange = Extract<LiveEvent, { type: 'training.updated' }>['change'];

const actorOf = (auth: Auth) => (auth.kind === 'member' ? auth.memberId : null);

export function toSkill(s: SkillRow): Skill {
  return {
    id: s.id,
    name: s.name,
    required: s.required,
    appliesTo: s.applies_to,
    validityMonths: s.validity_months,
  };
}

/** A unique-constraint violation (PostgreSQL 23505): a racing duplicate. */
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/** The team's skills catalogue, qualifications (instructor sign-offs) and training calendar. */
export class TrainingService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Tells the team's open screens that the catalogue, sign-offs, calendar or attendance changed. */
  private async changed(teamId: string, change: TrainingChange, auth: Auth): Promise<void> {
    const by = actorOf(auth);
    const event = await logEvent(this.db, teamId, { type: 'training.updated', change, by }, by, this.now());
    publishEvents(this.bus, teamId, [event]);
  }

  async skills(auth: Auth, teamId: string): Promise<Skill[]> {
    requireMember(auth, teamId);
    return (await listSkills(this.db, teamId)).map(toSkill);
  }

  async createSkill(auth: Auth, teamId: string, body: In<typeof CreateSkillBody>): Promise<Skill> {
    requireLeader(auth, teamId);
    const skill = await this.uniqueName(body.name, () =>
      this.db.transaction().execute(async (trx) => {
        if (await findSkillByName(trx, teamId, body.name)) throw duplicateSkill(body.name);
        const row = await insertSkill(trx, {
          id: randomUUID(),
          team_id: teamId,
          name: body.name,
          required: body.required,
          applies_to: body.appliesTo,
          validity_months: body.validityMonths,
        });
        return toSkill(row);
      }),
    );
    await this.changed(teamId, 'skills', auth);
    return skill;
  }

  async updateSkill(
    auth: Auth,
    teamId: string,
    skillId: string,
    body: In<typeof UpdateSkillBody>,
  ): Promise<Skill> {
    requireLeader(auth, teamId);
    const skill = await this.uniqueName(body.name ?? '', () =>
      this.db.transaction().execute(async (trx) => {
        await this.currentSkill(trx, teamId, skillId);
        if (body.name !== undefined) {
          const same = await findSkillByName(trx, teamId, body.name);
          if (same && same.id !== skillId) throw duplicateSkill(body.name);
        }
        const row = await updateSkill(trx, skillId, {
          ...(body.name !== undefined && { name: body.name }),
          ...(body.required !== undefined && { required: body.required }),
          ...(body.appliesTo !== undefined && { applies_to: body.appliesTo }),
          ...(body.validityMonths !== undefined && { validity_months: body.validityMonths }),
        });
        return toSkill(row);
      }),
    );
    await this.changed(teamId, 'skills', auth);
    return skill;
  }

  /** Archives a skill: it leaves the catalogue and readiness; past sign-offs stay stored. */
  async archiveSkill(auth: Auth, teamId: string, skillId: string): Promise<void> {
    requireLeader(auth, teamId);
    await this.currentSkill(this.db, teamId, skillId);
    await updateSkill(this.db, skillId, { archived_at: this.now() });
    await this.changed(teamId, 'skills', auth);
  }

  /** An instructor's (leader's) sign-off; the expiry defaults to the skill's validity after `signedAt`. */
  async addQualification(
    auth: Auth,
    teamId: string,
    memberId: string,
    body: In<typeof AddQualificationBody>,
  ): Promise<Qualification> {
    requireLeader(auth, teamId);
    const signer = requireSelf(auth);
    const now = this.now();
    const member = await getMember(this.db, memberId);
    if (!member || member.team_id !== teamId || member.removed_at) throw notFound('member');
    const skill = await getSkill(this.db, body.skillId);
    if (!skill || skill.team_id !== teamId || skill.archived_at)
      throw badRequest('skillId', 'not a skill of this team');
    if (!skillAppliesTo(skill.applies_to, member.kind))
      throw badRequest(
        'skillId',
        `${skill.name} is for ${skill.applies_to === 'person' ? 'people' : 'K9s'} only, and ${member.callsign} is ${member.kind === 'animal' ? 'a K9' : 'a person'}`,
      );
    const signedAt = body.signedAt ? new Date(body.signedAt) : now;
    if (signedAt.getTime() > now.getTime() + 86_400_000) throw badRequest('signedAt', 'is in the future');
    let expiresAt: Date | null;
    if (body.expiresAt === undefined)
      expiresAt = skill.validity_months
        ? new Date(addMonthsMs(signedAt.getTime(), skill.validity_months))
        : null;
    else expiresAt = body.expiresAt === null ? null : new Date(body.expiresAt);
    if (expiresAt && expiresAt.getTime() <= signedAt.getTime())
      throw badRequest('expiresAt', 'must be after signedAt');
    const id = randomUUID();
    await insertQualification(this.db, {
      id,
      team_id: teamId,
      member_id: memberId,
      skill_id: skill.id,
      signed_off_by: signer.memberId,
      signed_at: signedAt,
      expires_at: expiresAt,
      note: body.note,
    });
    const row = await getQualification(this.db, id);
    if (!row) throw notFound('qualification');
    await this.changed(teamId, 'qualifications', auth);
    return toQualification(row, now.getTime());
  }

  async revokeQualification(auth: Auth, teamId: string, qualificationId: string): Promise<void> {
    requireLeader(auth, teamId);
    const q = await getQualification(this.db, qualificationId);
    if (!q || q.team_id !== teamId || q.revoked_at) throw notFound('qualification');
    await revokeQualification(this.db, qualificationId, this.now());
    await this.changed(teamId, 'qualifications', auth);
  }

  /** Sign-offs not revoked, of the team or one member, newest first. */
  async qualifications(auth: Auth, teamId: string, memberId?: string): Promise<Qualification[]> {
    requireMember(auth, teamId);
    const nowMs = this.now().getTime();
    return (await listQualifications(this.db, teamId, memberId)).map((q) => toQualification(q, nowMs));
  }

  async sessions(
    auth: Auth,
    teamId: string,
    query: In<typeof TrainingSessionQuery>,
  ): Promise<TrainingSession[]> {
    requireMember(auth, teamId);
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && to <= from) throw badRequest('to', 'must be after from');
    return this.withDetails(await listTrainingSessions(this.db, teamId, { from, to }));
  }

  async createSession(
    auth: Auth,
    teamId: string,
    body: In<typeof CreateTrainingSessionBody>,
  ): Promise<TrainingSession> {
    requireLeader(auth, teamId);
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    if (endsAt <= startsAt) throw badRequest('endsAt', 'must be after startsAt');
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      const skillIds = await this.teamSkillIds(trx, teamId, body.skillIds);
      await insertTrainingSession(trx, {
        id,
        team_id: teamId,
        title: body.title,
        place: body.place,
        starts_at: startsAt,
        ends_at: endsAt,
        notes: body.notes,
        created_by: actorOf(auth),
      });
      await setTrainingSessionSkills(trx, id, skillIds);
    });
    await this.changed(teamId, 'sessions', auth);
    return this.session(teamId, id);
  }

  /** Changes a session; `cancelled: true` cancels it (false reinstates it). */
  async updateSession(
    auth: Auth,
    teamId: string,
    sessionId: string,
    body: In<typeof UpdateTrainingSessionBody>,
  ): Promise<TrainingSession> {
    requireLeader(auth, teamId);
    await this.db.transaction().execute(async (trx) => {
      const s = await this.teamSession(trx, teamId, sessionId);
      const startsAt = body.startsAt ? new Date(body.startsAt) : new Date(s.starts_at);
      const endsAt = body.endsAt ? new Date(body.endsAt) : new Date(s.ends_at);
      if (endsAt <= startsAt) throw badRequest(body.endsAt ? 'endsAt' : 'startsAt', 'must be after startsAt');
      const skillIds = body.skillIds && (await this.teamSkillIds(trx, teamId, body.skillIds));
      await updateTrainingSession(trx, sessionId, {
        ...(body.title !== undefined && { title: body.title }),
        ...(body.place !== undefined && { place: body.place }),
        ...(body.notes !== undefined && { notes: body.notes }),
        starts_at: startsAt,
        ends_at: endsAt,
        ...(body.cancelled !== undefined && {
          cancelled_at: body.cancelled ? (s.cancelled_at ?? this.now()) : null,
        }),
      });
      if (skillIds) await setTrainingSessionSkills(trx, sessionId, skillIds);
    });
    await this.changed(teamId, 'sessions', auth);
    return this.session(teamId, sessionId);
  }

  /** Records attendance (present / absent / excused) of team members; entries replace earlier ones. */
  async setAttendance(
    auth: Auth,
    teamId: string,
    sessionId: string,
    body: In<typeof AttendanceBody>,
  ): Promise<TrainingSession> {
    requireLeader(auth, teamId);
    await this.db.transaction().execute(async (trx) => {
      const s = await this.teamSession(trx, teamId, sessionId);
      if (s.cancelled_at)
        throw conflict('session: it is cancelled; reinstate it to take attendance', {
          field: 'sessionId',
        });
      const members = new Set((await listMembers(trx, teamId)).map((m) => m.id));
      const seen = new Set<string>();
      body.entries.forEach((e, i) => {
        if (!members.has(e.memberId))
          throw badRequest(`entries.${i}.memberId`, `${e.memberId} is not a member of this team`);
        if (seen.has(e.memberId)) throw badRequest(`entries.${i}.memberId`, `${e.memberId} is listed twice`);
        seen.add(e.memberId);
      });
      await upsertAttendance(trx, sessionId, body.entries, actorOf(auth), this.now());
    });
    await this.changed(teamId, 'attendance', auth);
    return this.session(teamId, sessionId);
  }

  private async session(teamId: string, id: string): Promise<TrainingSession> {
    const [s] = await this.withDetails([await this.teamSession(this.db, teamId, id)]);
    if (!s) throw notFound('session');
    return s;
  }

  private async withDetails(rows: readonly TrainingSessionRow[]): Promise<TrainingSession[]> {
    const ids = rows.map((r) => r.id);
    const [skills, attendance] = await Promise.all([
      skillsOfSessions(this.db, ids),
      attendanceOfSessions(this.db, ids),
    ]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      place: r.place,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      notes: r.notes,
      skillIds: skills.get(r.id) ?? [],
      cancelled: r.cancelled_at !== null,
      attendance: (attendance.get(r.id) ?? []).map((a) => ({ memberId: a.member_id, status: a.status })),
    }));
  }

  private async teamSession(db: Kysely<DB>, teamId: string, id: string): Promise<TrainingSessionRow> {
    const s = await getTrainingSession(db, id);
    if (!s || s.team_id !== teamId) throw notFound('session');
    return s;
  }

  private async currentSkill(db: Kysely<DB>, teamId: string, id: string): Promise<SkillRow> {
    const s = await getSkill(db, id);
    if (!s || s.team_id !== teamId || s.archived_at) throw notFound('skill');
    return s;
  }

  /** The ids, deduplicated, once each is known to be a current skill of the team. */
  private async teamSkillIds(db: Kysely<DB>, teamId: string, ids: readonly string[]): Promise<string[]> {
    const known = new Set((await listSkills(db, teamId)).map((s) => s.id));
    ids.forEach((id, i) => {
      if (!known.has(id)) throw badRequest(`skillIds.${i}`, `${id} is not a skill of this team`);
    });
    return [...new Set(ids)];
  }

  private async uniqueName<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicateSkill(name);
      throw e;
    }
  }
}

const duplicateSkill = (name: string): HowlError =>
  conflict(`name: the team already has a skill named ${name}`, { field: 'name' });
