import type { Alert } from '../../../src/contract/alerts.ts';
import type { LatLon } from '../../../src/contract/common.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { asksToRespond } from '../../../src/domain/callout-arrival.ts';
import { teamMode } from '../../../src/domain/mode.ts';
import { ContactReportForm } from '../shared/ContactReportForm.tsx';
import { EscalateButton } from '../shared/EscalateButton.tsx';
import { InjectFeed } from '../shared/InjectFeed.tsx';
import { isIncident } from '../shared/incident-view.ts';
import type { TeamState } from '../shared/team-state.ts';
import { CalloutPrompt } from './CalloutPrompt.tsx';
import { FieldAlerts } from './FieldAlerts.tsx';
import { IncidentCard, openingAlertOf, useOnScene } from './IncidentCard.tsx';
import type { OutboxItem } from './outbox.ts';
import { RollCallPrompt } from './RollCallPrompt.tsx';
import { SosButton } from './SosButton.tsx';
import { TimeoutButton } from './TimeoutButton.tsx';

interface Props {
  token: string;
  /** What waits in the outbox (an SOS pressed without signal). */
  pending: readonly OutboxItem[];
  me: Me | null;
  state: TeamState;
  /** This phone's position (GPS, else its last report). */
  own: LatLon | null;
  nowMs: number;
  /** The browser holds the alarm sound back until the first touch. */
  alarmBlocked: boolean;
  onUnlockAlarm: () => void;
  onAlert: (alert: Alert) => void;
  onOperation: (operation: Operation) => void;
}

/** What a member does in an exercise or an emergency: alerts, roll call, callout, SOS, escalation, contacts. */
export function FieldOperation(props: Props) {
  const { token, me, state, own, nowMs, onAlert, onOperation } = props;
  const memberId = me?.memberId ?? null;
  const operation = state.operation;
  const incident = isIncident(operation);
  const mode = teamMode(operation);
  const position = () => own;
  const mySos =
    state.alerts.find((a) => a.type === 'sos' && a.state === 'active' && a.senderId === memberId) ?? null;
  const myCallout = state.board?.callout.find((r) => r.memberId === memberId) ?? null;
  const opening = incident ? openingAlertOf(state.alerts, operation) : null;
  const onScene = useOnScene(token, incident ? operation : null);
  const asked =
    incident &&
    memberId !== null &&
    asksToRespond(memberId, { declaredBy: opening?.senderId ?? null, onScene });

  return (
    <>
      <FieldAlerts
        token={token}
        memberId={memberId}
        role={me?.role ?? 'member'}
        state={state}
        from={own}
        nowMs={nowMs}
        alarmBlocked={props.alarmBlocked}
        onUnlockAlarm={props.onUnlockAlarm}
        onAlert={onAlert}
      />
      <RollCallPrompt
        memberId={memberId}
        rollCall={state.board?.rollCall ?? null}
        mode={mode}
        nowMs={nowMs}
      />
      {incident && (
        <IncidentCard
          token={token}
          incident={operation}
          opening={opening}
          subjects={state.board?.subjects ?? []}
          own={own}
        />
      )}
      {asked && <CalloutPrompt mine={myCallout} />}
      <SosButton
        token={token}
        countdownS={state.team?.sosCountdownS ?? 5}
        position={position}
        mine={mySos}
        queued={props.pending.find((i) => i.kind === 'sos') ?? null}
        onAlert={onAlert}
      />
      {operation?.kind === 'exercise' && operation.state === 'running' && (
        <TimeoutButton token={token} exercise={operation} onOperation={onOperation} />
      )}
      {!incident && (
        <EscalateButton
          token={token}
          position={position}
          className="field-escalate"
          label="THIS IS NOT PRACTICE ANYMORE"
          onEscalated={onOperation}
        />
      )}
      <details className="card contact-card">
        <summary>Report contact (hostiles){mode === 'exercise' ? ' — sent as EXERCISE' : ''}</summary>
        <ContactReportForm
          token={token}
          position={own}
          positionControls={
            <span className="muted">
              {own ? 'Sent with your GPS position.' : 'No GPS fix: say direction and distance.'}
            </span>
          }
          onSent={onAlert}
        />
      </details>
      {operation?.kind === 'exercise' && mode === 'exercise' && (
        <section className="card injects-card">
          <h2>Exercise messages</h2>
          <InjectFeed injects={state.injects} limit={5} />
        </section>
      )}
    </>
  );
}
