import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { HowlError } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import type { Operation } from '../../contract/operations.ts';
import { escalation, playedSeconds } from '../../domain/operation.ts';
import {
  findActiveOperation,
  getOperation,
  insertOperation,
  type OperationRow,
  updateOperation,
} from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { logEvent } from '../core/event-log.ts';
import { toOperation } from './operation-mapper.ts';

/**
 * How a real incident opens, inside the caller's transaction: a running or paused exercise is suspended
 * (its played time kept, so that it can resume once the incident closes), the incident is inserted, and both
 * changes are logged in real mode. The caller publishes the events after commit.
 */
export async function suspendAndOpen(
  trx: Kysely<DB>,
  teamId: string,
  o: { name: string; reason: string; actor: string | null; now: Date },
): Promise<{ incident: Operation; exerciseId: string | null; events: LiveEvent[] }> {
  const { actor, now } = o;
  const active = await findActiveOperation(trx, teamId);
  const e = escalation(active);
  if (!e.ok) throw new HowlError(409, 'conflict', `cannot escalate: ${e.reason}`, { field: 'operation' });
  let exerciseId: string | null = null;
  if (active && e.suspends) {
    const runningSince = active.running_since ? new Date(active.running_since).getTime() : null;
    const suspended = await updateOperation(trx, active.id, {
      state: 'suspended',
      running_since: null,
      played_s: playedSeconds(active.played_s, runningSince, now.getTime()),
    });
    exerciseId = suspended.id;
  }
  const row = await insertOperation(trx, {
    id: randomUUID(),
    team_id: teamId,
    kind: 'incident',
    name: o.name,
    scenario: o.reason,
    area: null,
    state: 'open',
    escalated_from: exerciseId,
    created_by: actor,
    created_at: now,
    started_at: now,
  });
  const events: LiveEvent[] = [];
  const logChange = async (change: 'suspended' | 'opened', operation: Operation) =>
    events.push(
      await logEvent(
        trx,
        teamId,
        { type: 'operation.updated', change, by: actor, operation },
        actor,
        now,
        'real',
      ),
    );
  if (exerciseId) {
    const exercise = (await getOperation(trx, exerciseId)) as OperationRow;
    await logChange('suspended', await toOperation(trx, exercise, now.getTime()));
  }
  const incident = await toOperation(trx, row, now.getTime());
  await logChange('opened', incident);
  return { incident, exerciseId, events };
}
