import type { Kysely, Selectable } from 'kysely';
import type { DB, PushSubscriptionsTable } from './schema.ts';

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;

/** The VAPID key pair: the one stored, or `make()`'s, stored first (a node racing another keeps the other's). */
export async function vapidKeys(
  db: Kysely<DB>,
  make: () => Promise<{ publicKey: string; privateKey: string }>,
  now: Date,
): Promise<{ publicKey: string; privateKey: string }> {
  const read = () =>
    db.selectFrom('push_keys').select(['public_key', 'private_key']).where('id', '=', 1).executeTakeFirst();
  let row = await read();
  if (!row) {
    const k = await make();
    await db
      .insertInto('push_keys')
      .values({ id: 1, public_key: k.publicKey, private_key: k.privateKey, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await read();
  }
  if (!row) throw new Error('push keys vanished');
  return { publicKey: row.public_key, privateKey: row.private_key };
}

/** Stores a subscription; the same endpoint again (a browser re-subscribing) takes the new member and keys. */
export async function upsertSubscription(
  db: Kysely<DB>,
  s: Omit<PushSubscriptionRow, 'last_success_at' | 'last_failure_at' | 'last_error'>,
): Promise<PushSubscriptionRow> {
  return db
    .insertInto('push_subscriptions')
    .values(s)
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({
        team_id: s.team_id,
        member_id: s.member_id,
        p256dh: s.p256dh,
        auth: s.auth,
        user_agent: s.user_agent,
        last_error: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSubscription(
  db: Kysely<DB>,
  memberId: string,
  endpoint: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('push_subscriptions')
    .where('member_id', '=', memberId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A push service said the subscription is gone (404/410). */
export async function deleteSubscriptionById(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

export async function subscriptionsOf(
  db: Kysely<DB>,
  memberIds: readonly string[],
): Promise<PushSubscriptionRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('push_subscriptions').selectAll().where('member_id', 'in', memberIds).execute();
}

export async function teamSubscriptions(db: Kysely<DB>, teamId: string): Promise<PushSubscriptionRow[]> {
  return db.selectFrom('push_subscriptions').selectAll().where('team_id', '=', teamId).execute();
}

export async function markDelivery(
  db: Kysely<DB>,
  id: string,
  at: Date,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('push_subscriptions')
    .set(error === null ? { last_success_at: at } : { last_failure_at: at, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}
