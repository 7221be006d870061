import type { Alert } from '../../../src/contract/alerts.ts';
import { alertHeadline } from '../../../src/domain/alerts.ts';
import { clockTime } from '../../../src/domain/duration.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { REAL_HEADLINE } from '../../../src/domain/mode.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { whereFrom } from '../shared/alert-view.ts';
import { HoldButton } from './HoldButton.tsx';

interface Props {
  alert: Alert;
  /** Further unacknowledged real alerts behind this one. */
  more: number;
  /** This phone's position, for distance and bearing to the alert. */
  from: Point | null;
  nowMs: number;
  busy: boolean;
  error: string | null;
  onAcknowledge: () => void;
}

/**
 * A real alert takes the whole screen, in the red used for nothing else, and stays until the
 * member deliberately acknowledges it by holding the button.
 */
export function RealAlertOverlay({ alert, more, from, nowMs, busy, error, onAcknowledge }: Props) {
  const where = whereFrom(from, alert.position);
  return (
    <div
      className="real-alert"
      data-testid="real-alert"
      data-alert-id={alert.id}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="real-alert-headline"
    >
      <div className="real-alert-word">{REAL_HEADLINE}</div>
      <h1 id="real-alert-headline" className="real-alert-headline">
        {alertHeadline(alert)}
      </h1>
      {alert.text && <p className="real-alert-text">“{alert.text}”</p>}
      <dl className="real-alert-facts">
        <dt>From</dt>
        <dd>{alert.sender}</dd>
        <dt>Time</dt>
        <dd>
          {clockTime(alert.time)} · {formatAge(Date.parse(alert.time), nowMs)} ago
        </dd>
        <dt>Where</dt>
        <dd>{where ?? (alert.position ? 'your position unknown' : 'no position sent')}</dd>
        {alert.direction && (
          <>
            <dt>Direction</dt>
            <dd>{alert.direction}</dd>
          </>
        )}
      </dl>
      {more > 0 && (
        <p className="real-alert-more">
          +{more} more real alert{more === 1 ? '' : 's'} after this one
        </p>
      )}
      <HoldButton className="real-alert-ack" testId="ack-hold" onDone={onAcknowledge} disabled={busy}>
        {busy ? 'Acknowledging…' : 'HOLD TO ACKNOWLEDGE'}
      </HoldButton>
      <p className="real-alert-hint">Press and hold for 1.5 seconds.</p>
      {error && <p className="real-alert-error">{error}</p>}
    </div>
  );
}
