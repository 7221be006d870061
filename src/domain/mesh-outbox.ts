import { type AlertWords, alertSentence } from './alerts.ts';
import { EXERCISE_WORD, notificationText } from './mode.ts';
import type { Mode } from './vocabulary.ts';

/** The most a LoRa text may carry, in UTF-8 bytes (the firmware's payload is 233; apps keep to 200). */
export const MESH_TEXT_MAX_BYTES = 200;
/** Default wait between two texts Howl sends into one mesh: a LoRa channel carries a few packets a minute. */
export const MESH_SEND_INTERVAL_MS = 30_000;

/** One text waiting to go into a mesh. Alerts go before messages. */
export interface MeshText {
  kind: 'alert' | 'message';
  text: string;
}

/** What waits for one mesh: texts in order of arrival, and when the last one went out. */
export interface MeshOutbox {
  queue: readonly MeshText[];
  lastSentMs: number | null;
}

export const EMPTY_OUTBOX: MeshOutbox = { queue: [], lastSentMs: null };

/**
 * The outbox with `t` added, cut to `MESH_TEXT_MAX_BYTES`; a text equal to one already waiting is merged
 * into it (an alert re-sent, or the same words twice, go out once), an alert's kind winning.
 */
export function enqueueMeshText(box: MeshOutbox, t: MeshText): MeshOutbox {
  const text = fitBytes(t.text, MESH_TEXT_MAX_BYTES);
  const same = box.queue.findIndex((q) => q.text === text);
  if (same < 0) return { ...box, queue: [...box.queue, { kind: t.kind, text }] };
  if (t.kind === 'message' || box.queue[same]?.kind === 'alert') return box;
  return { ...box, queue: box.queue.map((q, i) => (i === same ? { kind: 'alert', text } : q)) };
}

/**
 * What to send now, if anything: the oldest alert, else the oldest message, once `intervalMs` has passed
 * since the last text; the outbox without it; and how long until the next may go (0: now).
 */
export function nextMeshText(
  box: MeshOutbox,
  nowMs: number,
  intervalMs: number,
): { send?: MeshText; box: MeshOutbox; waitMs: number } {
  const waitMs = box.lastSentMs === null ? 0 : Math.max(0, box.lastSentMs + intervalMs - nowMs);
  if (box.queue.length === 0 || waitMs > 0) return { box, waitMs };
  const alert = box.queue.findIndex((q) => q.kind === 'alert');
  const pick = alert >= 0 ? alert : 0;
  const send = box.queue[pick];
  return {
    send,
    box: { queue: box.queue.filter((_, i) => i !== pick), lastSentMs: nowMs },
    waitMs: intervalMs,
  };
}

/** An alert as a mesh text: the domain's notification wording, which marks the mode ("EXERCISE …" or "REAL …"). */
export function meshAlertText(a: AlertWords & { mode: Mode }): string {
  return fitBytes(notificationText(a.mode, alertSentence(a)), MESH_TEXT_MAX_BYTES);
}

/** A team message as a mesh text: "CALLSIGN: text", prefixed EXERCISE in an exercise. */
export function meshMessageText(m: { mode: Mode; senderCallsign: string; text: string }): string {
  const line = `${m.senderCallsign}: ${m.text}`;
  return fitBytes(m.mode === 'exercise' ? `${EXERCISE_WORD} ${line}` : line, MESH_TEXT_MAX_BYTES);
}

/** `text` cut to at most `maxBytes` of UTF-8, on a character boundary, ending in "…" when cut. */
export function fitBytes(text: string, maxBytes: number): string {
  const enc = new TextEncoder();
  if (enc.encode(text).length <= maxBytes) return text;
  const budget = maxBytes - enc.encode('…').length;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = enc.encode(ch).length;
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}
