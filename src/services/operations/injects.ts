import type { Kysely } from 'kysely';
import type { Operation } from '../../contract/operations.ts';
import { playedSeconds } from '../../domain/operation.ts';
import {
  type InjectRow,
  listInjects,
  markInjectDelivered,
  type OperationRow,
  runningExercisesWithPendingInjects,
} from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';

/**
 * Delivers the injects whose time (in played exercise time, pauses excluded) has come in every running
 * exercise, each once, as an `inject.delivered` event in exercise mode; returns how many.
 */
export async function deliverDueInjects(db: Kysely<DB>, bus: LiveBus, now: Date): Promise<number> {
  let delivered = 0;
  for (const op of await runningExercisesWithPendingInjects(db)) {
    const runningSince = op.running_since ? new Date(op.running_since).getTime() : null;
    const played = playedSeconds(op.played_s, runningSince, now.getTime());
    for (const inject of await listInjects(db, op.id)) {
      if (inject.delivered_at || inject.offset_s > played) continue;
      if (await deliverInject(db, bus, op, inject, now, null)) delivered++;
    }
  }
  return delivered;
}

/**
 * Delivers one inject (its time has come, or a controller sends it now): marked delivered once, logged as
 * `inject.delivered` in exercise mode and published. Undefined when another tick or node delivered it first.
 */
export async function deliverInject(
  db: Kysely<DB>,
  bus: LiveBus,
  op: Pick<OperationRow, 'id' | 'team_id'>,
  inject: Pick<InjectRow, 'id'>,
  now: Date,
  actor: string | null,
): Promise<Operation['injects'][number] | undefined> {
  const result = await db.transaction().execute(async (trx) => {
    const row = await markInjectDelivered(trx, inject.id, now);
    if (!row) return undefined;
    const delivered = {
      id: row.id,
      offsetS: row.offset_s,
      message: row.message,
      deliveredAt: now.toISOString(),
    };
    const body = { type: 'inject.delivered' as const, operationId: op.id, inject: delivered };
    return { delivered, event: await logEvent(trx, op.team_id, body, actor, now, 'exercise') };
  });
  if (!result) return undefined;
  publishEvents(bus, op.team_id, [result.event]);
  return result.delivered;
}
