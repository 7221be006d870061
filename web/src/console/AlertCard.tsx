import type { Alert } from '../../../src/contract/alerts.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { ackedBy, alertLine, callsignOf, notAcknowledged, whereFrom } from '../shared/alert-view.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import type { Reference } from './member-view.ts';

interface Props {
  alert: Alert;
  me: Me;
  members: readonly Member[];
  reference: Reference | null;
  onAlert: (alert: Alert) => void;
}

/** One alert in the console: its mode's wording and look, who has acknowledged and who has not. */
export function AlertCard({ alert: a, me, members, reference, onAlert }: Props) {
  const { busy, error, run } = useAction();
  const active = a.state === 'active';
  const missing = active ? notAcknowledged(a, members) : [];
  const where = whereFrom(reference?.point ?? null, a.position);

  const ack = async () => {
    const updated = await run(() =>
      api<Alert | undefined>(`/api/alerts/${a.id}/ack`, { method: 'POST', body: {} }),
    );
    if (updated?.id) onAlert(updated);
  };
  const cancel = async () => {
    const reason = window.prompt('Cancel this alert for everyone. Why?', 'cancelled — false alarm');
    if (reason === null || !reason.trim()) return;
    const body = { reason: reason.trim() };
    const updated = await run(() => api<Alert>(`/api/alerts/${a.id}/cancel`, { method: 'POST', body }));
    if (updated?.id) onAlert(updated);
  };

  return (
    <li
      className={`alert-card alert-${a.mode} alert-state-${a.state}`}
      data-testid="alert-card"
      data-alert-id={a.id}
      data-mode={a.mode}
    >
      <div className="alert-line">{alertLine(a)}</div>
      {a.text && <div className="alert-text">{a.text}</div>}
      <div className="alert-meta">
        {a.sender} · {clockTime(a.time)}
        {where && ` · ${where} from ${reference?.label}`}
        {a.direction && ` · ${a.direction}`}
      </div>
      {a.state === 'cancelled' && (
        <div className="alert-cancelled">
          CANCELLED{a.cancelReason ? ` — ${a.cancelReason}` : ''} · {callsignOf(members, a.cancelledBy)}
          {a.cancelledAt && ` ${clockTime(a.cancelledAt)}`}
        </div>
      )}
      {a.state === 'resolved' && <div className="alert-resolved">resolved</div>}
      {a.acknowledgements.length > 0 && (
        <div className="alert-acks">Acknowledged: {a.acknowledgements.map((k) => k.callsign).join(', ')}</div>
      )}
      {missing.length > 0 && (
        <div className={a.mode === 'real' ? 'alert-missing' : 'alert-missing-ex'} data-testid="alert-unacked">
          Not acknowledged: {missing.map((m) => m.callsign).join(', ')}
        </div>
      )}
      {active && (
        <div className="alert-actions">
          {!ackedBy(a, me.memberId) && (
            <button type="button" className="small" disabled={busy} onClick={() => void ack()}>
              Acknowledge
            </button>
          )}
          <button type="button" className="small ghost" disabled={busy} onClick={() => void cancel()}>
            Cancel alert
          </button>
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
    </li>
  );
}
