import type { Kysely } from 'kysely';
import { type Accountability, accountability } from '../../domain/roll-call.ts';
import { latestRollCall, listRollCallAnswers } from '../../store/incidents.repo.ts';
import type { DB } from '../../store/schema.ts';

/** Who is accounted for in the incident's latest roll call, at `nowMs` (undefined: none taken). */
export async function incidentAccountability(
  db: Kysely<DB>,
  teamId: string,
  incidentId: string,
  nowMs: number,
): Promise<Accountability | undefined> {
  const rc = await latestRollCall(db, incidentId);
  if (!rc || rc.team_id !== teamId) return undefined;
  const answers = await listRollCallAnswers(db, rc.id);
  return accountability(
    {
      memberIds: rc.member_ids,
      deadlineMs: new Date(rc.deadline_at).getTime(),
      answers: answers.map((a) => ({ memberId: a.member_id, status: a.status })),
    },
    nowMs,
  );
}
