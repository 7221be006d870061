import type { Kysely, Selectable } from 'kysely';
import type { DB, InReachFeedsTable } from './schema.ts';

export type InReachFeedRow = Selectable<InReachFeedsTable>;

/** Sets (or replaces) a member's MapShare feed; where its polling got to starts over. */
export async function upsertFeed(
  db: Kysely<DB>,
  f: { member_id: string; team_id: string; url: string; password: string | null; created_at: Date },
): Promise<void> {
  await db
    .insertInto('inreach_feeds')
    .values({ ...f, last_point_at: null, last_polled_at: null, last_error: null })
    .onConflict((oc) =>
      oc.column('member_id').doUpdateSet({
        url: f.url,
        password: f.password,
        last_point_at: null,
        last_polled_at: null,
        last_error: null,
      }),
    )
    .execute();
}

export async function getFeed(db: Kysely<DB>, memberId: string): Promise<InReachFeedRow | undefined> {
  return db.selectFrom('inreach_feeds').selectAll().where('member_id', '=', memberId).executeTakeFirst();
}

export async function deleteFeed(db: Kysely<DB>, memberId: string): Promise<boolean> {
  const r = await db.deleteFrom('inreach_feeds').where('member_id', '=', memberId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Every feed of a current member, with the member's device ids (an inReach's is its IMEI). */
export async function allFeeds(db: Kysely<DB>): Promise<InReachFeedRow[]> {
  return db
    .selectFrom('inreach_feeds')
    .innerJoin('members', 'members.id', 'inreach_feeds.member_id')
    .selectAll('inreach_feeds')
    .where('members.removed_at', 'is', null)
    .orderBy('inreach_feeds.created_at')
    .execute();
}

export async function recordPoll(
  db: Kysely<DB>,
  memberId: string,
  r: { at: Date; lastPointAt?: Date; error: string | null },
): Promise<void> {
  await db
    .updateTable('inreach_feeds')
    .set({
      last_polled_at: r.at,
      last_error: r.error,
      ...(r.lastPointAt && { last_point_at: r.lastPointAt }),
    })
    .where('member_id', '=', memberId)
    .execute();
}

export async function teamSecret(db: Kysely<DB>, teamId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('inreach_secrets')
    .select('secret')
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return r?.secret;
}

export async function setTeamSecret(db: Kysely<DB>, teamId: string, secret: string): Promise<void> {
  await db
    .insertInto('inreach_secrets')
    .values({ team_id: teamId, secret })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ secret }))
    .execute();
}

export async function teamOfSecret(db: Kysely<DB>, secret: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('inreach_secrets')
    .select('team_id')
    .where('secret', '=', secret)
    .executeTakeFirst();
  return r?.team_id;
}

/** Whether the device has a position at exactly this time (an inReach point is stored once). */
export async function positionAt(db: Kysely<DB>, deviceId: string, time: Date): Promise<boolean> {
  const r = await db
    .selectFrom('positions')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('time', '=', time)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
