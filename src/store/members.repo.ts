import type { Kysely, Selectable } from 'kysely';
import { changedColumns } from './patch.ts';
import type { DB, MembersTable } from './schema.ts';

export type MemberRow = Selectable<MembersTable>;

export async function insertMember(
  db: Kysely<DB>,
  m: {
    id: string;
    team_id: string;
    name: string;
    callsign: string;
    role: 'leader' | 'member';
    kind?: 'person' | 'animal';
    handler_id?: string | null;
  },
): Promise<MemberRow> {
  return db.insertInto('members').values(m).returningAll().executeTakeFirstOrThrow();
}

export async function getMember(db: Kysely<DB>, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The team's current (not removed) members, by callsign. */
export async function listMembers(db: Kysely<DB>, teamId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('removed_at', 'is', null)
    .orderBy('callsign')
    .execute();
}

export async function findMemberByCallsign(
  db: Kysely<DB>,
  teamId: string,
  callsign: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('callsign', '=', callsign.toUpperCase())
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** Current members with this callsign in any team (password login names no team). */
export async function findMembersByCallsign(db: Kysely<DB>, callsign: string): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('callsign', '=', callsign.toUpperCase())
    .where('removed_at', 'is', null)
    .execute();
}

/** Changes a member's name, callsign, role or handler; returns the row as it now is. */
export async function updateMember(
  db: Kysely<DB>,
  id: string,
  patch: { name?: string; callsign?: string; role?: 'leader' | 'member'; handler_id?: string },
): Promise<MemberRow> {
  const set = changedColumns(patch);
  if (!set) return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return db.updateTable('members').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function markMemberRemoved(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('members').set({ removed_at: at }).where('id', '=', id).execute();
}

export async function setPasswordHash(db: Kysely<DB>, id: string, hash: string): Promise<void> {
  await db.updateTable('members').set({ password_hash: hash }).where('id', '=', id).execute();
}

export async function countTeamMembers(db: Kysely<DB>, teamId: string): Promise<number> {
  const r = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
