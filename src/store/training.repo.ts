import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

// What members took part in, for training records and hours: operations (exercises, drills, incidents) as
// participants, incidents through their roll calls, and training sessions attended.

export interface OperationTaken {
  member_id: string;
  operation_id: string;
  kind: 'exercise' | 'incident';
  type: 'general' | 'tracking' | 'detection';
  name: string;
  role: string;
  started_at: Date;
  ended_at: Date | null;
  running_since: Date | null;
  played_s: number;
  share_followed: number | null;
}

/** Started operations of the team with their participants (one member's, or everyone's), oldest first. */
export async function operationsTaken(
  db: Kysely<DB>,
  teamId: string,
  memberId?: string,
): Promise<OperationTaken[]> {
  let q = db
    .selectFrom('operation_participants as p')
    .innerJoin('operations as o', 'o.id', 'p.operation_id')
    .leftJoin('drill_scores as ds', (j) =>
      j.onRef('ds.operation_id', '=', 'p.operation_id').onRef('ds.tracker_id', '=', 'p.member_id'),
    )
    .select([
      'p.member_id',
      'p.operation_id',
      'o.kind',
      'o.type',
      'o.name',
      'p.role',
      'o.started_at',
      'o.ended_at',
      'o.running_since',
      'o.played_s',
      'ds.share_followed',
    ])
    .where('o.team_id', '=', teamId)
    .where('o.started_at', 'is not', null);
  if (memberId) q = q.where('p.member_id', '=', memberId);
  const rows = await q.orderBy('o.started_at').execute();
  return rows.map((r) => ({ ...r, started_at: new Date(r.started_at as Date) }));
}

export interface IncidentRollCall {
  operation_id: string;
  name: string;
  started_at: Date;
  ended_at: Date | null;
  member_ids: string[];
}

/** The team's incidents with everyone who was in one of their roll calls. */
export async function incidentRollCalls(db: Kysely<DB>, teamId: string): Promise<IncidentRollCall[]> {
  const rows = await db
    .selectFrom('roll_calls as rc')
    .innerJoin('operations as o', 'o.id', 'rc.operation_id')
    .select(['rc.operation_id', 'o.name', 'o.started_at', 'o.created_at', 'o.ended_at', 'rc.member_ids'])
    .where('o.team_id', '=', teamId)
    .where('o.kind', '=', 'incident')
    .execute();
  const byIncident = new Map<string, IncidentRollCall>();
  for (const r of rows) {
    const ids = r.member_ids;
    const had = byIncident.get(r.operation_id);
    if (had) had.member_ids = [...new Set([...had.member_ids, ...ids])];
    else
      byIncident.set(r.operation_id, {
        operation_id: r.operation_id,
        name: r.name,
        started_at: new Date(r.started_at ?? r.created_at),
        ended_at: r.ended_at ? new Date(r.ended_at) : null,
        member_ids: ids,
      });
  }
  return [...byIncident.values()];
}

export interface SessionAttended {
  member_id: string;
  session_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
}

/** Sessions (not cancelled) a member (or anyone in the team) was present at, oldest first. */
export async function sessionsAttended(
  db: Kysely<DB>,
  teamId: string,
  memberId?: string,
): Promise<SessionAttended[]> {
  let q = db
    .selectFrom('attendance as a')
    .innerJoin('training_sessions as s', 's.id', 'a.session_id')
    .select(['a.member_id', 'a.session_id', 's.title', 's.starts_at', 's.ends_at'])
    .where('s.team_id', '=', teamId)
    .where('s.cancelled_at', 'is', null)
    .where('a.status', '=', 'present');
  if (memberId) q = q.where('a.member_id', '=', memberId);
  const rows = await q.orderBy('s.starts_at').execute();
  return rows.map((r) => ({ ...r, starts_at: new Date(r.starts_at), ends_at: new Date(r.ends_at) }));
}

/** Skill ids practised per operation. */
export async function skillsOfOperations(
  db: Kysely<DB>,
  operationIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (operationIds.length === 0) return out;
  const rows = await db
    .selectFrom('operation_skills')
    .select(['operation_id', 'skill_id'])
    .where('operation_id', 'in', [...operationIds])
    .execute();
  for (const r of rows) out.set(r.operation_id, [...(out.get(r.operation_id) ?? []), r.skill_id]);
  return out;
}
