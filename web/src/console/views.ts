import { useCallback, useEffect, useState } from 'react';

/** The console's top-level views, kept in the address (`#/drills`) so a reload or a link opens the same view. */
export const CONSOLE_VIEWS = [
  { id: 'map', label: 'Map' },
  { id: 'drills', label: 'Drills' },
  { id: 'records', label: 'Records' },
  { id: 'calendar', label: 'Calendar' },
  { id: 'replay', label: 'Replay' },
] as const;
export type ConsoleView = (typeof CONSOLE_VIEWS)[number]['id'];

/** The view and the rest of the address after it (`#/records/MEMBER` → 'records', 'MEMBER'). */
export function parseViewHash(hash: string): { view: ConsoleView; rest: string } {
  const [head = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const view = CONSOLE_VIEWS.find((v) => v.id === head)?.id ?? 'map';
  return { view, rest: view === 'map' ? '' : rest.join('/') };
}

export function viewHash(view: ConsoleView, rest = ''): string {
  return view === 'map' ? '#/' : `#/${view}${rest ? `/${rest}` : ''}`;
}

/** The current view from `location.hash`, following the browser's back and forward buttons. */
export function useConsoleView(): {
  view: ConsoleView;
  rest: string;
  go: (view: ConsoleView, rest?: string) => void;
} {
  const [parsed, setParsed] = useState(() => parseViewHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setParsed(parseViewHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = useCallback((view: ConsoleView, rest = '') => {
    window.location.hash = viewHash(view, rest);
  }, []);
  return { ...parsed, go };
}
