import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { changedColumns } from './patch.ts';
import type {
  DB,
  DrillFindsTable,
  DrillScoresTable,
  DrillsTable,
  DrillTracksTable,
  OperationsTable,
} from './schema.ts';

export type DrillRow = Selectable<DrillsTable>;
export type DrillTrackRow = Selectable<DrillTracksTable>;
export type DrillTrackInfoRow = Omit<DrillTrackRow, 'points'>;
export type DrillFindRow = Selectable<DrillFindsTable>;
export type DrillScoreRow = Selectable<DrillScoresTable>;
export type DrillOperationRow = Selectable<OperationsTable> & DrillRow;

export async function insertDrill(db: Kysely<DB>, row: Insertable<DrillsTable>): Promise<void> {
  await db.insertInto('drills').values(row).execute();
}

export async function getDrillRow(db: Kysely<DB>, operationId: string): Promise<DrillRow | undefined> {
  return db.selectFrom('drills').selectAll().where('operation_id', '=', operationId).executeTakeFirst();
}

export async function updateDrillRow(
  db: Kysely<DB>,
  operationId: string,
  patch: Updateable<DrillsTable>,
): Promise<void> {
  const set = changedColumns(patch);
  if (!set) return;
  await db.updateTable('drills').set(set).where('operation_id', '=', operationId).execute();
}

/** The team's tracking drills with their operations, newest first. */
export async function listDrillOperations(
  db: Kysely<DB>,
  teamId: string,
  limit = 200,
): Promise<DrillOperationRow[]> {
  return db
    .selectFrom('operations')
    .innerJoin('drills', 'drills.operation_id', 'operations.id')
    .selectAll()
    .where('operations.team_id', '=', teamId)
    .orderBy('operations.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Running tracking drills across teams: what the find detector looks at. */
export async function runningDrillOperations(db: Kysely<DB>): Promise<DrillOperationRow[]> {
  return db
    .selectFrom('operations')
    .innerJoin('drills', 'drills.operation_id', 'operations.id')
    .selectAll()
    .where('operations.state', '=', 'running')
    .execute();
}

/** Of the given skill ids, those of the team's catalogue (not archived). */
export async function teamSkillIds(
  db: Kysely<DB>,
  teamId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('skills')
    .select('id')
    .where('team_id', '=', teamId)
    .where('id', 'in', [...ids])
    .where('archived_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function setOperationSkills(
  db: Kysely<DB>,
  operationId: string,
  skillIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('operation_skills').where('operation_id', '=', operationId).execute();
  if (skillIds.length === 0) return;
  await db
    .insertInto('operation_skills')
    .values(skillIds.map((skill_id) => ({ operation_id: operationId, skill_id })))
    .execute();
}

export async function listOperationSkills(db: Kysely<DB>, operationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('operation_skills')
    .select('skill_id')
    .where('operation_id', '=', operationId)
    .orderBy('skill_id')
    .execute();
  return rows.map((r) => r.skill_id);
}

/** Stores a participant's track, replacing the one they had. */
export async function putTrack(db: Kysely<DB>, row: Insertable<DrillTracksTable>): Promise<void> {
  await deleteTrack(db, row.operation_id, row.member_id);
  await db.insertInto('drill_tracks').values(row).execute();
}

/** Deletes a participant's track; false when there was none. */
export async function deleteTrack(db: Kysely<DB>, operationId: string, memberId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('drill_tracks')
    .where('operation_id', '=', operationId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The drill's tracks without their points. */
export async function listTrackInfos(db: Kysely<DB>, operationId: string): Promise<DrillTrackInfoRow[]> {
  return db
    .selectFrom('drill_tracks')
    .select([
      'operation_id',
      'member_id',
      'source',
      'file_name',
      'point_count',
      'start_time',
      'end_time',
      'uploaded_by',
      'created_at',
    ])
    .where('operation_id', '=', operationId)
    .orderBy('start_time')
    .execute();
}

/** The drill's tracks with their points; only those of `memberIds` when given (points are large: read what is needed). */
export async function listTracks(
  db: Kysely<DB>,
  operationId: string,
  memberIds?: readonly string[],
): Promise<DrillTrackRow[]> {
  if (memberIds?.length === 0) return [];
  let q = db.selectFrom('drill_tracks').selectAll().where('operation_id', '=', operationId);
  if (memberIds) q = q.where('member_id', 'in', memberIds);
  return q.orderBy('start_time').execute();
}

/** The first point of a member's track ([lat, lon, timeMs]), read without the rest of its points. */
export async function firstTrackPoint(
  db: Kysely<DB>,
  operationId: string,
  memberId: string,
): Promise<[number, number, number] | undefined> {
  const row = await db
    .selectFrom('drill_tracks')
    .select(sql<[number, number, number] | null>`points -> 0`.as('first'))
    .where('operation_id', '=', operationId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row?.first ?? undefined;
}

/** Records a find; false when the tracker already has one. */
export async function insertFind(db: Kysely<DB>, row: Insertable<DrillFindsTable>): Promise<boolean> {
  const r = await db
    .insertInto('drill_finds')
    .values(row)
    .onConflict((oc) => oc.columns(['operation_id', 'tracker_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listFinds(db: Kysely<DB>, operationId: string): Promise<DrillFindRow[]> {
  return db
    .selectFrom('drill_finds')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('time')
    .execute();
}

/** Replaces the drill's scores with these. */
export async function replaceScores(
  db: Kysely<DB>,
  operationId: string,
  rows: readonly Insertable<DrillScoresTable>[],
): Promise<void> {
  await db.deleteFrom('drill_scores').where('operation_id', '=', operationId).execute();
  if (rows.length > 0)
    await db
      .insertInto('drill_scores')
      .values([...rows])
      .execute();
}

export async function listScores(db: Kysely<DB>, operationId: string): Promise<DrillScoreRow[]> {
  return db.selectFrom('drill_scores').selectAll().where('operation_id', '=', operationId).execute();
}

/** The best share followed of each of the given drills. */
export async function bestShares(
  db: Kysely<DB>,
  operationIds: readonly string[],
): Promise<Map<string, number>> {
  if (operationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('drill_scores')
    .select(['operation_id', (eb) => eb.fn.max('share_followed').as('best')])
    .where('operation_id', 'in', [...operationIds])
    .groupBy('operation_id')
    .execute();
  return new Map(rows.map((r) => [r.operation_id, Number(r.best)]));
}

/** A tracker's scored drills in the team, oldest first; only those that practised the skill when one is named. */
export async function trackerScores(
  db: Kysely<DB>,
  teamId: string,
  trackerId: string,
  skillId?: string,
): Promise<Array<DrillScoreRow & { name: string }>> {
  let q = db
    .selectFrom('drill_scores')
    .innerJoin('operations', 'operations.id', 'drill_scores.operation_id')
    .selectAll('drill_scores')
    .select('operations.name')
    .where('drill_scores.team_id', '=', teamId)
    .where('drill_scores.tracker_id', '=', trackerId);
  if (skillId) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('operation_skills')
          .select('operation_skills.skill_id')
          .whereRef('operation_skills.operation_id', '=', 'drill_scores.operation_id')
          .where('operation_skills.skill_id', '=', skillId),
      ),
    );
  }
  return q.orderBy('drill_scores.drill_time').orderBy('drill_scores.operation_id').execute();
}
