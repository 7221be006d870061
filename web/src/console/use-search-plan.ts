import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Position } from '../../../src/contract/positions.ts';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';

/** The figures follow a searcher's new position at most this often (each load clips every track again). */
const FOLLOW_MS = 2000;
/**
 * While searchers are out, a load now and then besides: a position stamped ahead of the server's clock counts only
 * once its time has come.
 */
const OUT_REFRESH_MS = 15_000;

export interface SearchPlanState {
  plan: SearchPlan | null;
  /** Takes a plan the server answered a change with, or fetches it again. */
  reload: (plan?: SearchPlan) => void;
}

/**
 * The search plan of the operation (none without one), live: loaded again at once when the plan changes
 * (`revision`, the team's `search.updated` count), and within FOLLOW_MS when a searcher still out reports a new
 * position, so the coverage and POD grow as they walk.
 */
export function useSearchPlan(
  operationId: string | null,
  revision: number,
  latest: Readonly<Record<string, Position>>,
): SearchPlanState {
  const [plan, setPlan] = useState<SearchPlan | null>(null);
  const load = useRef<(() => void) | null>(null);
  const lastLoad = useRef(0);
  useEffect(() => {
    if (!operationId) {
      setPlan(null);
      return;
    }
    let controller = new AbortController();
    const fetchPlan = () => {
      controller.abort();
      controller = new AbortController();
      lastLoad.current = Date.now();
      api<SearchPlan>(`/api/operations/${operationId}/search`, { signal: controller.signal })
        .then(setPlan)
        .catch(() => undefined);
    };
    load.current = fetchPlan;
    fetchPlan();
    return () => {
      controller.abort();
      load.current = null;
    };
  }, [operationId]);

  // A new revision (a change of the plan, or a reconnect) is the reason to load again.
  useEffect(() => {
    if (revision > 0) load.current?.();
  }, [revision]);

  const out = useMemo(
    () =>
      plan
        ? plan.segments.flatMap((s) => s.assignments.filter((a) => !a.endedAt).map((a) => a.memberId))
        : [],
    [plan],
  );
  const searching = out.length > 0;
  useEffect(() => {
    if (!searching) return;
    const timer = setInterval(() => load.current?.(), OUT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [searching]);
  const walked = out.map((id) => latest[id]?.time ?? '').join('|');
  useEffect(() => {
    if (walked.replaceAll('|', '') === '') return;
    const wait = Math.max(0, lastLoad.current + FOLLOW_MS - Date.now());
    const timer = setTimeout(() => load.current?.(), wait);
    return () => clearTimeout(timer);
  }, [walked]);

  const reload = useCallback((next?: SearchPlan) => {
    if (next) setPlan(next);
    else load.current?.();
  }, []);
  return { plan: plan && plan.operationId === operationId ? plan : null, reload };
}
