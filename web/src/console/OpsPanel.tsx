import { useEffect, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { Message } from '../../../src/contract/messages.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { pendingItems } from '../shared/alert-view.ts';
import { isIncident } from '../shared/incident-view.ts';
import type { TeamState } from '../shared/team-state.ts';
import type { SearchPlanState } from '../shared/use-search-plan.ts';
import { AlertsTab } from './AlertsTab.tsx';
import { IncidentTab } from './IncidentTab.tsx';
import { MessagesTab } from './MessagesTab.tsx';
import type { ShownRings } from './map-rings.ts';
import type { Reference } from './member-view.ts';
import { OperationTab } from './OperationTab.tsx';
import { SearchTab } from './SearchTab.tsx';
import type { SearchColouring } from './search-view.ts';
import type { MapPick } from './use-map-pick.ts';
import './ops.css';
import './incident.css';
import './alerts.css';

type Tab = 'operation' | 'incident' | 'search' | 'alerts' | 'messages';

interface Props {
  me: Me;
  state: TeamState;
  nowMs: number;
  reference: Reference | null;
  pick: MapPick;
  onOperation: (op: Operation) => void;
  onAlert: (alert: Alert) => void;
  onMessage: (message: Message) => void;
  /** Goes up each time the Alerts tab is asked for (e.g. from the console's alarm). */
  alertsRequest?: number;
  /** The operation's search plan and how the map colours it. */
  search: SearchPlanState & {
    colouring: SearchColouring;
    onColouring: (c: SearchColouring) => void;
    rings: ShownRings | null;
    onRings: (rings: ShownRings | null) => void;
  };
}

/** The right-hand panel: exercises, the real incident, and alerts. */
export function OpsPanel(props: Props) {
  const {
    me,
    state,
    nowMs,
    reference,
    pick,
    onOperation,
    onAlert,
    onMessage,
    alertsRequest = 0,
    search,
  } = props;
  const incident = isIncident(state.operation) ? state.operation : null;
  const [tab, setTab] = useState<Tab>(incident ? 'incident' : 'operation');
  // An incident opening takes the panel over; its closing gives it back.
  const incidentId = incident?.id ?? null;
  useEffect(() => setTab(incidentId ? 'incident' : 'operation'), [incidentId]);
  useEffect(() => {
    if (alertsRequest > 0) setTab('alerts');
  }, [alertsRequest]);

  const active = state.alerts.filter((a) => a.state === 'active');
  const urgent = pendingItems(state.alerts, { memberId: me.memberId, role: me.role }).some(
    (i) => i.mode === 'real',
  );
  const searching = state.operation !== null && state.operation !== undefined;
  const shown = (tab === 'incident' && !incident) || (tab === 'search' && !searching) ? 'operation' : tab;

  return (
    <aside className="ops-panel" data-testid="ops-panel">
      <div className="ops-tabs" role="tablist">
        {incident && (
          <TabButton tab="incident" current={shown} onSelect={setTab} className="tab-real">
            Incident
          </TabButton>
        )}
        <TabButton tab="operation" current={shown} onSelect={setTab}>
          Exercise
        </TabButton>
        {searching && (
          <TabButton tab="search" current={shown} onSelect={setTab}>
            Search
          </TabButton>
        )}
        <TabButton tab="alerts" current={shown} onSelect={setTab} className={urgent ? 'tab-urgent' : ''}>
          Alerts{active.length > 0 ? ` (${active.length})` : ''}
        </TabButton>
        <TabButton tab="messages" current={shown} onSelect={setTab}>
          Messages
        </TabButton>
      </div>
      <div className="ops-body" data-testid="ops-body">
        {shown === 'incident' && incident && (
          <IncidentTab
            me={me}
            incident={incident}
            state={state}
            reference={reference}
            nowMs={nowMs}
            onClosed={onOperation}
          />
        )}
        {shown === 'operation' && (
          <OperationTab
            me={me}
            state={state}
            pick={pick}
            onOperation={onOperation}
            onShowIncident={() => setTab('incident')}
          />
        )}
        {shown === 'search' && (
          <SearchTab
            plan={search.plan}
            members={state.members}
            isLeader={me.role === 'leader'}
            pick={pick}
            colouring={search.colouring}
            onColouring={search.onColouring}
            onPlan={search.reload}
            subjects={state.board?.subjects ?? []}
            rings={search.rings}
            onRings={search.onRings}
          />
        )}
        {shown === 'alerts' && (
          <AlertsTab me={me} state={state} reference={reference} pick={pick} onAlert={onAlert} />
        )}
        {shown === 'messages' && <MessagesTab state={state} onMessage={onMessage} />}
      </div>
    </aside>
  );
}

function TabButton(props: {
  tab: Tab;
  current: Tab;
  onSelect: (tab: Tab) => void;
  className?: string;
  children: React.ReactNode;
}) {
  const selected = props.tab === props.current;
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      className={`ops-tab ${selected ? 'selected' : ''} ${props.className ?? ''}`}
      data-testid={`tab-${props.tab}`}
      onClick={() => props.onSelect(props.tab)}
    >
      {props.children}
    </button>
  );
}
