import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Mode } from '../../../src/contract/common.ts';
import type { Message, MessageList } from '../../../src/contract/messages.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import { EXERCISE_PREFIX, teamMode } from '../../../src/domain/mode.ts';
import { api } from './api.ts';
import { LiveClient, type LiveStatus } from './live.ts';

/** How many messages a screen keeps (the newest). */
const KEEP = 200;

/** Adds messages to a list, newest first, each once. */
export function mergeMessages(list: readonly Message[], added: readonly Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of added) byId.set(m.id, m);
  return [...byId.values()]
    .sort((a, b) => (a.time === b.time ? (a.id < b.id ? 1 : -1) : a.time < b.time ? 1 : -1))
    .slice(0, KEEP);
}

/** A message's text as every screen shows it: exercise traffic says EXERCISE first. */
export function messageText(m: Pick<Message, 'mode' | 'text'>): string {
  return m.mode === 'exercise' ? `${EXERCISE_PREFIX} — ${m.text}` : m.text;
}

/** The team's mode from the operations heard of: an open incident first, else a running exercise. */
export function modeOfOperations(ops: Iterable<Operation>): Mode {
  const all = [...ops];
  return teamMode(all.find((o) => o.state === 'open') ?? all.find((o) => teamMode(o) === 'exercise'));
}

/**
 * The team's messages, live: the recent ones over REST, then `message.posted` from the live channel. Every
 * (re)connect reloads the recent ones, so nothing sent between the load and the socket is missed.
 */
export function useMessages(options: { token?: string; enabled?: boolean } = {}) {
  const { token, enabled = true } = options;
  const [messages, setMessages] = useState<Message[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [operations, setOperations] = useState<ReadonlyMap<string, Operation>>(new Map());

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const load = () =>
      api<MessageList>('/api/messages?limit=50', { token, signal: abort.signal })
        .then((res) => {
          setLoadError(null);
          setMessages((prev) => mergeMessages(prev, res.messages));
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) setLoadError(err instanceof Error ? err.message : String(err));
        });
    void load();
    const client = new LiveClient({
      token,
      onStatus: setStatus,
      onMessage: (m) => {
        if (m.type === 'snapshot') {
          setOperations(new Map(m.operation ? [[m.operation.id, m.operation]] : []));
          void load();
        } else if (m.type === 'event' && m.event.type === 'operation.updated') {
          const op = m.event.operation;
          setOperations((prev) => new Map(prev).set(op.id, op));
        } else if (m.type === 'event' && m.event.type === 'message.posted') {
          const posted = m.event.message;
          setMessages((prev) => mergeMessages(prev, [posted]));
        }
      },
    });
    client.start();
    return () => {
      abort.abort();
      client.stop();
    };
  }, [token, enabled]);

  /** Sends a message; it shows at once, and the live event that follows agrees with it. */
  const send = useCallback(
    async (text: string): Promise<Message> => {
      const m = await api<Message>('/api/messages', { method: 'POST', token, body: { text } });
      setMessages((prev) => mergeMessages(prev, [m]));
      return m;
    },
    [token],
  );

  const mode = useMemo(() => modeOfOperations(operations.values()), [operations]);
  return { messages, status, loadError, mode, send };
}
