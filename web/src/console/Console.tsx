import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { LatLon, Mode } from '../../../src/contract/common.ts';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Member, Team } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import type { Bbox } from '../../../src/domain/tile-area.ts';
import { api, errorMessage } from '../shared/api.ts';
import { EscalateButton } from '../shared/EscalateButton.tsx';
import { isIncident } from '../shared/incident-view.ts';
import { useLiveTeam } from '../shared/use-live-team.ts';
import { useNow } from '../shared/use-now.ts';
import { useSearchPlan } from '../shared/use-search-plan.ts';
import { AddMemberDialog } from './AddMemberDialog.tsx';
import { ConnectDialog, type ConnectTarget } from './ConnectDialog.tsx';
import { ConsoleAlarm } from './ConsoleAlarm.tsx';
import { ConsoleMode } from './ConsoleMode.tsx';
import { EditMemberDialog } from './EditMemberDialog.tsx';
import { Header } from './Header.tsx';
import { type AreaForm, bboxText } from './MapAreasDialog.tsx';
import { MapHint } from './MapHint.tsx';
import type { FocusRequest } from './MapView.tsx';
import { MemberList } from './MemberList.tsx';
import type { ShownRings } from './map-rings.ts';
import { referencePoint } from './member-view.ts';
import { OpsPanel } from './OpsPanel.tsx';
import { type Pane, PaneTabs } from './PaneTabs.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import type { SearchColouring } from './search-view.ts';
import { TakDialog } from './TakDialog.tsx';
import { useAlertNotices } from './use-alert-notices.ts';
import { useConsoleAlarm } from './use-console-alarm.ts';
import { useMapPick } from './use-map-pick.ts';
import { memberActions } from './use-member-actions.ts';
import { useConsoleView } from './views.ts';

// Loaded when first shown, so that the console's first paint waits for none of them: the map (MapLibre is
// most of the code), the training views and the replay (uPlot, the report).
const MapView = lazy(() => import('./MapView.tsx').then((m) => ({ default: m.MapView })));
const TrainingArea = lazy(() =>
  import('../training/TrainingArea.tsx').then((m) => ({ default: m.TrainingArea })),
);
const ReplayArea = lazy(() => import('../replay/ReplayArea.tsx').then((m) => ({ default: m.ReplayArea })));
const loading = <p className="muted lazy-loading">Loading…</p>;

type Open =
  | { kind: 'settings'; areaForm?: AreaForm }
  | { kind: 'add' }
  | { kind: 'tak' }
  | { kind: 'connect'; member: ConnectTarget }
  | { kind: 'edit'; member: Member }
  | null;
type Notice = { text: string; error?: boolean; mode?: Mode };

interface Props {
  me: Me;
  config: ClientConfig;
  onLogout: () => void;
}

