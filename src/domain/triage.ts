import { ALERT_URGENCY, type AlertCore, alertHeadline } from './alerts.ts';
import type { AlertType, Mode, Role } from './vocabulary.ts';

/**
 * How an alert reaches a member:
 * - `howl`: what changed the mode, an SOS or an escalation (a callout raises one too); shown first, alone;
 * - `alarm`: a member's report that matters to everyone (hostiles seen, someone missing);
 * - `condition`: raised by Howl itself (separated, silent, outside the area, not moving); queued behind the
 *   others, grouped by condition, and only for the leaders and the member it is about.
 */
export type TriageClass = 'howl' | 'alarm' | 'condition';

/** The triage class of an alert type. */
export function triageClass(type: AlertType): TriageClass {
  switch (type) {
    case 'escalation':
    case 'sos':
      return 'howl';
    case 'contact':
    case 'missing':
      return 'alarm';
    case 'separation':
    case 'no_report':
    case 'geofence':
    case 'man_down':
      return 'condition';
    default: {
      const never: never = type;
      return never;
    }
  }
}

const CLASS_ORDER: readonly TriageClass[] = ['howl', 'alarm', 'condition'];

export interface Viewer {
  readonly memberId: string;
  readonly role: Role;
}

/** Whether an alert is for a member to take in: all of them, but a condition only for leaders and its subject. */
export function concerns(alert: { type: AlertType; subjectId: string | null }, viewer: Viewer): boolean {
  if (triageClass(alert.type) !== 'condition') return true;
  return viewer.role === 'leader' || alert.subjectId === viewer.memberId;
}

/** The ids of the members an alert goes to (its signal and its re-sends), in the order given. */
export function audience(
  alert: { type: AlertType; subjectId: string | null },
  members: ReadonlyArray<{ id: string; role: Role }>,
): string[] {
  return members.filter((m) => concerns(alert, { memberId: m.id, role: m.role })).map((m) => m.id);
}

export interface TriageAlert extends AlertCore {
  readonly id: string;
  readonly senderId: string | null;
  readonly subjectId: string | null;
  readonly subject: string | null;
  readonly sender: string;
  readonly count: number | null;
}

/**
 * What a member still has to take in: active alerts that concern them, that they did not send and have not
 * acknowledged, in triage order.
 */
export function pendingFor<T extends TriageAlert>(alerts: readonly T[], viewer: Viewer): TriageItem<T>[] {
  return triage(
    alerts.filter(
      (a) =>
        a.state === 'active' &&
        a.senderId !== viewer.memberId &&
        !a.ackedBy.includes(viewer.memberId) &&
        concerns(a, viewer),
    ),
  );
}

/** One thing to take in: a single alert, or a group of one condition's alerts (one acknowledgement for all). */
export interface TriageItem<T extends TriageAlert> {
  /** Stable while the item is shown: the alert's id, or `mode:type` for a group. */
  readonly key: string;
  readonly kind: TriageClass;
  readonly type: AlertType;
  readonly mode: Mode;
  readonly alerts: readonly T[];
}

const urgency = (t: AlertType) => ALERT_URGENCY.indexOf(t);

/**
 * Alerts in the order a member takes them in: real before exercise; then each howl alone (SOS before
 * escalation, oldest first), each alarm alone, then the conditions grouped by type (most urgent first,
 * each group oldest first). The caller picks which alerts (active, not acknowledged, concerning the viewer).
 */
export function triage<T extends TriageAlert>(alerts: readonly T[]): TriageItem<T>[] {
  const items: TriageItem<T>[] = [];
  const groups = new Map<string, T[]>();
  for (const a of alerts) {
    const kind = triageClass(a.type);
    if (kind !== 'condition') {
      items.push({ key: a.id, kind, type: a.type, mode: a.mode, alerts: [a] });
      continue;
    }
    const k = `${a.mode}:${a.type}`;
    const group = groups.get(k) ?? [];
    group.push(a);
    groups.set(k, group);
  }
  for (const [k, group] of groups) {
    const first = group[0] as T;
    group.sort((a, b) => a.timeMs - b.timeMs || (a.subject ?? '').localeCompare(b.subject ?? ''));
    items.push({ key: k, kind: 'condition', type: first.type, mode: first.mode, alerts: group });
  }
  const firstMs = (i: TriageItem<T>) => Math.min(...i.alerts.map((a) => a.timeMs));
  return items.sort(
    (a, b) =>
      Number(a.mode === 'exercise') - Number(b.mode === 'exercise') ||
      CLASS_ORDER.indexOf(a.kind) - CLASS_ORDER.indexOf(b.kind) ||
      urgency(a.type) - urgency(b.type) ||
      firstMs(a) - firstMs(b),
  );
}

const GROUP_HEADLINES: Partial<Record<AlertType, (n: number) => string>> = {
  separation: (n) => `${n} members separated from the team`,
  no_report: (n) => `${n} members have stopped reporting`,
  geofence: (n) => `${n} members left the exercise area`,
  man_down: (n) => `${n} members have not moved: man down?`,
};

/** One headline for an item: the alert's own, or for a group "4 members separated from the team". */
export function itemHeadline<T extends TriageAlert>(item: TriageItem<T>): string {
  const [only] = item.alerts;
  if (item.alerts.length === 1 && only) return alertHeadline(only);
  return GROUP_HEADLINES[item.type]?.(item.alerts.length) ?? `${item.alerts.length} alerts`;
}
