import type { Insertable, Kysely, Selectable } from 'kysely';
import type {
  DB,
  SearchAssignmentsTable,
  SearchPlansTable,
  SearchSegmentsTable,
  SweepWidthsTable,
} from './schema.ts';

export type SearchSegmentRow = Selectable<SearchSegmentsTable>;
export type SearchPlanRow = Selectable<SearchPlansTable>;
export type SearchAssignmentRow = Selectable<SearchAssignmentsTable>;
export type SweepWidthRow = Selectable<SweepWidthsTable>;

type Polygon = SearchSegmentRow['polygon'];

export async function insertSegment(
  db: Kysely<DB>,
  s: Omit<SearchSegmentRow, 'polygon' | 'poa'> & { polygon: Polygon },
): Promise<SearchSegmentRow> {
  return db
    .insertInto('search_segments')
    .values({ ...s, polygon: JSON.stringify(s.polygon), poa: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A segment; `lock` holds it until the transaction ends. */
export async function getSegment(
  db: Kysely<DB>,
  id: string,
  lock = false,
): Promise<SearchSegmentRow | undefined> {
  const q = db.selectFrom('search_segments').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The segments of an operation, oldest first. */
export async function listSegments(db: Kysely<DB>, operationId: string): Promise<SearchSegmentRow[]> {
  return db
    .selectFrom('search_segments')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateSegment(
  db: Kysely<DB>,
  id: string,
  patch: { name?: string; polygon?: Polygon; area_m2?: number; updated_at: Date },
): Promise<SearchSegmentRow> {
  const { polygon, ...rest } = patch;
  return db
    .updateTable('search_segments')
    .set({ ...rest, ...(polygon ? { polygon: JSON.stringify(polygon) } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sets every segment's POA of an operation (those not named: 0) and the plan's rest of the world. */
export async function savePoa(
  db: Kysely<DB>,
  plan: Omit<SearchPlanRow, 'planners'> & { planners: unknown },
  poas: ReadonlyMap<string, number>,
): Promise<void> {
  await db
    .updateTable('search_segments')
    .set({ poa: 0 })
    .where('operation_id', '=', plan.operation_id)
    .execute();
  for (const [id, poa] of poas) {
    await db.updateTable('search_segments').set({ poa }).where('id', '=', id).execute();
  }
  const row = { ...plan, planners: plan.planners == null ? null : JSON.stringify(plan.planners) };
  await db
    .insertInto('search_plans')
    .values(row)
    .onConflict((oc) =>
      oc.column('operation_id').doUpdateSet({
        poa_method: row.poa_method,
        rest_of_world: row.rest_of_world,
        planners: row.planners,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function getPlan(db: Kysely<DB>, operationId: string): Promise<SearchPlanRow | undefined> {
  return db.selectFrom('search_plans').selectAll().where('operation_id', '=', operationId).executeTakeFirst();
}

export async function insertAssignments(
  db: Kysely<DB>,
  rows: readonly Insertable<SearchAssignmentsTable>[],
): Promise<SearchAssignmentRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('search_assignments')
    .values([...rows])
    .returningAll()
    .execute();
}

export async function getAssignment(
  db: Kysely<DB>,
  id: string,
  lock = false,
): Promise<SearchAssignmentRow | undefined> {
  const q = db.selectFrom('search_assignments').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The assignments of an operation, in the order they were made. */
export async function listAssignments(db: Kysely<DB>, operationId: string): Promise<SearchAssignmentRow[]> {
  return db
    .selectFrom('search_assignments')
    .selectAll()
    .where('operation_id', '=', operationId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

/** The highest sortie number of a segment so far (0 when none). */
export async function lastSortie(db: Kysely<DB>, segmentId: string): Promise<number> {
  const row = await db
    .selectFrom('search_assignments')
    .select((eb) => eb.fn.max('sortie').as('sortie'))
    .where('segment_id', '=', segmentId)
    .executeTakeFirst();
  return Number(row?.sortie ?? 0);
}

/** The assignments of one sortie of a segment, the open ones locked against a concurrent end. */
export async function listSortieAssignments(
  db: Kysely<DB>,
  segmentId: string,
  sortie: number,
): Promise<SearchAssignmentRow[]> {
  return db
    .selectFrom('search_assignments')
    .selectAll()
    .where('segment_id', '=', segmentId)
    .where('sortie', '=', sortie)
    .forUpdate()
    .execute();
}

/** Ends the open assignments of one sortie of a segment at `at`. */
export async function endSortieAssignments(
  db: Kysely<DB>,
  segmentId: string,
  sortie: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('search_assignments')
    .set({ ended_at: at })
    .where('segment_id', '=', segmentId)
    .where('sortie', '=', sortie)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends the members' open assignments of an operation at `at` (a member searches one segment at a time). */
export async function endOpenAssignments(
  db: Kysely<DB>,
  operationId: string,
  memberIds: readonly string[],
  at: Date,
): Promise<void> {
  if (memberIds.length === 0) return;
  await db
    .updateTable('search_assignments')
    .set({ ended_at: at })
    .where('operation_id', '=', operationId)
    .where('member_id', 'in', [...memberIds])
    .where('ended_at', 'is', null)
    .where('started_at', '<=', at)
    .execute();
}

export async function endAssignment(db: Kysely<DB>, id: string, endedAt: Date): Promise<SearchAssignmentRow> {
  return db
    .updateTable('search_assignments')
    .set({ ended_at: endedAt })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listSweepWidths(db: Kysely<DB>, teamId: string): Promise<SweepWidthRow[]> {
  return db
    .selectFrom('sweep_widths')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('resource_type')
    .execute();
}

export async function getSweepWidth(
  db: Kysely<DB>,
  teamId: string,
  resourceType: string,
): Promise<SweepWidthRow | undefined> {
  return db
    .selectFrom('sweep_widths')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('resource_type', '=', resourceType)
    .executeTakeFirst();
}

export async function saveSweepWidth(
  db: Kysely<DB>,
  row: Omit<SweepWidthRow, 'details'> & { details: unknown },
): Promise<SweepWidthRow> {
  const values = { ...row, details: row.details == null ? null : JSON.stringify(row.details) };
  return db
    .insertInto('sweep_widths')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['team_id', 'resource_type']).doUpdateSet({
        sweep_width_m: values.sweep_width_m,
        source: values.source,
        details: values.details,
        updated_at: values.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
