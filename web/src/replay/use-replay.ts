import { useEffect, useMemo, useState } from 'react';
import type { LiveEvent } from '../../../src/contract/live.ts';
import type { Replay, ReplayMember } from '../../../src/contract/replay.ts';
import { type EventKind, eventKind } from '../../../src/domain/replay-events.ts';
import { type MemberTrack, unpackTracks } from '../../../src/domain/replay-tracks.ts';
import { api, errorMessage } from '../shared/api.ts';

/** A logged event with the time it was logged, as the domain's replay functions read it. */
export type TimedEvent = LiveEvent & { timeMs: number };

/** A replay decoded once: tracks as Float64Arrays, events timed, the listed ones apart. */
export interface LoadedReplay {
  raw: Replay;
  fromMs: number;
  toMs: number;
  /** Context (the state before the window) then the window's events, in log order. */
  events: TimedEvent[];
  /** The window's events a timeline lists, with their kind. */
  listed: Array<{ event: TimedEvent; kind: EventKind }>;
  tracks: MemberTrack[];
  members: ReadonlyMap<string, ReplayMember>;
  staleMs: number;
}

/** Where a replay comes from: an operation (`#/replay/ID`) or a window (`#/replay/window/FROM/TO`). */
export type ReplaySource = { operationId: string } | { from: string; to: string };

export function replayPath(source: ReplaySource): string {
  return 'operationId' in source
    ? `/api/operations/${encodeURIComponent(source.operationId)}/replay`
    : `/api/replay?from=${encodeURIComponent(source.from)}&to=${encodeURIComponent(source.to)}`;
}

/** The replay's address after `#/replay/`. */
export function parseReplayRest(rest: string): ReplaySource | null {
  const [head = '', from = '', to = ''] = rest.split('/').map(decodeURIComponent);
  if (!head) return null;
  return head === 'window' ? { from, to } : { operationId: head };
}

function decode(raw: Replay): LoadedReplay {
  const timed = (e: Replay['events'][number]): TimedEvent => ({ ...e.event, timeMs: Date.parse(e.time) });
  const windowEvents = raw.events.map(timed);
  const listed: LoadedReplay['listed'] = [];
  for (const event of windowEvents) {
    const kind = eventKind(event);
    if (kind) listed.push({ event, kind });
  }
  return {
    raw,
    fromMs: Date.parse(raw.from),
    toMs: Date.parse(raw.to),
    events: [...raw.context.map(timed), ...windowEvents],
    listed,
    tracks: unpackTracks(raw.positions),
    members: new Map(raw.members.map((m) => [m.id, m])),
    staleMs: raw.staleSeconds * 1000,
  };
}

/** Loads a replay once and decodes it once. */
export function useReplay(source: ReplaySource): { replay: LoadedReplay | null; error: string | null } {
  const path = replayPath(source);
  const [raw, setRaw] = useState<Replay | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    setRaw(null);
    setError(null);
    api<Replay>(path, { signal: abort.signal })
      .then(setRaw)
      .catch((err) => {
        if (!abort.signal.aborted) setError(errorMessage(err));
      });
    return () => abort.abort();
  }, [path]);
  const replay = useMemo(() => (raw ? decode(raw) : null), [raw]);
  return { replay, error };
}
