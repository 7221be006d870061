import type { LatLon } from '../../contract/common.ts';
import type { Operation } from '../../contract/operations.ts';
import type { Position } from '../../contract/positions.ts';

/** A device reported an alarm (OsmAnd `alarm=sos|fallDown|lowBattery|…`, TAK emergencies). */
export interface DeviceAlarm {
  teamId: string;
  memberId: string;
  deviceId: string;
  alarm: string;
  position: Position;
}

/** An incident was opened, by escalation of an exercise or by a callout. */
export interface IncidentOpened {
  teamId: string;
  incident: Operation;
  /** The exercise it interrupted, if any. */
  exerciseId: string | null;
  actorId: string | null;
  reason: string;
  position?: LatLon;
}

/**
 * Every effect one service has on another, by name, with its payload (immich's `EventMap` is the model).
 * Services publish after their own change has committed; the subscribers are wired once, in
 * `createServices`, which refuses to build services with an event nobody handles. This is also the seam a
 * cluster's bus plugs into.
 */
export interface InternalEventMap {
  /** An incident was opened: everyone is alerted, the roll call starts, a suspended drill keeps its tracks. */
  'incident.opened': IncidentOpened;
  /** An incident closed: what was raised in it (and in the exercise it interrupted) is over. */
  'incident.closed': { teamId: string; operationIds: readonly string[] };
  /** ENDEX: an exercise ended (a tracking drill takes its tracks from the positions and scores them). */
  'exercise.ended': { teamId: string; exercise: Operation };
  /** A stored position carried an alarm: SOS raises an SOS, other words become alerts or notices. */
  'device.alarm': DeviceAlarm;
}

export type InternalEventName = keyof InternalEventMap;

/** Every event name, for the check that each has its subscribers. */
export const INTERNAL_EVENT_NAMES: readonly InternalEventName[] = [
  'incident.opened',
  'incident.closed',
  'exercise.ended',
  'device.alarm',
] satisfies readonly InternalEventName[];

type Handler<K extends InternalEventName> = (payload: InternalEventMap[K]) => Promise<void>;

/**
 * The typed in-process emitter of internal events. `emit` runs the subscribers one after another, in the
 * order they subscribed, and waits for them: the caller learns of a failure (an SOS that raised no alert is
 * an error, not silence). One failing subscriber does not keep the others from running; the first error is
 * thrown after all have run.
 */
export class InternalEvents {
  private readonly handlers = new Map<InternalEventName, Array<Handler<InternalEventName>>>();

  on<K extends InternalEventName>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<InternalEventName>);
    this.handlers.set(name, list);
  }

  async emit<K extends InternalEventName>(name: K, payload: InternalEventMap[K]): Promise<void> {
    const list = this.handlers.get(name);
    if (!list?.length) throw new Error(`internal event ${name} has no subscriber`);
    let failure: unknown;
    for (const handler of list) {
      try {
        await handler(payload);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }

  /** How many subscribers an event has. */
  subscribers(name: InternalEventName): number {
    return this.handlers.get(name)?.length ?? 0;
  }

  /** Throws unless every event has at least one subscriber. */
  assertWired(): void {
    const missing = INTERNAL_EVENT_NAMES.filter((n) => this.subscribers(n) === 0);
    if (missing.length) throw new Error(`internal events without a subscriber: ${missing.join(', ')}`);
  }
}
