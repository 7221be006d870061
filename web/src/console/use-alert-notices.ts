import { useEffect, useRef } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import { alertLine } from '../shared/alert-view.ts';

/** Calls `notify` with the mode's wording for every alert raised after the first load. */
export function useAlertNotices(
  loaded: boolean,
  alerts: readonly Alert[],
  notify: (text: string, mode: Alert['mode']) => void,
): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!loaded) return;
    if (!seen.current) {
      seen.current = new Set(alerts.map((a) => a.id));
      return;
    }
    for (const a of alerts) {
      if (seen.current.has(a.id)) continue;
      seen.current.add(a.id);
      if (a.state === 'active') notify(alertLine(a), a.mode);
    }
  }, [loaded, alerts, notify]);
}
