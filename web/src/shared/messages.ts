import type { Message } from '../../../src/contract/messages.ts';
import { EXERCISE_PREFIX } from '../../../src/domain/mode.ts';
import { api } from './api.ts';

/** How many messages a screen keeps (the newest). */
export const MESSAGES_KEPT = 200;

/** Adds messages to a list, newest first, each once. */
export function mergeMessages(list: readonly Message[], added: readonly Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of added) byId.set(m.id, m);
  return [...byId.values()]
    .sort((a, b) => (a.time === b.time ? (a.id < b.id ? 1 : -1) : a.time < b.time ? 1 : -1))
    .slice(0, MESSAGES_KEPT);
}

/** A message's text as every screen shows it: exercise traffic says EXERCISE first. */
export function messageText(m: Pick<Message, 'mode' | 'text'>): string {
  return m.mode === 'exercise' ? `${EXERCISE_PREFIX} — ${m.text}` : m.text;
}

/** Sends a message to the team (the field page with its token, the console with its session). */
export function postMessage(text: string, token?: string): Promise<Message> {
  return api<Message>('/api/messages', { method: 'POST', token, body: { text } });
}
