import { readStored, writeStored } from './stored.ts';
import type { TeamState } from './team-state.ts';

/** The team as last seen, kept in the browser so that the page opens with it when there is no network. */
export interface KeptState {
  state: TeamState;
  /** When the server was last heard from, in ms. */
  heardAtMs: number;
}

const VERSION = 1;
/** Trails are redrawn from the server; the messages shown offline are the newest few. */
const MESSAGES_KEPT = 20;

/** The state as kept: without trails or a pending reminder, which mean nothing once stale. */
export function toKept(state: TeamState, heardAtMs: number): KeptState {
  return {
    state: { ...state, trails: {}, reminder: null, messages: state.messages.slice(0, MESSAGES_KEPT) },
    heardAtMs,
  };
}

export function saveKept(key: string, kept: KeptState): void {
  writeStored(key, { v: VERSION, ...kept });
}

/** The kept state, or null when there is none (or it was written by another version of the page). */
export function loadKept(key: string): KeptState | null {
  const data = readStored<Partial<KeptState> & { v?: number }>(key);
  if (data?.v !== VERSION || !data.state || typeof data.heardAtMs !== 'number') return null;
  return { state: data.state, heardAtMs: data.heardAtMs };
}
