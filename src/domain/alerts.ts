import { REAL_BANNER } from './mode.ts';
import { isSosAlarm } from './presence.ts';
import type { AlertState, AlertType, Mode } from './vocabulary.ts';

export interface AlertCore {
  readonly type: AlertType;
  readonly mode: Mode;
  readonly state: AlertState;
  readonly timeMs: number;
  readonly ackedBy: readonly string[];
}

/** Alert types, most urgent first: what comes first among alerts raised at the same moment. */
export const ALERT_URGENCY: readonly AlertType[] = [
  'sos',
  'missing',
  'man_down',
  'escalation',
  'contact',
  'no_report',
  'separation',
  'geofence',
];

/** Alerts as the team sees them: active first, then newest first, then the most urgent first. */
export function sortAlerts<T extends AlertCore>(alerts: readonly T[]): T[] {
  return [...alerts].sort((a, b) => {
    const act = Number(b.state === 'active') - Number(a.state === 'active');
    if (act !== 0) return act;
    if (b.timeMs !== a.timeMs) return b.timeMs - a.timeMs;
    return ALERT_URGENCY.indexOf(a.type) - ALERT_URGENCY.indexOf(b.type);
  });
}

/** Members of `memberIds` who have not acknowledged the alert. */
export function unacknowledged(alert: AlertCore, memberIds: readonly string[]): string[] {
  const acked = new Set(alert.ackedBy);
  return memberIds.filter((id) => !acked.has(id));
}

/** Whether an active real alert is due to be sent again to those who have not acknowledged. */
export function resendDue(alert: AlertCore, lastSentMs: number, nowMs: number, intervalS: number): boolean {
  return alert.state === 'active' && alert.mode === 'real' && nowMs - lastSentMs >= intervalS * 1000;
}

/** Alert types that Howl raises by itself and resolves when the condition ends. */
export const CONDITION_ALERTS: readonly AlertType[] = ['separation', 'no_report', 'geofence', 'man_down'];

/**
 * Members with an active SOS out, with its mode: the alert, not a position's alarm word, says who is calling
 * for help, whatever client sent it (the field page, a Traccar alarm, a TAK emergency).
 */
export function sosSenders(
  alerts: ReadonlyArray<{ type: string; mode: Mode; state: AlertState; senderId: string | null }>,
): Map<string, Mode> {
  return new Map(
    alerts.flatMap((a) =>
      a.type === 'sos' && a.state === 'active' && a.senderId ? [[a.senderId, a.mode] as const] : [],
    ),
  );
}

/** One headline for an alert, in words a member reads at a glance. */
export function alertHeadline(a: {
  type: AlertType;
  sender: string;
  subject: string | null;
  count: number | null;
}): string {
  switch (a.type) {
    case 'escalation':
      return `${REAL_BANNER} declared by ${a.sender}`;
    case 'sos':
      return `SOS from ${a.sender}`;
    case 'contact':
      return `CONTACT: ${a.count ?? '?'} hostile${a.count === 1 ? '' : 's'} reported by ${a.sender}`;
    case 'separation':
      return `${a.subject ?? '?'} is separated from the team`;
    case 'no_report':
      return `${a.subject ?? '?'} has stopped reporting`;
    case 'geofence':
      return `${a.subject ?? '?'} left the exercise area`;
    case 'man_down':
      return `${a.subject ?? '?'} has not moved: man down?`;
    case 'missing':
      return `${a.subject ?? '?'} is reported MISSING`;
    default: {
      const never: never = a.type;
      return never;
    }
  }
}

/** What an alert says, as every notification, push and webhook words it. */
export interface AlertWords {
  type: AlertType;
  sender: string;
  subject: string | null;
  count: number | null;
  text: string;
}

/** The headline with what the sender said, when they said more: "SOS from SCOTT: fell at the quarry". */
export function alertSentence(a: AlertWords): string {
  const headline = alertHeadline(a);
  const said = a.text.trim();
  return said && said !== headline ? `${headline}: ${said}` : headline;
}

/** What Howl makes of a device's alarm word: an SOS, an alert about the member, or a logged notice. */
export type DeviceAlarmAction =
  | { kind: 'sos' }
  | { kind: 'alert'; type: Extract<AlertType, 'man_down' | 'geofence'> }
  | { kind: 'notice'; notice: 'low_battery' | 'alarm' };

/**
 * The action for a device's alarm, by Traccar's alarm names (`Position.ALARM_*`, which its OsmAnd decoder
 * passes through as sent): `sos` (and panic or emergency words) an SOS; `fallDown` a man-down alert;
 * `geofenceExit` a geofence alert; `lowBattery` and `lowPower` a low-battery notice; anything else
 * (`general`, `geofenceEnter`, `vibration`, …) a notice carrying the word as sent. Case does not matter.
 */
export function deviceAlarmAction(alarm: string): DeviceAlarmAction {
  if (isSosAlarm(alarm)) return { kind: 'sos' };
  switch (alarm.trim().toLowerCase()) {
    case 'falldown':
      return { kind: 'alert', type: 'man_down' };
    case 'geofenceexit':
      return { kind: 'alert', type: 'geofence' };
    case 'lowbattery':
    case 'lowpower':
      return { kind: 'notice', notice: 'low_battery' };
    default:
      return { kind: 'notice', notice: 'alarm' };
  }
}
