import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, MessagesTable } from './schema.ts';

export type MessageRow = Selectable<MessagesTable>;

/** Stores a message; undefined when the same client message (team, source, external id) is stored already. */
export async function insertMessage(
  db: Kysely<DB>,
  message: Insertable<MessagesTable>,
): Promise<MessageRow | undefined> {
  return db
    .insertInto('messages')
    .values(message)
    .onConflict((oc) =>
      oc.columns(['team_id', 'source', 'external_id']).where('external_id', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** A page of the team's messages, newest first; `before` (and `beforeId`) continue after the last one seen. */
export async function listMessages(
  db: Kysely<DB>,
  teamId: string,
  opts: { before?: Date; beforeId?: string; limit: number },
): Promise<MessageRow[]> {
  let q = db.selectFrom('messages').selectAll().where('team_id', '=', teamId);
  const { before, beforeId } = opts;
  if (before && beforeId) q = q.where((eb) => eb(eb.refTuple('time', 'id'), '<', eb.tuple(before, beforeId)));
  else if (before) q = q.where('time', '<', before);
  return q.orderBy('time', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}
