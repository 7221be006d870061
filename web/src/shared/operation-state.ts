import type { Alert } from '../../../src/contract/alerts.ts';
import type { CalloutResponse, IncidentBoard } from '../../../src/contract/incidents.ts';
import type { LiveEvent } from '../../../src/contract/live.ts';
import type { Inject, Operation } from '../../../src/contract/operations.ts';
import { isActive } from '../../../src/domain/operation.ts';

/** The operation side of the team: the active operation, its board, alerts and exercise traffic. */
export interface OperationState {
  /** The team's active operation (a running or paused exercise, or an open incident). */
  operation: Operation | null;
  /** Exercises planned and not started yet (the console seeds these over REST). */
  planned: readonly Operation[];
  /** Every alert known: the active ones of the snapshot, then every update seen. */
  alerts: readonly Alert[];
  /** Roll call, casualties, contacts and callout of the active operation. */
  board: IncidentBoard | null;
  /** Injects delivered in the active exercise, in delivery order. */
  injects: readonly Inject[];
  /** The latest `alert.reminder`; `n` counts them so that each one can re-sound the alarm. */
  reminder: { alertId: string; memberIds: readonly string[]; n: number } | null;
}

export const emptyOperationState: OperationState = {
  operation: null,
  planned: [],
  alerts: [],
  board: null,
  injects: [],
  reminder: null,
};

export const EMPTY_BOARD: IncidentBoard = {
  rollCall: null,
  casualties: [],
  subjects: [],
  contacts: [],
  callout: [],
};

function upsert<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const next = [...list];
  next[i] = item;
  return next;
}

const delivered = (op: Operation | null): Inject[] =>
  (op?.injects ?? [])
    .filter((i) => i.deliveredAt !== null)
    .sort((a, b) => (a.deliveredAt ?? '').localeCompare(b.deliveredAt ?? ''));

/** The state from a (re)connect snapshot. Known inactive alerts are kept: the snapshot lists active ones only. */
export function fromSnapshot(
  state: OperationState,
  snap: { operation: Operation | null; alerts: readonly Alert[]; board: IncidentBoard | null },
): OperationState {
  const ids = new Set(snap.alerts.map((a) => a.id));
  const kept = state.alerts.filter((a) => !ids.has(a.id) && a.state !== 'active');
  return {
    ...state,
    operation: snap.operation,
    planned: snap.operation ? state.planned.filter((p) => p.id !== snap.operation?.id) : state.planned,
    alerts: [...snap.alerts, ...kept],
    board: snap.board ?? (snap.operation ? EMPTY_BOARD : null),
    injects: delivered(snap.operation),
  };
}

/** The state after an operation changed: it becomes the active one, or stops being it. */
export function withOperation(state: OperationState, op: Operation): OperationState {
  const planned =
    op.state === 'planned' ? upsert(state.planned, op) : state.planned.filter((p) => p.id !== op.id);
  const current = state.operation;
  if (isActive(op)) {
    const same = current?.id === op.id;
    return {
      ...state,
      planned,
      operation: op,
      board: same ? (state.board ?? EMPTY_BOARD) : EMPTY_BOARD,
      injects: same && state.injects.length >= delivered(op).length ? state.injects : delivered(op),
    };
  }
  if (current?.id === op.id) return { ...state, planned, operation: null, board: null, injects: [] };
  return { ...state, planned };
}

/** The state with one alert added or replaced. */
export function withAlert(state: OperationState, alert: Alert): OperationState {
  return { ...state, alerts: upsert(state.alerts, alert) };
}

function withCallout(list: readonly CalloutResponse[], r: CalloutResponse): CalloutResponse[] {
  return [...list.filter((x) => x.memberId !== r.memberId), r];
}

/** The state after an operation-side live event; other events leave it as it is. */
export function withOperationEvent(state: OperationState, event: LiveEvent): OperationState {
  const board = state.board ?? EMPTY_BOARD;
  switch (event.type) {
    case 'operation.updated':
      return withOperation(state, event.operation);
    case 'inject.delivered':
      if (event.operationId !== state.operation?.id) return state;
      return state.injects.some((i) => i.id === event.inject.id)
        ? state
        : { ...state, injects: [...state.injects, event.inject] };
    case 'alert.updated':
      return withAlert(state, event.alert);
    case 'rollcall.updated':
      return { ...state, board: { ...board, rollCall: event.rollCall } };
    case 'casualty.updated':
      return { ...state, board: { ...board, casualties: upsert(board.casualties, event.casualty) } };
    case 'contact.updated':
      return { ...state, board: { ...board, contacts: upsert(board.contacts, event.contact) } };
    case 'subject.updated':
      return { ...state, board: { ...board, subjects: upsert(board.subjects, event.subject) } };
    case 'callout.updated':
      if (state.operation && event.operationId !== state.operation.id) return state;
      return { ...state, board: { ...board, callout: withCallout(board.callout, event.response) } };
    default:
      return state;
  }
}

/** The state after an `alert.reminder`: the alert as sent, and a new reminder to re-sound it. */
export function withReminder(
  state: OperationState,
  reminder: { alertId: string; memberIds: readonly string[]; alert: Alert },
): OperationState {
  return {
    ...withAlert(state, reminder.alert),
    reminder: { alertId: reminder.alertId, memberIds: reminder.memberIds, n: (state.reminder?.n ?? 0) + 1 },
  };
}

/** The state with the planned exercises of a REST list (`GET /api/operations`). */
export function withOperationList(state: OperationState, ops: readonly Operation[]): OperationState {
  return { ...state, planned: ops.filter((o) => o.state === 'planned') };
}

/** The state with the alerts of a REST list merged in (live updates already seen win when newer). */
export function withAlertList(state: OperationState, alerts: readonly Alert[]): OperationState {
  const known = new Map(state.alerts.map((a) => [a.id, a]));
  const merged = alerts.map((a) => {
    const live = known.get(a.id);
    if (!live) return a;
    const newer =
      (live.state !== 'active' && a.state === 'active') ||
      live.acknowledgements.length > a.acknowledgements.length;
    return newer ? live : a;
  });
  const ids = new Set(alerts.map((a) => a.id));
  return { ...state, alerts: [...merged, ...state.alerts.filter((a) => !ids.has(a.id))] };
}
