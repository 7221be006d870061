import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';

/** How often the plan is fetched again: its figures follow the positions walked. */
const REFRESH_MS = 5000;

export interface SearchPlanState {
  plan: SearchPlan | null;
  /** Takes a plan the server answered a change with, or fetches it again. */
  reload: (plan?: SearchPlan) => void;
}

/** The search plan of the operation (none without one), fetched again every few seconds. */
export function useSearchPlan(operationId: string | null): SearchPlanState {
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
      api<SearchPlan>(`/api/operations/${operationId}/search`, { signal: controller.signal })
        .then(setPlan)
        .catch(() => undefined);
    };
    load.current = fetchPlan;
    fetchPlan();
    const timer = setInterval(fetchPlan, REFRESH_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
      load.current = null;
    };
  }, [operationId]);
  const reload = useCallback((next?: SearchPlan) => {
    if (next) setPlan(next);
    else load.current?.();
  }, []);
  return { plan: plan && plan.operationId === operationId ? plan : null, reload };
}
