/**
 * The words every layer shares: modes, alert types and states, operation kinds, states and actions,
 * roll-call answers. They live here, in the pure core, so that `src/domain` imports nothing but itself;
 * `src/contract` builds its zod enums from these lists (`z.enum(MODES)`), so each list exists once.
 */

/** `exercise` only while an exercise runs; everything else is `real`. */
export const MODES = ['exercise', 'real'] as const;
export type Mode = (typeof MODES)[number];

export const ROLES = ['leader', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ALERT_TYPES = [
  'escalation',
  'sos',
  'contact',
  'separation',
  'no_report',
  'geofence',
  'man_down',
  'missing',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_STATES = ['active', 'cancelled', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const OPERATION_KINDS = ['exercise', 'incident'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * Exercise: planned → running (STARTEX) ⇄ paused (safety time-out) → ended (ENDEX);
 * suspended when escalated to a real incident. Incident: open → closed.
 */
export const OPERATION_STATES = [
  'planned',
  'running',
  'paused',
  'suspended',
  'ended',
  'open',
  'closed',
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

export const OPERATION_ACTIONS = ['start', 'pause', 'resume', 'end'] as const;
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

export const ROLL_CALL_STATUSES = ['ok', 'injured', 'needs_help', 'missing'] as const;
export type RollCallStatus = (typeof ROLL_CALL_STATUSES)[number];
