import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, PositionsTable } from './schema.ts';

export type PositionRow = Selectable<PositionsTable>;
export type NewPosition = Insertable<PositionsTable>;

const iso = (t: Date | string) => (typeof t === 'string' ? new Date(t) : t).toISOString();

/**
 * Stores a batch of positions in one statement: one array a column, unnested into rows, so that a batch of
 * thousands is fifteen parameters (about half the database time of a VALUES list on PGlite and PostgreSQL).
 */
export async function insertPositions(db: Kysely<DB>, rows: readonly NewPosition[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: NewPosition) => T) => rows.map(f);
  await sql`insert into positions
      (team_id, member_id, device_id, time, received_at, lat, lon, accuracy, altitude, speed, bearing, battery,
       alarm, source, mode)
    select * from unnest(
      ${col((r) => r.team_id)}::uuid[], ${col((r) => r.member_id)}::uuid[], ${col((r) => r.device_id)}::text[],
      ${col((r) => iso(r.time))}::timestamptz[], ${col((r) => iso(r.received_at))}::timestamptz[],
      ${col((r) => r.lat)}::float8[], ${col((r) => r.lon)}::float8[], ${col((r) => r.accuracy ?? null)}::float8[],
      ${col((r) => r.altitude ?? null)}::float8[], ${col((r) => r.speed ?? null)}::float8[],
      ${col((r) => r.bearing ?? null)}::float8[], ${col((r) => r.battery ?? null)}::float8[],
      ${col((r) => r.alarm ?? null)}::text[], ${col((r) => r.source)}::text[], ${col((r) => r.mode)}::text[])`.execute(
    db,
  );
}

/**
 * The newest position (by fix time) of each current member of the team: for each member, one step down the
 * (member_id, time) index, however long the trails have grown. (A member's positions are their team's: no
 * `team_id` condition, which would lead the planner to scan the whole team's positions for each member.)
 */
export async function latestPositions(db: Kysely<DB>, teamId: string): Promise<PositionRow[]> {
  const r = await sql<PositionRow>`select p.* from members m
    cross join lateral (
      select * from positions where member_id = m.id
      order by time desc, id desc limit 1
    ) p
    where m.team_id = ${teamId} and m.removed_at is null
    order by m.id`.execute(db);
  return r.rows;
}

/** The newest fix time of one member, if any. */
export async function latestTime(db: Kysely<DB>, memberId: string): Promise<Date | undefined> {
  const r = await db
    .selectFrom('positions')
    .select((eb) => eb.fn.max('time').as('t'))
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return r?.t ? new Date(r.t as Date) : undefined;
}

/** The team's positions since a time, in time order, current members only. */
export async function positionsSince(
  db: Kysely<DB>,
  teamId: string,
  since: Date,
  limit = 200_000,
): Promise<PositionRow[]> {
  return db
    .selectFrom('positions')
    .innerJoin('members', 'members.id', 'positions.member_id')
    .selectAll('positions')
    .where('positions.team_id', '=', teamId)
    .where('positions.time', '>=', since)
    .where('members.removed_at', 'is', null)
    .orderBy('positions.time')
    .orderBy('positions.id')
    .limit(limit)
    .execute();
}

/**
 * The team's positions from `since` to `until` (both included), in time order, current members
 * only, and only those of `memberIds` when given: the rows of a trail export.
 */
export async function positionsBetween(
  db: Kysely<DB>,
  teamId: string,
  w: { since: Date; until: Date; memberIds?: readonly string[] },
  limit = 200_000,
): Promise<PositionRow[]> {
  if (w.memberIds?.length === 0) return [];
  let q = db
    .selectFrom('positions')
    .innerJoin('members', 'members.id', 'positions.member_id')
    .selectAll('positions')
    .where('positions.team_id', '=', teamId)
    .where('positions.time', '>=', w.since)
    .where('positions.time', '<=', w.until)
    .where('members.removed_at', 'is', null);
  if (w.memberIds) q = q.where('positions.member_id', 'in', [...w.memberIds]);
  return q.orderBy('positions.time').orderBy('positions.id').limit(limit).execute();
}

export async function countPositions(db: Kysely<DB>, teamId?: string): Promise<number> {
  let q = db.selectFrom('positions').select(sql<number>`count(*)::int`.as('n'));
  if (teamId) q = q.where('team_id', '=', teamId);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The team's positions with a fix time before `before`: counted, or deleted (returning how many). */
export async function positionsBefore(
  db: Kysely<DB>,
  teamId: string,
  before: Date,
  remove: boolean,
): Promise<number> {
  if (!remove) {
    const r = await db
      .selectFrom('positions')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('team_id', '=', teamId)
      .where('time', '<', before)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  const r = await db
    .deleteFrom('positions')
    .where('team_id', '=', teamId)
    .where('time', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
