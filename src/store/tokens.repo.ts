import type { Kysely, Selectable } from 'kysely';
import type { DB, TokenKind, TokensTable } from './schema.ts';

export type TokenRow = Selectable<TokensTable>;

export async function insertToken(
  db: Kysely<DB>,
  t: {
    id: string;
    token_hash: string;
    member_id: string;
    team_id: string;
    kind: TokenKind;
    expires_at: Date | null;
  },
): Promise<void> {
  await db.insertInto('tokens').values(t).execute();
}

/** A token that is neither revoked, expired nor (for login links) used. */
export async function findLiveToken(db: Kysely<DB>, hash: string, now: Date): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

/** Marks a single-use token used; undefined if it was already used, revoked or expired. */
export async function consumeToken(
  db: Kysely<DB>,
  hash: string,
  kind: TokenKind,
  now: Date,
): Promise<TokenRow | undefined> {
  return db
    .updateTable('tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .returningAll()
    .executeTakeFirst();
}

/** Revokes the member's tokens (of the given kinds) and returns their ids. */
export async function revokeMemberTokens(
  db: Kysely<DB>,
  memberId: string,
  kinds: readonly TokenKind[],
  now: Date,
  exceptId?: string,
): Promise<string[]> {
  let q = db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('member_id', '=', memberId)
    .where('kind', 'in', kinds)
    .where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Revokes one token of a kind; returns its id, if it was live. */
export async function revokeToken(
  db: Kysely<DB>,
  hash: string,
  kind: TokenKind,
  now: Date,
): Promise<string | undefined> {
  const r = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('token_hash', '=', hash)
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}
