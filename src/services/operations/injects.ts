import type { Kysely } from 'kysely';
import { playedSeconds } from '../../domain/operation.ts';
import {
  listInjects,
  markInjectDelivered,
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
      const event = await db.transaction().execute(async (trx) => {
        const row = await markInjectDelivered(trx, inject.id, now);
        if (!row) return undefined;
        const body = {
          type: 'inject.delivered' as const,
          operationId: op.id,
          inject: {
            id: row.id,
            offsetS: row.offset_s,
            message: row.message,
            deliveredAt: now.toISOString(),
          },
        };
        return logEvent(trx, op.team_id, body, null, now, 'exercise');
      });
      if (event) {
        publishEvents(bus, op.team_id, [event]);
        delivered++;
      }
    }
  }
  return delivered;
}
