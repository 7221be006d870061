import type { Kysely, Selectable, Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type {
  CalloutResponsesTable,
  CasualtiesTable,
  DB,
  RollCallAnswersTable,
  RollCallsTable,
} from './schema.ts';

export type RollCallRow = Selectable<RollCallsTable>;
export type RollCallAnswerRow = Selectable<RollCallAnswersTable>;
export type CasualtyRow = Selectable<CasualtiesTable>;
export type CalloutResponseRow = Selectable<CalloutResponsesTable>;
export interface CareEntryRow {
  casualty_id: string;
  time: Date;
  author_id: string;
  author: string | null;
  text: string;
}

// Roll calls

export async function insertRollCall(
  db: Kysely<DB>,
  rc: {
    id: string;
    team_id: string;
    operation_id: string;
    started_at: Date;
    started_by: string | null;
    deadline_at: Date;
    member_ids: readonly string[];
  },
): Promise<RollCallRow> {
  return db
    .insertInto('roll_calls')
    .values({ ...rc, member_ids: JSON.stringify(rc.member_ids) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The operation's most recent roll call; `lock` holds it until the transaction ends. */
export async function latestRollCall(
  db: Kysely<DB>,
  operationId: string,
  lock = false,
): Promise<RollCallRow | undefined> {
  const q = db
    .selectFrom('roll_calls')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(1);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function setRollCallMembers(db: Kysely<DB>, id: string, memberIds: readonly string[]) {
  await db
    .updateTable('roll_calls')
    .set({ member_ids: JSON.stringify(memberIds) })
    .where('id', '=', id)
    .execute();
}

export async function insertRollCallAnswer(
  db: Kysely<DB>,
  a: {
    roll_call_id: string;
    member_id: string;
    status: RollCallAnswerRow['status'];
    reported_by: string;
    time: Date;
  },
): Promise<void> {
  await db.insertInto('roll_call_answers').values(a).execute();
}

/** Every answer of a roll call, oldest first. */
export async function listRollCallAnswers(db: Kysely<DB>, rollCallId: string): Promise<RollCallAnswerRow[]> {
  return db
    .selectFrom('roll_call_answers')
    .selectAll()
    .where('roll_call_id', '=', rollCallId)
    .orderBy('time')
    .orderBy('id')
    .execute();
}

// Casualties

export async function insertCasualty(
  db: Kysely<DB>,
  c: {
    id: string;
    team_id: string;
    operation_id: string;
    member_id: string | null;
    subject_id?: string | null;
    triage: CasualtyRow['triage'];
    injuries: string;
    created_at: Date;
  },
): Promise<CasualtyRow> {
  return db.insertInto('casualties').values(c).returningAll().executeTakeFirstOrThrow();
}

/** A casualty; `lock` holds it until the transaction ends. */
export async function getCasualty(
  db: Kysely<DB>,
  id: string,
  lock = false,
): Promise<CasualtyRow | undefined> {
  const q = db.selectFrom('casualties').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The casualty record of a member (or of the subject) in an operation that is not recovered yet. */
export async function findOpenCasualty(
  db: Kysely<DB>,
  operationId: string,
  who: { memberId?: string; subjectId?: string },
): Promise<CasualtyRow | undefined> {
  const q = db
    .selectFrom('casualties')
    .selectAll()
    .where('operation_id', '=', operationId)
    .where('recovered_at', 'is', null);
  return (
    who.subjectId ? q.where('subject_id', '=', who.subjectId) : q.where('member_id', '=', who.memberId ?? '')
  ).executeTakeFirst();
}

export async function updateCasualty(
  db: Kysely<DB>,
  id: string,
  patch: Updateable<CasualtiesTable>,
): Promise<CasualtyRow> {
  const set = changedColumns(patch);
  if (!set) return db.selectFrom('casualties').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('casualties').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listCasualties(db: Kysely<DB>, operationId: string): Promise<CasualtyRow[]> {
  return db
    .selectFrom('casualties')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertCareEntry(
  db: Kysely<DB>,
  e: { casualty_id: string; time: Date; author_id: string; text: string },
): Promise<void> {
  await db.insertInto('care_log').values(e).execute();
}

/** The care log of some casualties, oldest first, with the author's callsign. */
export async function listCareLog(db: Kysely<DB>, casualtyIds: readonly string[]): Promise<CareEntryRow[]> {
  if (casualtyIds.length === 0) return [];
  const rows = await db
    .selectFrom('care_log')
    .leftJoin('members', 'members.id', 'care_log.author_id')
    .select([
      'care_log.casualty_id',
      'care_log.time',
      'care_log.author_id',
      'care_log.text',
      'members.callsign as author',
    ])
    .where('care_log.casualty_id', 'in', [...casualtyIds])
    .orderBy('care_log.time')
    .orderBy('care_log.id')
    .execute();
  return rows.map((r) => ({ ...r, time: new Date(r.time) }));
}

// Callout responses

/** Records a member's latest answer to a callout (one per member and operation). */
export async function upsertCalloutResponse(
  db: Kysely<DB>,
  r: CalloutResponseRow,
): Promise<CalloutResponseRow> {
  return db
    .insertInto('callout_responses')
    .values(r)
    .onConflict((oc) =>
      oc
        .columns(['operation_id', 'member_id'])
        .doUpdateSet({ status: r.status, eta_minutes: r.eta_minutes, time: r.time }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listCalloutResponses(
  db: Kysely<DB>,
  operationId: string,
): Promise<CalloutResponseRow[]> {
  return db
    .selectFrom('callout_responses')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('time')
    .orderBy('member_id')
    .execute();
}
