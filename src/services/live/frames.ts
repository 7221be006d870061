import type { LiveMessage } from '../../contract/live.ts';

/**
 * A live message as the frame every viewer is sent: serialized once, however many viewers the team has (the
 * bus hands each of them the same object). Held weakly: gone with the message.
 */
const frames = new WeakMap<LiveMessage, string>();

export function frameOf(m: LiveMessage): string {
  let f = frames.get(m);
  if (f === undefined) {
    f = JSON.stringify(m);
    frames.set(m, f);
  }
  return f;
}
