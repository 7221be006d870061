import { itemLine } from '../shared/alert-view.ts';
import { clockTime } from '../shared/time.ts';
import type { ConsoleAlarm as Alarm } from './use-console-alarm.ts';

interface Props {
  alarm: Alarm;
  onShowAlerts: () => void;
}

/**
 * Over the console, out of its layout: the real alerts waiting for this member's acknowledgement, and the
 * control that lets the alarm sound through while the browser holds it back until a click.
 */
export function ConsoleAlarm({ alarm, onShowAlerts }: Props) {
  const top = alarm.items[0];
  if (!top && !alarm.soundBlocked) return null;
  return (
    <div className="console-alarm" data-testid="console-alarm">
      {top && (
        <button
          type="button"
          className="console-alarm-real"
          data-testid="console-alarm-real"
          onClick={onShowAlerts}
        >
          <span className="console-alarm-line">{itemLine(top)}</span>
          {alarm.items.length > 1 && (
            <span className="console-alarm-more">+{alarm.items.length - 1} more</span>
          )}
          <span className="console-alarm-go">Acknowledge in Alerts</span>
        </button>
      )}
      {top && alarm.silence && !alarm.soundBlocked && (
        <button type="button" className="console-alarm-silence" data-testid="silence" onClick={alarm.silence}>
          Silence 1 min
        </button>
      )}
      {top && alarm.silencedUntilMs !== null && (
        <p className="console-alarm-silenced" data-testid="silenced">
          Siren silenced until {clockTime(alarm.silencedUntilMs)}, or a new real alert
        </p>
      )}
      {alarm.soundBlocked && (
        <button
          type="button"
          className="console-alarm-enable"
          data-testid="enable-sound"
          onClick={alarm.enable}
        >
          The browser blocks the alarm sound — click to enable sound
        </button>
      )}
    </div>
  );
}
