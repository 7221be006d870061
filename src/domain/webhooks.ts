import { type AlertWords, alertSentence } from './alerts.ts';
import { notificationText } from './mode.ts';
import type { AlertType, Mode } from './vocabulary.ts';

/** What a team's webhook may be sent. */
export const WEBHOOK_EVENTS = ['real_alert', 'exercise_alert', 'callout', 'rollcall'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Attempts before a delivery is given up, and the waits between them (5 s, 10 s, 20 s … at most 1 h). */
export const MAX_ATTEMPTS = 8;
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 5000 * 2 ** Math.max(0, attempts - 1));
}

/** Which webhook event an alert is: the howl that opens an incident is a callout. */
export function alertEvent(a: { type: AlertType; mode: Mode }): WebhookEvent {
  if (a.mode === 'exercise') return 'exercise_alert';
  return a.type === 'escalation' ? 'callout' : 'real_alert';
}

/** The body of an alert's webhook: its mode in a field and in the text, ready for an SMS or a chat line. */
export function alertWebhookBody(
  a: AlertWords & {
    id: string;
    mode: Mode;
    time: string;
    position: { lat: number; lon: number } | null;
  },
  team: { id: string; name: string },
): { event: WebhookEvent; body: Record<string, unknown> } {
  const where = a.position ? ` (${a.position.lat.toFixed(5)}, ${a.position.lon.toFixed(5)})` : '';
  const event = alertEvent(a);
  return {
    event,
    body: {
      event,
      mode: a.mode,
      team: { id: team.id, name: team.name },
      text: `${notificationText(a.mode, alertSentence(a))}${where}`,
      alert: {
        id: a.id,
        type: a.type,
        sender: a.sender,
        subject: a.subject,
        time: a.time,
        position: a.position,
      },
    },
  };
}

/** The body of a roll call's webhook. */
export function rollCallWebhookBody(
  r: { id: string; mode: Mode; deadlineAt: string; memberIds: readonly string[] },
  team: { id: string; name: string },
): { event: WebhookEvent; body: Record<string, unknown> } {
  return {
    event: 'rollcall',
    body: {
      event: 'rollcall',
      mode: r.mode,
      team: { id: team.id, name: team.name },
      text: notificationText(r.mode, `ROLL CALL: ${r.memberIds.length} members must answer by the deadline`),
      rollCall: { id: r.id, deadlineAt: r.deadlineAt, members: r.memberIds.length },
    },
  };
}
