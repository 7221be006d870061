import { useEffect, useState } from 'react';
import type { Alert } from '../../../src/contract/alerts.ts';
import { alertHeadline } from '../../../src/domain/alerts.ts';
import type { Point } from '../../../src/domain/geo.ts';
import type { Role } from '../../../src/domain/vocabulary.ts';
import { type AlertItem, acknowledgeItem, pendingItems } from '../shared/alert-view.ts';
import { errorMessage } from '../shared/api.ts';
import type { OperationState } from '../shared/operation-state.ts';
import { ExerciseAlerts } from './ExerciseAlerts.tsx';
import { useFieldOutbox } from './outbox.ts';
import { RealAlertOverlay } from './RealAlertOverlay.tsx';
import { useSiren } from './siren.ts';

interface Props {
  token: string;
  memberId: string | null;
  role: Role;
  state: OperationState;
  from: Point | null;
  nowMs: number;
  /** The browser holds the alarm sound back until the first touch. */
  alarmBlocked: boolean;
  onUnlockAlarm: () => void;
  onAlert: (alert: Alert) => void;
}

/** How long a cancelled alert stays on everyone's screen as "cancelled — false alarm". */
const CANCELLED_SHOWN_MS = 15 * 60_000;

/**
 * The alerts this member still has to take in, in triage order: real ones over the whole screen one at a
 * time (the howl first and alone, then reports, then the conditions grouped, which reach only leaders and
 * the member they are about), exercise ones as cards.
 */
export function FieldAlerts(p: Props) {
  const { token, memberId, role, state, from, nowMs, onAlert } = p;
  const outbox = useFieldOutbox();
  // Acknowledged here and answered by the server; the live event that follows agrees.
  const [acked, setAcked] = useState<ReadonlySet<string>>(new Set());
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A reminder naming me means the server has no acknowledgement from me: show it again.
  const reminder = state.reminder;
  const remindsMe = reminder !== null && memberId !== null && reminder.memberIds.includes(memberId);
  useEffect(() => {
    if (!reminder || !remindsMe) return;
    setAcked((s) => new Set([...s].filter((id) => id !== reminder.alertId)));
  }, [reminder, remindsMe]);

  const items =
    memberId === null
      ? []
      : pendingItems(
          state.alerts.filter((a) => !acked.has(a.id)),
          { memberId, role },
        );
  const real = items.filter((i) => i.mode === 'real');
  const exercise = items.filter((i) => i.mode === 'exercise');
  const cancelled = state.alerts.filter(
    (a) =>
      a.state === 'cancelled' &&
      !dismissed.has(a.id) &&
      nowMs - Date.parse(a.cancelledAt ?? a.time) < CANCELLED_SHOWN_MS,
  );

  useSiren(real.length > 0, remindsMe ? (reminder?.n ?? 0) : 0);

  const acknowledge = async (item: AlertItem) => {
    setBusyKey(item.key);
    setError(null);
    try {
      // Without signal the acknowledgement waits in the outbox: the alert is seen here, the server hears later.
      const updated = await acknowledgeItem(item, token, outbox);
      setAcked((s) => new Set([...s, ...item.alerts.map((a) => a.id)]));
      for (const a of updated) onAlert(a);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusyKey(null);
    }
  };

  const top = real[0];
  return (
    <>
      {top && (
        <RealAlertOverlay
          item={top}
          more={real.length - 1}
          from={from}
          nowMs={nowMs}
          busy={busyKey === top.key}
          error={error}
          alarmBlocked={p.alarmBlocked}
          onUnlockAlarm={p.onUnlockAlarm}
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
      <ExerciseAlerts items={exercise} from={from} busyKey={busyKey} onSeen={(i) => void acknowledge(i)} />
      {!top && error && <p className="error">{error}</p>}
    </>
  );
}
