import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Position } from '../../../src/contract/positions.ts';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { api } from './api.ts';
import { useFollowWalk } from './use-follow-walk.ts';

/**
 * Whose positions the figures follow, and at most how often (each load clips every track again): the console
 * follows every searcher out within 2 s; a searcher's phone only its own walk, every 30 s.
 */
export interface Follow {
  readonly memberId?: string;
  readonly everyMs: number;
}
const CONSOLE_FOLLOW: Follow = { everyMs: 2000 };
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
 * (`revision`, the team's `search.updated` count), and soon after a searcher still out reports a new position
 * (`follow`), so the coverage and POD grow as they walk.
 */
export function useSearchPlan(
  operationId: string | null,
  revision: number,
  latest: Readonly<Record<string, Position>>,
  /** The field page's bearer token; the console relies on its session cookie. */
  token?: string,
  follow: Follow = CONSOLE_FOLLOW,
): SearchPlanState {
  const [plan, setPlan] = useState<SearchPlan | null>(null);
  const load = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!operationId) {
      setPlan(null);
      return;
    }
    let controller = new AbortController();
    const fetchPlan = () => {
      controller.abort();
      controller = new AbortController();
      api<SearchPlan>(`/api/operations/${operationId}/search`, { signal: controller.signal, token })
        .then(setPlan)
        .catch(() => undefined);
    };
    load.current = fetchPlan;
    fetchPlan();
    return () => {
      controller.abort();
      load.current = null;
    };
  }, [operationId, token]);

  // A new revision (a change of the plan, or a reconnect) is the reason to load again.
  useEffect(() => {
    if (revision > 0) load.current?.();
  }, [revision]);

  const out = useMemo(
    () =>
      (plan?.segments ?? []).flatMap((s) =>
        s.assignments
          .filter((a) => !a.endedAt && (follow.memberId === undefined || a.memberId === follow.memberId))
          .map((a) => a.memberId),
      ),
    [plan, follow.memberId],
  );
  const searching = out.length > 0;
  useEffect(() => {
    if (!searching) return;
    const timer = setInterval(() => load.current?.(), Math.max(OUT_REFRESH_MS, follow.everyMs));
    return () => clearInterval(timer);
  }, [searching, follow.everyMs]);
  useFollowWalk(out, latest, follow.everyMs, () => load.current?.());

  const reload = useCallback((next?: SearchPlan) => {
    if (next) setPlan(next);
    else load.current?.();
  }, []);
  return { plan: plan && plan.operationId === operationId ? plan : null, reload };
}
