import { alertHeadline } from './alerts.ts';
import { EXERCISE_WORD, REAL_BANNER } from './mode.ts';
import type { ReplayEventCore } from './replay.ts';
import { accountabilityAt } from './replay.ts';

/** The further fields of a logged event that its line on a timeline reads. */
export interface ListedEvent extends ReplayEventCore {
  readonly change?: string;
  readonly by?: string | null;
  readonly inject?: { readonly message: string };
  readonly message?: { readonly senderCallsign: string; readonly text: string };
  readonly response?: {
    readonly memberId: string;
    readonly status: string;
    readonly etaMinutes: number | null;
  };
  readonly notice?: { readonly kind: string; readonly callsign: string };
  readonly subject?: { readonly name: string; readonly status: string };
}

/** What kind of moment an event is on the timeline: how the list marks it and where "next event" stops. */
export type EventKind =
  | 'operation'
  | 'alert'
  | 'ack'
  | 'rollcall'
  | 'casualty'
  | 'contact'
  | 'inject'
  | 'message'
  | 'other';

const LISTED: Record<string, EventKind> = {
  'operation.updated': 'operation',
  'alert.updated': 'alert',
  'rollcall.updated': 'rollcall',
  'casualty.updated': 'casualty',
  'contact.updated': 'contact',
  'inject.delivered': 'inject',
  'message.posted': 'message',
  'callout.updated': 'other',
  'subject.updated': 'other',
  'search.updated': 'other',
  'device.notice': 'other',
};

/** The kind of a listed event, or null for one a replay does not list (members, tokens, training records). */
export function eventKind(e: ListedEvent): EventKind | null {
  if (e.type === 'alert.updated' && e.change === 'acknowledged') return 'ack';
  return LISTED[e.type] ?? null;
}

const OPERATION_WORDS: Record<string, (kind: string, name: string) => string> = {
  created: (kind, name) => (kind === 'incident' ? `Callout: ${name}` : `Exercise planned: ${name}`),
  started: (_, name) => `STARTEX: ${name}`,
  paused: () => 'SAFETY TIME-OUT',
  resumed: () => 'Exercise resumed',
  ended: (_, name) => `ENDEX: ${name}`,
  suspended: (_, name) => `Exercise suspended (real incident): ${name}`,
  opened: (_, name) => `${REAL_BANNER}: incident opened: ${name}`,
  closed: (_, name) => `Incident closed: ${name}`,
};

const SEARCH_WORDS: Record<string, string> = {
  segment: 'segment drawn or changed',
  poa: 'probability of area set',
  assignment: 'searchers assigned or recalled',
};

/**
 * One line for a listed event, in the words the console uses (`callsign` names a member by id). Exercise
 * traffic keeps its EXERCISE word so that a line read alone is never taken for real.
 */
export function eventLine(e: ListedEvent, callsign: (memberId: string | null | undefined) => string): string {
  const ex = e.mode === 'exercise' ? `${EXERCISE_WORD} ` : '';
  const by = e.by ? ` (${callsign(e.by)})` : '';
  switch (e.type) {
    case 'operation.updated': {
      const op = e.operation;
      const words = OPERATION_WORDS[e.change ?? ''];
      return words && op ? `${words(op.kind, op.name)}${by}` : `Operation ${e.change ?? 'updated'}${by}`;
    }
    case 'alert.updated': {
      if (!e.alert) return 'Alert';
      const head = `${ex}${alertHeadline(e.alert)}`;
      if (e.change === 'acknowledged') return `${callsign(e.by)} acknowledged: ${head}`;
      if (e.change === 'cancelled') return `Cancelled${by}: ${head}`;
      if (e.change === 'resolved') return `Resolved: ${head}`;
      return head;
    }
    case 'rollcall.updated': {
      const acc = accountabilityAt(e.rollCall ?? null, e.timeMs);
      return acc ? `Roll call: ${acc.accounted.length} of ${acc.total} accounted` : 'Roll call';
    }
    case 'casualty.updated':
      if (!e.casualty) return 'Casualty';
      return `Casualty: ${e.casualty.memberId ? callsign(e.casualty.memberId) : (e.casualty.subjectName ?? 'the subject')}, ${e.casualty.triage}`;
    case 'subject.updated':
      return e.subject ? `Subject ${e.subject.name}: ${e.subject.status.replace('_', ' ')}` : 'Subject';
    case 'contact.updated': {
      const c = e.contact;
      if (!c) return 'Contact';
      const gone = c.withdrawn > 0 ? `, ${c.withdrawn} withdrawn` : '';
      return `${ex}Contact: ${c.count} hostile${c.count === 1 ? '' : 's'}${gone}`;
    }
    case 'inject.delivered':
      return `${EXERCISE_WORD} inject: ${e.inject?.message ?? ''}`;
    case 'message.posted':
      return `${ex}${e.message?.senderCallsign ?? '?'}: ${e.message?.text ?? ''}`;
    case 'callout.updated': {
      const r = e.response;
      if (!r) return 'Callout response';
      const eta = r.etaMinutes !== null ? `, ETA ${r.etaMinutes} min` : '';
      return `${callsign(r.memberId)}: ${r.status}${eta}`;
    }
    case 'device.notice':
      return `${e.notice?.callsign ?? '?'}: ${(e.notice?.kind ?? 'notice').replace('_', ' ')}`;
    case 'search.updated':
      return `${ex}Search plan: ${SEARCH_WORDS[e.change ?? ''] ?? 'changed'}${by}`;
    default:
      return e.type;
  }
}
