import { useEffect, useRef } from 'react';
import type { Position } from '../../../src/contract/positions.ts';

/**
 * Calls `load` soon after any of `memberIds` reports a new position, at most once every `everyMs` (each load
 * reads their tracks again on the server): a page whose figures come from what members walk follows them.
 */
export function useFollowWalk(
  memberIds: readonly string[],
  latest: Readonly<Record<string, Position>>,
  everyMs: number,
  load: () => void,
): void {
  const last = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const walked = memberIds.map((id) => latest[id]?.time ?? '').join('|');
  useEffect(() => {
    if (walked.replaceAll('|', '') === '') return;
    const wait = Math.max(0, last.current + everyMs - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      loadRef.current();
    }, wait);
    return () => clearTimeout(timer);
  }, [walked, everyMs]);
}
