import type { Kysely, Selectable } from 'kysely';
import type { DB, IdempotencyKeysTable } from './schema.ts';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

/** Claims a key for a request; false when it was claimed before (then `findKey` says by what). */
export async function claimKey(
  db: Kysely<DB>,
  k: { member_id: string; key: string; method: string; path: string; created_at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_keys')
    .values(k)
    .onConflict((oc) => oc.columns(['member_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return r !== undefined;
}

export async function findKey(
  db: Kysely<DB>,
  memberId: string,
  key: string,
): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function storeResult(
  db: Kysely<DB>,
  memberId: string,
  key: string,
  r: { status: number; body: string; content_type: string | null },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set(r)
    .where('member_id', '=', memberId)
    .where('key', '=', key)
    .execute();
}

export async function releaseKey(db: Kysely<DB>, memberId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('member_id', '=', memberId).where('key', '=', key).execute();
}

/** Forgets keys older than `before`: a phone's outbox retries within hours, not days. */
export async function pruneKeys(db: Kysely<DB>, before: Date): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
