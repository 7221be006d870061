import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { LiveMessage } from '../../../src/contract/live.ts';
import type { Member, Team } from '../../../src/contract/members.ts';
import type { Message, MessageList } from '../../../src/contract/messages.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Position, Trails } from '../../../src/contract/positions.ts';
import { api } from './api.ts';
import { loadKept, saveKept, toKept } from './kept-state.ts';
import { LiveClient, type LiveStatus } from './live.ts';
import { mergeMessages } from './messages.ts';
import { withAlert, withAlertList, withOperation, withOperationList } from './operation-state.ts';
import { applyLive, emptyTeamState, type TeamState, TRAIL_WINDOW_MS, withTrails } from './team-state.ts';
import { setClockStyle } from './time.ts';

type Action =
  | { type: 'live'; message: LiveMessage }
  | { type: 'trails'; trails: Readonly<Record<string, readonly Position[]>> }
  | { type: 'rest'; team: Team; members: readonly Member[] }
  | { type: 'team'; team: Team }
  | { type: 'members'; members: readonly Member[] }
  | { type: 'operations'; operations: readonly Operation[] }
  | { type: 'operation'; operation: Operation }
  | { type: 'alerts'; alerts: readonly Alert[] }
  | { type: 'alert'; alert: Alert }
  | { type: 'messages'; messages: readonly Message[] };

function reduce(state: TeamState, action: Action): TeamState {
  const now = Date.now();
  switch (action.type) {
    case 'live':
      return applyLive(state, action.message, now);
    case 'trails':
      return withTrails(state, action.trails, now);
    case 'rest':
      // Only a fallback until the live snapshot arrives, which is fresher.
      return state.loaded ? state : { ...state, loaded: true, team: action.team, members: action.members };
    case 'team':
      return { ...state, team: action.team };
    case 'members':
      return { ...state, members: action.members };
    case 'operations':
      return { ...state, ...withOperationList(state, action.operations) };
    case 'operation':
      return { ...state, ...withOperation(state, action.operation) };
    case 'alerts':
      return { ...state, ...withAlertList(state, action.alerts) };
    case 'alert':
      return { ...state, ...withAlert(state, action.alert) };
    case 'messages':
      return { ...state, messages: mergeMessages(state.messages, action.messages) };
  }
}

export interface LiveTeamOptions {
  /** Field page: bearer token for REST and the socket. Console: omitted, the session cookie is used. */
  token?: string;
  /** The console: also load the team, members, last hour of trails, operations and alerts over REST. */
  withTrails?: boolean;
  /** false: do nothing yet (e.g. before login). */
  enabled?: boolean;
  /**
   * Keep the team as last seen under this browser-storage key, and open with it: the field page shows it,
   * with its age, when there is no network.
   */
  keepAs?: string;
}

const KEEP_EVERY_MS = 2000;

/** The team as seen live: REST for the first paint, then the `/api/live` snapshot and updates. */
export function useLiveTeam(options: LiveTeamOptions) {
  const { token, withTrails: loadTrails = false, enabled = true, keepAs } = options;
  const [kept] = useState(() => (keepAs ? loadKept(keepAs) : null));
  const [state, dispatch] = useReducer(reduce, kept?.state ?? emptyTeamState);
  // Every time on the page follows the team's clock style (set before this render's children format any).
  setClockStyle(state.team?.clock);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  /** When the server was last heard from (a live message), in ms; null before it ever was. */
  const [heardAtMs, setHeardAtMs] = useState<number | null>(kept?.heardAtMs ?? null);

  // What was last heard is kept (at most every 2 s), so that the next visit opens with it even offline.
  const latest = useRef({ state, heardAtMs });
  latest.current = { state, heardAtMs };
  useEffect(() => {
    if (!keepAs) return;
    let saved: unknown = null;
    const save = () => {
      const { state: s, heardAtMs: at } = latest.current;
      if (at === null || !s.loaded || saved === s) return;
      saved = s;
      saveKept(keepAs, toKept(s, at));
    };
    const id = setInterval(save, KEEP_EVERY_MS);
    window.addEventListener('pagehide', save);
    return () => {
      clearInterval(id);
      window.removeEventListener('pagehide', save);
      save();
    };
  }, [keepAs]);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const signal = abort.signal;
    const ignore = (err: unknown) => {
      if (!signal.aborted) console.warn('howl: initial load failed', err);
    };
    if (loadTrails) {
      Promise.all([
        api<Team>('/api/team', { token, signal }),
        api<{ members: Member[] }>('/api/members', { token, signal }),
      ])
        .then(([team, list]) => dispatch({ type: 'rest', team, members: list.members }))
        .catch(ignore);
      const since = new Date(Date.now() - TRAIL_WINDOW_MS).toISOString();
      api<Trails>(`/api/positions/trails?since=${encodeURIComponent(since)}`, { token, signal })
        .then((res) => dispatch({ type: 'trails', trails: res.trails }))
        .catch(ignore);
      api<{ operations: Operation[] }>('/api/operations', { token, signal })
        .then((res) => dispatch({ type: 'operations', operations: res.operations }))
        .catch(ignore);
      api<{ alerts: Alert[] }>('/api/alerts', { token, signal })
        .then((res) => dispatch({ type: 'alerts', alerts: res.alerts }))
        .catch(ignore);
    }
    // Each (re)connect reloads the recent messages, so none sent while the socket was down is missed.
    const loadMessages = () =>
      api<MessageList>('/api/messages?limit=50', { token, signal })
        .then((res) => dispatch({ type: 'messages', messages: res.messages }))
        .catch(ignore);
    const client = new LiveClient({
      token,
      onMessage: (message) => {
        dispatch({ type: 'live', message });
        setHeardAtMs(Date.now());
        if (message.type === 'snapshot') void loadMessages();
      },
      onStatus: setStatus,
    });
    client.start();
    return () => {
      abort.abort();
      client.stop();
    };
  }, [token, loadTrails, enabled]);

  // A leader's own changes show at once, even if the live channel is down; live events agree later.
  const setTeam = useCallback((team: Team) => dispatch({ type: 'team', team }), []);
  const reloadMembers = useCallback(async () => {
    const list = await api<{ members: Member[] }>('/api/members', { token });
    dispatch({ type: 'members', members: list.members });
  }, [token]);

  // An action's own answer shows at once; the live event that follows agrees with it.
  const putOperation = useCallback((operation: Operation) => dispatch({ type: 'operation', operation }), []);
  const putAlert = useCallback((alert: Alert) => dispatch({ type: 'alert', alert }), []);
  const putMessage = useCallback(
    (message: Message) => dispatch({ type: 'messages', messages: [message] }),
    [],
  );

  return { state, status, heardAtMs, setTeam, reloadMembers, putOperation, putAlert, putMessage };
}
