import type { Alert } from '../../../src/contract/alerts.ts';
import type { Member } from '../../../src/contract/members.ts';
import { type AlertCore, alertHeadline, sortAlerts, unacknowledged } from '../../../src/domain/alerts.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { notificationText } from '../../../src/domain/mode.ts';
import { itemHeadline, pendingFor, type TriageItem, type Viewer } from '../../../src/domain/triage.ts';
import { api } from './api.ts';
import { describeFrom } from './relative.ts';

/** An alert with what the domain rules look at. */
export type AlertView = Alert & AlertCore;

export function alertView(alert: Alert): AlertView {
  return { ...alert, timeMs: Date.parse(alert.time), ackedBy: alert.acknowledgements.map((a) => a.memberId) };
}

/** Alerts as the team sees them, active first (the domain's order). */
export function sortedAlerts(alerts: readonly Alert[]): AlertView[] {
  return sortAlerts(alerts.map(alertView));
}

export function ackedBy(alert: Alert, memberId: string): boolean {
  return alert.acknowledgements.some((a) => a.memberId === memberId);
}

/** The current members, the sender left out, who have not acknowledged the alert. */
export function notAcknowledged(alert: Alert, members: readonly Member[]): Member[] {
  const others = members.filter((m) => m.id !== alert.senderId);
  const open = new Set(
    unacknowledged(
      alertView(alert),
      others.map((m) => m.id),
    ),
  );
  return others.filter((m) => open.has(m.id));
}

/** The headline with its mode's wording: "EXERCISE EXERCISE EXERCISE — …" or "REAL — NOT A DRILL — …". */
export function alertLine(alert: Alert): string {
  return notificationText(alert.mode, alertHeadline(alert));
}

/** "350 m NE · 42°" from the viewer to the alert, or null when either position is unknown. */
export function whereFrom(from: Point | null, to: Point | null): string | null {
  if (!from || !to) return null;
  const rel = describeFrom(from, to);
  return `${rel.text} · ${rel.bearing}°`;
}

/** The callsign of a member id; "HOWL" when Howl itself acted, "?" for someone no longer in the team. */
export function callsignOf(members: readonly Member[], id: string | null | undefined): string {
  if (!id) return 'HOWL';
  return members.find((m) => m.id === id)?.callsign ?? '?';
}

/** One thing to take in: a single alert or a group of one condition's alerts. */
export type AlertItem = TriageItem<AlertView>;

/** What a member still has to take in, in triage order: the howl first, alone; conditions grouped behind. */
export function pendingItems(alerts: readonly Alert[], viewer: Viewer): AlertItem[] {
  return pendingFor(alerts.map(alertView), viewer);
}

/** An item's headline with its mode's wording ("REAL — NOT A DRILL — 4 members separated from the team"). */
export function itemLine(item: AlertItem): string {
  return notificationText(item.mode, itemHeadline(item));
}

/** Something that sends a write now or keeps it for later (the field app's outbox). */
export interface Sender {
  send<T>(kind: 'ack', path: string, body: unknown, label: string): Promise<T | undefined>;
}

/**
 * Acknowledges every alert of an item for the caller, in one request; returns the alerts as they are now
 * (none yet when `sender` kept the acknowledgement for later).
 */
export async function acknowledgeItem(item: AlertItem, token?: string, sender?: Sender): Promise<Alert[]> {
  const [only] = item.alerts;
  const single = item.alerts.length === 1 && only;
  const path = single ? `/api/alerts/${only.id}/ack` : '/api/alerts/ack';
  const body = single ? {} : { alertIds: item.alerts.map((a) => a.id) };
  const res = sender
    ? await sender.send<Alert | { alerts: Alert[] }>('ack', path, body, 'Acknowledgement')
    : await api<Alert | { alerts: Alert[] } | undefined>(path, { method: 'POST', token, body });
  return acknowledgedAlerts(res);
}

/** The alerts an acknowledgement's answer carries: one alert, or a group's. */
export function acknowledgedAlerts(res: unknown): Alert[] {
  if (!res || typeof res !== 'object') return [];
  if ('alerts' in res && Array.isArray(res.alerts)) return res.alerts as Alert[];
  return 'id' in res ? [res as Alert] : [];
}
