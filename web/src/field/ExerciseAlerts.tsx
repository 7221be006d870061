import type { Alert } from '../../../src/contract/alerts.ts';
import { clockTime } from '../../../src/domain/duration.ts';
import type { Point } from '../../../src/domain/geo.ts';
import { alertLine, whereFrom } from '../shared/alert-view.ts';

interface Props {
  alerts: readonly Alert[];
  from: Point | null;
  busyId: string | null;
  onSeen: (alert: Alert) => void;
}

/** Exercise alerts: a calm blue striped card each, marked EXERCISE, closed with a simple tap. No siren. */
export function ExerciseAlerts({ alerts, from, busyId, onSeen }: Props) {
  return (
    <>
      {alerts.map((a) => {
        const where = whereFrom(from, a.position);
        return (
          <section key={a.id} className="exercise-alert" data-testid="exercise-alert" data-alert-id={a.id}>
            <p className="exercise-alert-line">{alertLine(a)}</p>
            {a.text && <p className="exercise-alert-text">{a.text}</p>}
            <p className="exercise-alert-meta">
              {a.sender} · {clockTime(a.time)}
              {where && ` · ${where}`}
              {a.direction && ` · ${a.direction}`}
            </p>
            <button
              type="button"
              className="exercise-alert-seen"
              data-testid="ack-seen"
              disabled={busyId === a.id}
              onClick={() => onSeen(a)}
            >
              Seen
            </button>
          </section>
        );
      })}
    </>
  );
}
