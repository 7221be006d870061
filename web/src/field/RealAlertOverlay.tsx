import type { Point } from '../../../src/domain/geo.ts';
import { REAL_HEADLINE } from '../../../src/domain/mode.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { itemHeadline } from '../../../src/domain/triage.ts';
import { type AlertItem, whereFrom } from '../shared/alert-view.ts';
import { clockTime } from '../shared/time.ts';
import { AlarmUnlockBar } from './AlarmUnlockBar.tsx';
import { HoldButton } from './HoldButton.tsx';

interface Props {
  item: AlertItem;
  /** Further real items behind this one. */
  more: number;
  /** This phone's position, for distance and bearing to the alert. */
  from: Point | null;
  nowMs: number;
  busy: boolean;
  error: string | null;
  alarmBlocked: boolean;
  onUnlockAlarm: () => void;
  onAcknowledge: () => void;
}

/**
 * A real alert takes the whole screen, in the red used for nothing else, and stays until the member
 * deliberately acknowledges it by holding the button. The howl (an SOS, an escalation) comes alone; a group
 * of conditions ("2 members separated from the team") is acknowledged with one hold.
 */
export function RealAlertOverlay(p: Props) {
  const { item, more, from, nowMs, busy, error } = p;
  const [alert] = item.alerts;
  if (!alert) return null;
  const group = item.alerts.length > 1;
  const where = whereFrom(from, alert.position);
  return (
    <div
      className="real-alert"
      data-testid="real-alert"
      data-alert-id={alert.id}
      data-kind={item.kind}
      data-count={item.alerts.length}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="real-alert-headline"
    >
      {p.alarmBlocked && <AlarmUnlockBar onUnlock={p.onUnlockAlarm} />}
      <div className="real-alert-word">{REAL_HEADLINE}</div>
      <h1 id="real-alert-headline" className="real-alert-headline">
        {itemHeadline(item)}
      </h1>
      {group ? (
        <ul className="real-alert-members" data-testid="real-alert-members">
          {item.alerts.map((a) => (
            <li key={a.id}>
              <strong>{a.subject}</strong> · {a.text}
              {whereFrom(from, a.position) && ` · ${whereFrom(from, a.position)}`}
            </li>
          ))}
        </ul>
      ) : (
        <>
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
        </>
      )}
      {more > 0 && item.kind !== 'howl' && (
        <p className="real-alert-more">
          +{more} more real alert{more === 1 ? '' : 's'} after this one
        </p>
      )}
      <HoldButton className="real-alert-ack" testId="ack-hold" onDone={p.onAcknowledge} disabled={busy}>
        {busy
          ? 'Acknowledging…'
          : group
            ? `HOLD TO ACKNOWLEDGE ALL ${item.alerts.length}`
            : 'HOLD TO ACKNOWLEDGE'}
      </HoldButton>
      <p className="real-alert-hint">Press and hold for 1.5 seconds.</p>
      {error && <p className="real-alert-error">{error}</p>}
    </div>
  );
}
