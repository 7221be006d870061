import type { Alert } from '../../../src/contract/alerts.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import { sortedAlerts } from '../shared/alert-view.ts';
import { ContactReportForm } from '../shared/ContactReportForm.tsx';
import type { TeamState } from '../shared/team-state.ts';
import { AlertCard } from './AlertCard.tsx';
import { DeviceNotices } from './DeviceNotices.tsx';
import type { Reference } from './member-view.ts';
import type { MapPick } from './use-map-pick.ts';

interface Props {
  me: Me;
  state: TeamState;
  reference: Reference | null;
  pick: MapPick;
  onAlert: (alert: Alert) => void;
}

/** The team's alerts, active first, and the contact report form (position: a map click or my own). */
export function AlertsTab({ me, state, reference, pick, onAlert }: Props) {
  const alerts = sortedAlerts(state.alerts);
  const own = state.latest[me.memberId];
  const position = pick.contactAt ?? (own ? { lat: own.lat, lon: own.lon } : null);
  const exercise = teamMode(state.operation) === 'exercise';
  return (
    <div className="alerts-tab">
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
      {alerts.length === 0 && <p className="empty">No alerts.</p>}
      <ul className="alert-list" data-testid="alert-list">
        {alerts.map((a) => (
          <AlertCard
            key={a.id}
            alert={a}
            me={me}
            members={state.members}
            reference={reference}
            onAlert={onAlert}
          />
        ))}
      </ul>
      <DeviceNotices notices={state.notices} />
    </div>
  );
}
