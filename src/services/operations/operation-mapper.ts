import type { Kysely } from 'kysely';
import type { Operation } from '../../contract/operations.ts';
import { playedSeconds } from '../../domain/operation.ts';
import {
  findEscalatedTo,
  listInjects,
  listParticipants,
  type OperationRow,
} from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The API form of a stored operation, with its participants, injects and played time at `nowMs`. */
export async function toOperation(db: Kysely<DB>, r: OperationRow, nowMs: number): Promise<Operation> {
  const [participants, injects, escalatedTo] = await Promise.all([
    listParticipants(db, r.id),
    listInjects(db, r.id),
    r.kind === 'exercise' ? findEscalatedTo(db, r.id) : Promise.resolve(undefined),
  ]);
  const runningSince = r.running_since ? new Date(r.running_since).getTime() : null;
  return {
    id: r.id,
    kind: r.kind,
    type: r.type,
    name: r.name,
    scenario: r.scenario,
    area: r.area,
    state: r.state,
    mode: r.kind === 'exercise' ? 'exercise' : 'real',
    participants: participants as Operation['participants'],
    injects: injects.map((i) => ({
      id: i.id,
      offsetS: i.offset_s,
      message: i.message,
      deliveredAt: iso(i.delivered_at),
    })),
    escalatedFrom: r.escalated_from,
    escalatedTo: escalatedTo ?? null,
    createdAt: iso(r.created_at) ?? '',
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    pausedAt: iso(r.paused_at),
    pausedBy: r.paused_by,
    playedS: Math.round(playedSeconds(r.played_s, runningSince, nowMs)),
    closeOverride: r.close_override,
    summary: r.summary,
  };
}
