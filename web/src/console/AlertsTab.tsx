import { useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import { triage } from '../../../src/domain/triage.ts';
import { type AlertItem, acknowledgeItem, alertView, itemLine, sortedAlerts } from '../shared/alert-view.ts';
import { ContactReportForm } from '../shared/ContactReportForm.tsx';
import type { TeamState } from '../shared/team-state.ts';
import { useAction } from '../shared/use-action.ts';
import { AlertCard } from './AlertCard.tsx';
import { DeviceNotices } from './DeviceNotices.tsx';
import type { Reference } from './member-view.ts';
import { notificationPermission } from './use-console-alarm.ts';
import type { MapPick } from './use-map-pick.ts';

interface Props {
  me: Me;
  state: TeamState;
  reference: Reference | null;
  pick: MapPick;
  onAlert: (alert: Alert) => void;
}

/**
 * The team's alerts: the active ones in triage order (the howl first, the conditions grouped, each group
 * acknowledged at once), then the ended ones; and the contact report form (a map click or my own position).
 */
export function AlertsTab({ me, state, reference, pick, onAlert }: Props) {
  const active = triage(state.alerts.filter((a) => a.state === 'active').map(alertView));
  const ended = sortedAlerts(state.alerts.filter((a) => a.state !== 'active'));
  const own = state.latest[me.memberId];
  const position = pick.contactAt ?? (own ? { lat: own.lat, lon: own.lon } : null);
  const exercise = teamMode(state.operation) === 'exercise';
  const card = (a: Alert) => (
    <AlertCard key={a.id} alert={a} me={me} members={state.members} reference={reference} onAlert={onAlert} />
  );
  return (
    <div className="alerts-tab">
      <NotificationOffer />
      <details className="panel-section contact-report">
        <summary>Report contact (hostiles){exercise ? ' — sent as EXERCISE' : ''}</summary>
        <ContactReportForm
          position={position}
          positionControls={
            <>
              <span className="muted">
                {pick.contactAt
                  ? `At the map point ${pick.contactAt.lat.toFixed(5)}, ${pick.contactAt.lon.toFixed(5)}`
                  : own
                    ? 'At your own position'
                    : 'No position: pick one on the map'}
              </span>
              <button
                type="button"
                className="small"
                disabled={pick.kind === 'contact'}
                onClick={() => pick.start('contact')}
              >
                Pick on map
              </button>
              {pick.contactAt && (
                <button type="button" className="small ghost" onClick={pick.clearContact}>
                  Use my position
                </button>
              )}
            </>
          }
          onSent={(alert) => {
            pick.clearContact();
            onAlert(alert);
          }}
        />
      </details>
      {active.length === 0 && ended.length === 0 && <p className="empty">No alerts.</p>}
      <ul className="alert-list" data-testid="alert-list">
        {active.map((item) =>
          item.alerts.length > 1 ? (
            <AlertGroup key={item.key} item={item} me={me} onAlert={onAlert}>
              {item.alerts.map(card)}
            </AlertGroup>
          ) : (
            item.alerts.map(card)
          ),
        )}
        {ended.map(card)}
      </ul>
      <DeviceNotices notices={state.notices} />
    </div>
  );
}

interface GroupProps {
  item: AlertItem;
  me: Me;
  onAlert: (alert: Alert) => void;
  children: React.ReactNode;
}

/** One condition's alerts about several members ("3 members separated"), acknowledged with one click. */
function AlertGroup({ item, me, onAlert, children }: GroupProps) {
  const { busy, error, run } = useAction();
  const open = item.alerts.filter((a) => !a.ackedBy.includes(me.memberId));
  const ackAll = async () => {
    const updated = await run(() => acknowledgeItem({ ...item, alerts: open }));
    for (const a of updated ?? []) onAlert(a);
  };
  return (
    <li
      className={`alert-group alert-group-${item.mode}`}
      data-testid="alert-group"
      data-count={item.alerts.length}
    >
      <div className="alert-group-head">
        <span className="alert-line">{itemLine(item)}</span>
        {open.length > 0 && (
          <button
            type="button"
            className="small"
            data-testid="ack-group"
            disabled={busy}
            onClick={() => void ackAll()}
          >
            Acknowledge all {open.length}
          </button>
        )}
      </div>
      <ul className="alert-list">{children}</ul>
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}

/** Offers to show real alerts as notifications while the tab is in the background, until the browser was asked. */
function NotificationOffer() {
  const [permission, setPermission] = useState(notificationPermission);
  if (permission !== 'default') return null;
  return (
    <p className="notification-offer">
      <button
        type="button"
        className="small"
        data-testid="enable-notifications"
        onClick={() =>
          void Notification.requestPermission()
            .then(setPermission)
            .catch(() => setPermission(notificationPermission()))
        }
      >
        Notify me of real alerts when this tab is in the background
      </button>
    </p>
  );
}
