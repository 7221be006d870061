import type { Kysely, Selectable, Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type { AttendanceTable, DB, TrainingSessionsTable } from './schema.ts';

// Training sessions of the team's calendar, their skills and attendance.

export type TrainingSessionRow = Selectable<TrainingSessionsTable>;
export type AttendanceRow = Selectable<AttendanceTable>;

export async function insertTrainingSession(
  db: Kysely<DB>,
  s: {
    id: string;
    team_id: string;
    title: string;
    place: string;
    starts_at: Date;
    ends_at: Date;
    notes: string;
    created_by: string | null;
  },
): Promise<TrainingSessionRow> {
  return db.insertInto('training_sessions').values(s).returningAll().executeTakeFirstOrThrow();
}

export async function getTrainingSession(
  db: Kysely<DB>,
  id: string,
): Promise<TrainingSessionRow | undefined> {
  return db.selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTrainingSession(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<TrainingSessionsTable>,
): Promise<void> {
  const set = changedColumns(patch);
  if (!set) return;
  await db.updateTable('training_sessions').set(set).where('id', '=', id).execute();
}

/** The team's sessions starting in [from, to), by start time. */
export async function listTrainingSessions(
  db: Kysely<DB>,
  teamId: string,
  range: { from?: Date; to?: Date } = {},
): Promise<TrainingSessionRow[]> {
  let q = db.selectFrom('training_sessions').selectAll().where('team_id', '=', teamId);
  if (range.from) q = q.where('starts_at', '>=', range.from);
  if (range.to) q = q.where('starts_at', '<', range.to);
  return q.orderBy('starts_at').orderBy('id').execute();
}

export async function setTrainingSessionSkills(
  db: Kysely<DB>,
  sessionId: string,
  skillIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('training_session_skills').where('session_id', '=', sessionId).execute();
  if (skillIds.length === 0) return;
  await db
    .insertInto('training_session_skills')
    .values(skillIds.map((skill_id) => ({ session_id: sessionId, skill_id })))
    .execute();
}

/** Skill ids per session. */
export async function skillsOfSessions(
  db: Kysely<DB>,
  sessionIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (sessionIds.length === 0) return out;
  const rows = await db
    .selectFrom('training_session_skills')
    .select(['session_id', 'skill_id'])
    .where('session_id', 'in', [...sessionIds])
    .execute();
  for (const r of rows) out.set(r.session_id, [...(out.get(r.session_id) ?? []), r.skill_id]);
  return out;
}

/** Attendance entries per session. */
export async function attendanceOfSessions(
  db: Kysely<DB>,
  sessionIds: readonly string[],
): Promise<Map<string, AttendanceRow[]>> {
  const out = new Map<string, AttendanceRow[]>();
  if (sessionIds.length === 0) return out;
  const rows = await db
    .selectFrom('attendance')
    .selectAll()
    .where('session_id', 'in', [...sessionIds])
    .orderBy('member_id')
    .execute();
  for (const r of rows) out.set(r.session_id, [...(out.get(r.session_id) ?? []), r]);
  return out;
}

/** Records attendance, replacing what was recorded before for the same members. */
export async function upsertAttendance(
  db: Kysely<DB>,
  sessionId: string,
  entries: ReadonlyArray<{ memberId: string; status: AttendanceRow['status'] }>,
  by: string | null,
  at: Date,
): Promise<void> {
  await db
    .insertInto('attendance')
    .values(
      entries.map((e) => ({
        session_id: sessionId,
        member_id: e.memberId,
        status: e.status,
        recorded_by: by,
        recorded_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['session_id', 'member_id']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: eb.ref('excluded.recorded_at'),
      })),
    )
    .execute();
}
