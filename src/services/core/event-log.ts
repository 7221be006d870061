import type { Kysely } from 'kysely';
import type { Mode } from '../../contract/common.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { teamMode } from '../../domain/mode.ts';
import { appendEvent, type EventRow } from '../../store/events.repo.ts';
import { findActiveOperation } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { LiveBus } from '../live/live-bus.ts';

type Omit2<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventBody = Omit2<LiveEvent, 'seq' | 'mode'>;

/**
 * Appends an event to the team's log (call inside the transaction that made the change). Its
 * mode is the team's mode as that transaction sees it, unless the caller names one.
 */
export async function logEvent(
  trx: Kysely<DB>,
  teamId: string,
  body: EventBody,
  actorId: string | null,
  now: Date,
  modeOverride?: Mode,
): Promise<LiveEvent> {
  const mode = modeOverride ?? teamMode(await findActiveOperation(trx, teamId));
  const { type, ...payload } = body;
  const seq = await appendEvent(trx, { teamId, type, mode, actorId, time: now, payload });
  return { ...body, seq, mode } as LiveEvent;
}

/** Sends logged events to the team's live subscribers, after their transaction committed. */
export function publishEvents(bus: LiveBus, teamId: string, events: readonly LiveEvent[]): void {
  for (const event of events) bus.publish(teamId, { type: 'event', event });
}

/** Rebuilds the live form of a stored event. */
export function fromEventRow(row: EventRow): LiveEvent {
  return { ...row.payload, type: row.type, seq: Number(row.seq), mode: row.mode } as LiveEvent;
}
