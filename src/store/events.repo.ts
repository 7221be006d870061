import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, EventsTable } from './schema.ts';

export type EventRow = Selectable<EventsTable>;

export interface NewEvent {
  teamId: string;
  type: string;
  mode: 'exercise' | 'real';
  actorId: string | null;
  time: Date;
  payload: unknown;
}

/**
 * Appends one event with the team's next sequence number. Run inside a transaction:
 * the row lock on the team serialises appends, so sequence numbers have no gaps.
 */
export async function appendEvent(db: Kysely<DB>, e: NewEvent): Promise<number> {
  const team = await db
    .updateTable('teams')
    .set({ last_seq: sql<number>`last_seq + 1` })
    .where('id', '=', e.teamId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const seq = Number(team.last_seq);
  await db
    .insertInto('events')
    .values({
      team_id: e.teamId,
      seq,
      time: e.time,
      type: e.type,
      mode: e.mode,
      actor_id: e.actorId,
      payload: JSON.stringify(e.payload),
    })
    .execute();
  return seq;
}

/** The team's events after a sequence number, in order. */
export async function eventsAfter(
  db: Kysely<DB>,
  teamId: string,
  afterSeq: number,
  limit = 10_000,
): Promise<EventRow[]> {
  return db
    .selectFrom('events')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function lastSeq(db: Kysely<DB>, teamId: string): Promise<number> {
  const r = await db.selectFrom('teams').select('last_seq').where('id', '=', teamId).executeTakeFirst();
  return Number(r?.last_seq ?? 0);
}
