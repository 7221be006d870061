import { type Kysely, type Selectable, sql } from 'kysely';
import type { EventRow } from './events.repo.ts';
import type { DB, MembersTable, OperationsTable } from './schema.ts';

/**
 * One member's fixes in a window, as JSON arrays of integers: times in ms from `t0`, coordinates in
 * millionths of a degree (`floor(deg × 10⁶ + 0.5)`, as `toUnits` in src/domain/replay-tracks.ts), in the
 * order the database read them (the caller puts them in time order).
 */
export interface FixColumnsRow {
  member_id: string;
  t: string;
  lat: string;
  lon: string;
}

/**
 * The team's fixes from `since` to `until` (both included), one row per member with its columns already
 * aggregated: reading 360,000 fixes as 100 rows instead of 360,000 is what keeps the embedded engine fast.
 * Members come in no particular order.
 * With `stepS`, at most one fix per member in each span of that many seconds (the first one).
 */
export async function fixColumns(
  db: Kysely<DB>,
  teamId: string,
  w: { since: Date; until: Date; t0: number; stepS?: number | null },
): Promise<FixColumnsRow[]> {
  const t0s = w.t0 / 1000;
  const source = w.stepS
    ? sql`(select distinct on (member_id, bucket) member_id, time, lat, lon
          from (select member_id, time, lat, lon, id, floor(date_part('epoch', time) / ${w.stepS}) as bucket
                from positions
                where team_id = ${teamId} and time >= ${w.since} and time <= ${w.until}) as b
          order by member_id, bucket, time, id)`
    : sql`(select member_id, time, lat, lon
          from positions
          where team_id = ${teamId} and time >= ${w.since} and time <= ${w.until})`;
  const r = await sql<FixColumnsRow>`
    select member_id,
      '[' || string_agg(round((date_part('epoch', time) - ${t0s}::float8) * 1000)::int8::text, ',') || ']' as t,
      '[' || string_agg(floor(lat * 1000000::float8 + 0.5)::int8::text, ',') || ']' as lat,
      '[' || string_agg(floor(lon * 1000000::float8 + 0.5)::int8::text, ',') || ']' as lon
    from ${source} as p
    group by member_id`.execute(db);
  return r.rows;
}

/** The highest position id stored so far: a later position has a greater id. */
export async function lastPositionId(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('positions')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/** Whether the team has a position stored after `afterId` with a time inside the window. */
export async function positionsAddedSince(
  db: Kysely<DB>,
  teamId: string,
  afterId: number,
  w: { since: Date; until: Date },
): Promise<boolean> {
  const r = await db
    .selectFrom('positions')
    .select('id')
    .where('id', '>', String(afterId))
    .where('team_id', '=', teamId)
    .where('time', '>=', w.since)
    .where('time', '<=', w.until)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The team's events logged from `since` to `until` (both included), in log order; only `types` when given. */
export async function eventsBetween(
  db: Kysely<DB>,
  teamId: string,
  w: { since: Date; until: Date; types?: readonly string[] },
  limit = 50_000,
): Promise<EventRow[]> {
  let q = db
    .selectFrom('events')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('time', '>=', w.since)
    .where('time', '<=', w.until);
  if (w.types) q = q.where('type', 'in', [...w.types]);
  return q.orderBy('seq').limit(limit).execute();
}

/** Every member the team has had, removed ones too (they are part of its history). */
export async function teamHistoryMembers(
  db: Kysely<DB>,
  teamId: string,
): Promise<Selectable<MembersTable>[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The team's operations under way at `at`: started (or created, for an incident) by then and not ended
 * before it. A suspended exercise counts until its incident opened; the caller sorts that out.
 */
export async function operationsUnderWayAt(
  db: Kysely<DB>,
  teamId: string,
  at: Date,
): Promise<Selectable<OperationsTable>[]> {
  return db
    .selectFrom('operations')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('state', '!=', 'planned')
    .where((eb) => eb(eb.fn.coalesce('started_at', 'created_at'), '<=', at))
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', at)]))
    .execute();
}
