import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, PositionsTable } from './schema.ts';

export type PositionRow = Selectable<PositionsTable>;
export type NewPosition = Insertable<PositionsTable>;

/** Stores a batch of positions in one statement. */
export async function insertPositions(db: Kysely<DB>, rows: readonly NewPosition[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('positions')
    .values([...rows])
    .execute();
}

/** The newest position (by fix time) of each current member of the team. */
export async function latestPositions(db: Kysely<DB>, teamId: string): Promise<PositionRow[]> {
  return db
    .selectFrom('positions')
    .innerJoin('members', 'members.id', 'positions.member_id')
    .selectAll('positions')
    .distinctOn('positions.member_id')
    .where('positions.team_id', '=', teamId)
    .where('members.removed_at', 'is', null)
    .orderBy('positions.member_id')
    .orderBy('positions.time', 'desc')
    .orderBy('positions.id', 'desc')
    .execute();
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
