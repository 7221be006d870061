import { useEffect, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import { alertHeadline } from '../../../src/domain/alerts.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { ackedBy, sortedAlerts } from '../shared/alert-view.ts';
import { api, errorMessage } from '../shared/api.ts';
import type { OperationState } from '../shared/operation-state.ts';
import { ExerciseAlerts } from './ExerciseAlerts.tsx';
import { RealAlertOverlay } from './RealAlertOverlay.tsx';
import { useSiren } from './siren.ts';

interface Props {
  token: string;
  memberId: string | null;
  state: OperationState;
  from: Point | null;
  nowMs: number;
  onAlert: (alert: Alert) => void;
}

/** How long a cancelled alert stays on everyone's screen as "cancelled — false alarm". */
const CANCELLED_SHOWN_MS = 15 * 60_000;

/** The alerts this member still has to take in: real ones over the whole screen, exercise ones as cards. */
export function FieldAlerts({ token, memberId, state, from, nowMs, onAlert }: Props) {
  // Acknowledged here and answered by the server; the live event that follows agrees.
  const [acked, setAcked] = useState<ReadonlySet<string>>(new Set());
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A reminder naming me means the server has no acknowledgement from me: show it again.
  const reminder = state.reminder;
  const remindsMe = reminder !== null && memberId !== null && reminder.memberIds.includes(memberId);
  useEffect(() => {
    if (!reminder || !remindsMe) return;
    setAcked((s) => new Set([...s].filter((id) => id !== reminder.alertId)));
  }, [reminder, remindsMe]);

  const open = sortedAlerts(state.alerts).filter(
    (a) =>
      memberId !== null &&
      a.state === 'active' &&
      a.senderId !== memberId &&
      !ackedBy(a, memberId) &&
      !acked.has(a.id),
  );
  const real = open.filter((a) => a.mode === 'real');
  const exercise = open.filter((a) => a.mode === 'exercise');
  const cancelled = state.alerts.filter(
    (a) =>
      a.state === 'cancelled' &&
      !dismissed.has(a.id) &&
      nowMs - Date.parse(a.cancelledAt ?? a.time) < CANCELLED_SHOWN_MS,
  );

  useSiren(real.length > 0, remindsMe ? (reminder?.n ?? 0) : 0);

  const acknowledge = async (alert: Alert) => {
    setBusyId(alert.id);
    setError(null);
    try {
      const updated = await api<Alert | undefined>(`/api/alerts/${alert.id}/ack`, {
        method: 'POST',
        token,
        body: {},
      });
      setAcked((s) => new Set([...s, alert.id]));
      if (updated?.id) onAlert(updated);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusyId(null);
    }
  };

  const top = real[0];
  return (
    <>
      {top && (
        <RealAlertOverlay
          alert={top}
          more={real.length - 1}
          from={from}
          nowMs={nowMs}
          busy={busyId === top.id}
          error={error}
          onAcknowledge={() => void acknowledge(top)}
        />
      )}
      {cancelled.map((a) => (
        <section key={a.id} className="card cancelled-alert" data-testid="cancelled-alert" role="status">
          <p>
            <strong>CANCELLED — FALSE ALARM</strong> · {alertHeadline(a)}
            {a.mode === 'exercise' && ' (exercise)'}
          </p>
          {a.cancelReason && <p className="muted">{a.cancelReason}</p>}
          <button type="button" onClick={() => setDismissed((s) => new Set([...s, a.id]))}>
            OK
          </button>
        </section>
      ))}
      <ExerciseAlerts alerts={exercise} from={from} busyId={busyId} onSeen={(a) => void acknowledge(a)} />
      {!top && error && <p className="error">{error}</p>}
    </>
  );
}
