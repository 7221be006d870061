import type { Kysely } from 'kysely';
import { badRequest, HowlError, notFound } from '../../contract/errors.ts';
import { mayActFor } from '../../domain/drill-roles.ts';
import { teamSkillIds } from '../../store/drills.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import { type Auth, requireMember } from '../core/auth.ts';
import type { DrillFacts } from './drill-scoring.ts';

/** A leader, the member themself, or a K9's handler may act for a participant. */
export async function requireActsFor(
  db: Kysely<DB>,
  auth: Auth,
  teamId: string,
  memberId: string,
): Promise<void> {
  requireMember(auth, teamId);
  if (auth.kind !== 'member' || mayActFor(auth, { id: memberId, handlerId: null })) return;
  const member = await getMember(db, memberId);
  const participant = { id: memberId, handlerId: member?.team_id === teamId ? member.handler_id : null };
  if (mayActFor(auth, participant)) return;
  throw new HowlError(403, 'forbidden', 'only a leader or a K9’s handler may do this for another member');
}

/** The member must be the drill's runner or one of its trackers. */
export function requireParticipant(facts: DrillFacts, memberId: string): void {
  if (memberId !== facts.runnerId && !facts.trackerIds.includes(memberId))
    throw badRequest('memberId', `${memberId} is not the runner or a tracker of this drill`);
}

/** The member must belong to the team: a 400 naming `field`, or a 404. */
export async function requireTeamMember(
  db: Kysely<DB>,
  teamId: string,
  memberId: string,
  field: string,
  status = 400,
): Promise<void> {
  const m = await getMember(db, memberId);
  if (!m || m.team_id !== teamId || m.removed_at) {
    if (status === 404) throw notFound('member');
    throw badRequest(field, `${memberId} is not a member of this team`);
  }
}

/** Every skill must be one of the team's. */
export async function requireTeamSkills(
  db: Kysely<DB>,
  teamId: string,
  skillIds: readonly string[],
): Promise<void> {
  const found = new Set(await teamSkillIds(db, teamId, skillIds));
  const missing = skillIds.find((s) => !found.has(s));
  if (missing) throw badRequest('skillIds', `${missing} is not a skill of this team`);
}
