import type { Insertable, Kysely, Selectable } from 'kysely';
import type {
  DB,
  DetectionDrillsTable,
  DetectionObjectsTable,
  DetectionRecordsTable,
  OperationsTable,
} from './schema.ts';

export type DetectionDrillRow = Selectable<DetectionDrillsTable>;
export type DetectionObjectRow = Selectable<DetectionObjectsTable>;
export type DetectionRecordRow = Selectable<DetectionRecordsTable>;
export type DetectionOperationRow = Selectable<OperationsTable> & DetectionDrillRow;

export async function insertDetectionDrill(
  db: Kysely<DB>,
  row: Insertable<DetectionDrillsTable>,
): Promise<void> {
  await db.insertInto('detection_drills').values(row).execute();
}

export async function getDetectionDrillRow(
  db: Kysely<DB>,
  operationId: string,
): Promise<DetectionDrillRow | undefined> {
  return db
    .selectFrom('detection_drills')
    .selectAll()
    .where('operation_id', '=', operationId)
    .executeTakeFirst();
}

/** The team's detection drills with their operations, newest first; only of one resource type when given. */
export async function listDetectionOperations(
  db: Kysely<DB>,
  teamId: string,
  filter: { resourceType?: string; ended?: boolean } = {},
  limit = 500,
): Promise<DetectionOperationRow[]> {
  let q = db
    .selectFrom('operations')
    .innerJoin('detection_drills', 'detection_drills.operation_id', 'operations.id')
    .selectAll()
    .where('operations.team_id', '=', teamId);
  if (filter.resourceType !== undefined)
    q = q.where('detection_drills.resource_type', '=', filter.resourceType);
  if (filter.ended) q = q.where('operations.state', '=', 'ended');
  return q.orderBy('operations.created_at', 'desc').limit(limit).execute();
}

/** The drill's objects in the order they were listed. */
export async function listDetectionObjects(
  db: Kysely<DB>,
  operationId: string,
): Promise<DetectionObjectRow[]> {
  return db
    .selectFrom('detection_objects')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('position')
    .execute();
}

/**
 * Replaces the drill's objects: rows whose id is kept are updated (their records stay), the others deleted with
 * their records, and the new ones inserted.
 */
export async function replaceDetectionObjects(
  db: Kysely<DB>,
  operationId: string,
  rows: readonly Insertable<DetectionObjectsTable>[],
): Promise<void> {
  const keep = rows.map((r) => r.id);
  let del = db.deleteFrom('detection_objects').where('operation_id', '=', operationId);
  if (keep.length > 0) del = del.where('id', 'not in', keep);
  await del.execute();
  for (const row of rows) {
    await db
      .insertInto('detection_objects')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          position: row.position,
          label: row.label,
          lat: row.lat,
          lon: row.lon,
          notes: row.notes,
        }),
      )
      .execute();
  }
}

/** Records whether a searcher found an object, replacing what was recorded before. */
export async function upsertDetectionRecord(
  db: Kysely<DB>,
  row: Insertable<DetectionRecordsTable>,
): Promise<void> {
  await db
    .insertInto('detection_records')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['object_id', 'searcher_id']).doUpdateSet({
        found: row.found,
        recorded_by: row.recorded_by ?? null,
        recorded_at: row.recorded_at,
      }),
    )
    .execute();
}

/** The records of the given drills. */
export async function listDetectionRecords(
  db: Kysely<DB>,
  operationIds: readonly string[],
): Promise<DetectionRecordRow[]> {
  if (operationIds.length === 0) return [];
  return db
    .selectFrom('detection_records')
    .selectAll()
    .where('operation_id', 'in', [...operationIds])
    .orderBy('recorded_at')
    .execute();
}
