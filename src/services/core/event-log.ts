import type { Kysely } from 'kysely';
import type { Mode } from '../../contract/common.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { teamMode } from '../../domain/mode.ts';
import { appendEvent, type EventRow, eventsAfter, lastSeq } from '../../store/events.repo.ts';
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

/** The team's stored events after `afterSeq` up to and including `upToSeq`, in order, read a page at a time. */
export async function storedEventsBetween(
  db: Kysely<DB>,
  teamId: string,
  afterSeq: number,
  upToSeq: number,
): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  let from = afterSeq;
  while (from < upToSeq) {
    const rows = await eventsAfter(db, teamId, from, Math.min(1000, upToSeq - from));
    if (rows.length === 0) break;
    for (const row of rows) out.push(fromEventRow(row));
    from = Number(rows[rows.length - 1]?.seq);
  }
  return out;
}

/** The team's newest sequence number. */
export function latestSeq(db: Kysely<DB>, teamId: string): Promise<number> {
  return lastSeq(db, teamId);
}
