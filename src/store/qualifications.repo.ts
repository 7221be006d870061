import type { Kysely, Selectable } from 'kysely';
import type { DB, QualificationsTable } from './schema.ts';

export type QualificationRow = Selectable<QualificationsTable> & {
  skill_name: string;
  signer_callsign: string;
};

function withNames(db: Kysely<DB>) {
  return db
    .selectFrom('qualifications as q')
    .innerJoin('skills as s', 's.id', 'q.skill_id')
    .innerJoin('members as signer', 'signer.id', 'q.signed_off_by')
    .selectAll('q')
    .select(['s.name as skill_name', 'signer.callsign as signer_callsign']);
}

/** Sign-offs of the team (or of one member), newest first; revoked ones and archived skills left out. */
export async function listQualifications(
  db: Kysely<DB>,
  teamId: string,
  memberId?: string,
): Promise<QualificationRow[]> {
  let q = withNames(db)
    .where('q.team_id', '=', teamId)
    .where('q.revoked_at', 'is', null)
    .where('s.archived_at', 'is', null);
  if (memberId) q = q.where('q.member_id', '=', memberId);
  return q.orderBy('q.signed_at', 'desc').orderBy('q.id').execute();
}

export async function getQualification(db: Kysely<DB>, id: string): Promise<QualificationRow | undefined> {
  return withNames(db).where('q.id', '=', id).executeTakeFirst();
}

export async function insertQualification(
  db: Kysely<DB>,
  q: {
    id: string;
    team_id: string;
    member_id: string;
    skill_id: string;
    signed_off_by: string;
    signed_at: Date;
    expires_at: Date | null;
    note: string;
  },
): Promise<void> {
  await db.insertInto('qualifications').values(q).execute();
}

export async function revokeQualification(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('qualifications').set({ revoked_at: at }).where('id', '=', id).execute();
}
