import type { Point } from '../../../src/domain/geo.ts';
import { type AlertItem, itemLine, whereFrom } from '../shared/alert-view.ts';
import { clockTime } from '../shared/time.ts';

interface Props {
  items: readonly AlertItem[];
  from: Point | null;
  busyKey: string | null;
  onSeen: (item: AlertItem) => void;
}

/**
 * Exercise alerts: a calm blue striped card each (one for a group of conditions), marked EXERCISE, closed
 * with a simple tap. No siren.
 */
export function ExerciseAlerts({ items, from, busyKey, onSeen }: Props) {
  return (
    <>
      {items.map((item) => {
        const [a] = item.alerts;
        if (!a) return null;
        const group = item.alerts.length > 1;
        const where = group ? null : whereFrom(from, a.position);
        return (
          <section
            key={item.key}
            className="exercise-alert"
            data-testid="exercise-alert"
            data-alert-id={a.id}
            data-kind={item.kind}
          >
            <p className="exercise-alert-line">{itemLine(item)}</p>
            {group ? (
              <ul className="exercise-alert-members">
                {item.alerts.map((x) => (
                  <li key={x.id}>
                    <strong>{x.subject}</strong> · {x.text}
                  </li>
                ))}
              </ul>
            ) : (
              a.text && <p className="exercise-alert-text">{a.text}</p>
            )}
            <p className="exercise-alert-meta">
              {a.sender} · {clockTime(a.time)}
              {where && ` · ${where}`}
              {a.direction && ` · ${a.direction}`}
            </p>
            <button
              type="button"
              className="exercise-alert-seen"
              data-testid="ack-seen"
              disabled={busyKey === item.key}
              onClick={() => onSeen(item)}
            >
              {group ? `Seen (all ${item.alerts.length})` : 'Seen'}
            </button>
          </section>
        );
      })}
    </>
  );
}