export function Console({ me, config, onLogout }: Props) {
  const { state, status, setTeam, reloadMembers, putOperation, putAlert, putMessage } = useLiveTeam({
    withTrails: true,
  });
  const nowMs = useNow(1000);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const isLeader = me.role === 'leader';
  const { view, rest, go } = useConsoleView();
  const alarm = useConsoleAlarm(me, state.loaded, state.alerts);
  const [alertsRequest, setAlertsRequest] = useState(0);
  // On a phone or a tablet the map, the members and the operations panel are tabs: one at a time.
  const [pane, setPane] = useState<Pane>('map');

  const say = useCallback((text: string, error = false) => setNotice({ text, error }), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.error ? 10_000 : notice.mode ? 8000 : 5000);
    return () => clearTimeout(timer);
  }, [notice]);
  useAlertNotices(
    state.loaded,
    state.alerts,
    useCallback((text: string, mode: Mode) => setNotice({ text, mode }), []),
  );

  const select = useCallback(
    (memberId: string) => {
      setSelected(memberId);
      setPane('map');
      const p = state.latest[memberId];
      if (p) setFocus({ lat: p.lat, lon: p.lon, key: Date.now() });
      document.querySelector(`[data-member-id="${memberId}"]`)?.scrollIntoView({ block: 'nearest' });
    },
    [state.latest],
  );

  const pickBase = useCallback(
    async (base: LatLon) => {
      try {
        setTeam(await api<Team>('/api/team', { method: 'PATCH', body: { base } }));
        say('Base set.');
      } catch (err) {
        say(errorMessage(err), true);
      }
    },
    [setTeam, say],
  );
  const pick = useMapPick(pickBase);
  // The new map area whose box is being drawn on the map (Settings → Offline map areas).
  const [boxFor, setBoxFor] = useState<AreaForm | null>(null);
  const onBox = useMemo(
    () =>
      boxFor
        ? (box: Bbox) => {
            setBoxFor(null);
            setOpen({ kind: 'settings', areaForm: { ...boxFor, bbox: bboxText(box) } });
          }
        : null,
    [boxFor],
  );
  const { revoke, remove } = memberActions(say, reloadMembers);

  const operation = state.operation;
  const reference = referencePoint(state, me);
  const own = state.latest[me.memberId];
  const area = useMemo(() => {
    if (pick.draftArea) return { points: pick.draftArea, draft: true };
    const shown = operation?.kind === 'exercise' ? operation : state.planned[0];
    return shown?.area ? { points: shown.area, draft: false } : null;
  }, [pick.draftArea, operation, state.planned]);
  const searchPlan = useSearchPlan(operation?.id ?? null, state.revisions.search, state.latest);
  const [colouring, setColouring] = useState<SearchColouring>('pod');
  const [rings, setRings] = useState<ShownRings | null>(null);
  const search = useMemo(
    () => ({ ...searchPlan, colouring, onColouring: setColouring, rings, onRings: setRings }),
    [searchPlan, colouring, rings],
  );
  const contacts = useMemo(
    () => ({ list: state.board?.contacts ?? [], exercise: teamMode(operation) === 'exercise' }),
    [state.board, operation],
  );

  return (
    <div className={alarm.items.length > 0 || alarm.soundBlocked ? 'console has-alarm' : 'console'}>
      {/* A replay carries the marks of the moment it shows, and names the live operation apart. */}
      {view !== 'replay' && <ConsoleMode me={me} state={state} nowMs={nowMs} onOperation={putOperation} />}
      <Header
        me={me}
        team={state.team}
        status={status}
        view={view}
        escalate={
          <EscalateButton
            position={() => (own ? { lat: own.lat, lon: own.lon } : null)}
            disabled={isIncident(operation)}
            onEscalated={(op) => {
              putOperation(op);
              say('REAL incident declared. Everyone is being alerted; a roll call has started.');
            }}
          />
        }
        onSettings={isLeader ? () => setOpen({ kind: 'settings' }) : undefined}
        onAddMember={isLeader ? () => setOpen({ kind: 'add' }) : undefined}
        onTak={isLeader ? () => setOpen({ kind: 'tak' }) : undefined}
        onLogout={onLogout}
      />
      {status === 'revoked' && (
        <div className="banner banner-error" role="alert">
          Access revoked: the server closed the live connection.{' '}
          <button type="button" className="link-button" onClick={onLogout}>
            Sign in again
          </button>
        </div>
      )}
      {view !== 'map' && view !== 'replay' && (
        <Suspense fallback={loading}>
          <TrainingArea view={view} rest={rest} go={go} me={me} config={config} state={state} />
        </Suspense>
      )}
      {view === 'replay' && (
        <Suspense fallback={loading}>
          <ReplayArea config={config} state={state} rest={rest} me={me} />
        </Suspense>
      )}
      {/* The map stays mounted behind the other views, so coming back is instant. */}
      <PaneTabs
        pane={pane}
        onPane={setPane}
        hidden={view !== 'map'}
        alerts={state.alerts.filter((a) => a.state === 'active').length}
      />
      <div className={`console-body pane-${pane}`} hidden={view !== 'map'}>
        <MemberList
          me={me}
          state={state}
          nowMs={nowMs}
          selected={selected}
          onSelect={select}
          actions={
            isLeader
              ? {
                  connect: (member) => setOpen({ kind: 'connect', member }),
                  edit: (member) => setOpen({ kind: 'edit', member }),
                  revoke,
                  remove,
                }
              : null
          }
        />
        <main className="console-map">
          <Suspense fallback={loading}>
            <MapView
              tiles={config.tiles}
              state={state}
              nowMs={nowMs}
              focus={focus}
              onSelect={select}
              onPick={pick.onPick}
              onBox={onBox}
              area={area}
              contacts={contacts}
              search={{ plan: search.plan, colouring, rings }}
            />
          </Suspense>
          <MapHint pick={pick} />
          {boxFor && (
            <div className="map-hint" data-testid="map-hint">
              Drag a box over the area to keep offline (or click two opposite corners).{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setOpen({ kind: 'settings', areaForm: boxFor });
                  setBoxFor(null);
                }}
              >
                Cancel
              </button>
            </div>
          )}
          {notice && (
            <output
              className={`toast ${notice.error ? 'toast-error' : ''} ${notice.mode ? `toast-${notice.mode}` : ''}`}
              data-testid="toast"
            >
              {notice.text}
              <button
                type="button"
                className="icon-button"
                aria-label="Dismiss"
                onClick={() => setNotice(null)}
              >
                ×
              </button>
            </output>
          )}
        </main>
        <OpsPanel
          me={me}
          state={state}
          nowMs={nowMs}
          reference={reference}
          pick={pick}
          onOperation={putOperation}
          onAlert={putAlert}
          onMessage={putMessage}
          alertsRequest={alertsRequest}
          search={search}
        />
      </div>
      <ConsoleAlarm
        alarm={alarm}
        onShowAlerts={() => {
          if (view !== 'map') go('map');
          setPane('ops');
          setAlertsRequest((n) => n + 1);
        }}
      />
      {open?.kind === 'settings' && state.team && (
        <SettingsDialog
          team={state.team}
          onSaved={setTeam}
          onPickBase={() => {
            setOpen(null);
            pick.start('base');
          }}
          onDrawArea={(form) => {
            setOpen(null);
            pick.stop();
            setBoxFor(form);
          }}
          areaForm={open.areaForm}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'add' && (
        <AddMemberDialog
          onAdded={() => void reloadMembers().catch(() => undefined)}
          onConnect={(member) => setOpen({ kind: 'connect', member })}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'tak' && <TakDialog onClose={() => setOpen(null)} />}
      {open?.kind === 'edit' && (
        <EditMemberDialog
          member={open.member}
          onSaved={(m) => {
            say(`${m.callsign} saved.`);
            void reloadMembers().catch(() => undefined);
          }}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'connect' && <ConnectDialog member={open.member} onClose={() => setOpen(null)} />}
    </div>
  );
}
