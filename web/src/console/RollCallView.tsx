import type { RollCall, RollCallStatus } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { Position } from '../../../src/contract/positions.ts';
import { formatAge } from '../../../src/domain/presence.ts';
import { reminderLevel } from '../../../src/domain/roll-call.ts';
import { api } from '../shared/api.ts';
import {
  accountabilityOf,
  accountedText,
  answerOf,
  formatClock,
  latestAnswerOf,
  STATUS_WORD,
} from '../shared/incident-view.ts';
import { describeFrom } from '../shared/relative.ts';
import { useAction } from '../shared/use-action.ts';
import type { Reference } from './member-view.ts';

interface Props {
  rollCall: RollCall | null;
  members: readonly Member[];
  latest: Readonly<Record<string, Position>>;
  reference: Reference | null;
  /** Remind the leader to repeat the roll call after this long. */
  repeatS: number;
  nowMs: number;
  isLeader: boolean;
}

const MARKS: { status: RollCallStatus; label: string }[] = [
  { status: 'ok', label: 'OK' },
  { status: 'injured', label: 'Injured' },
  { status: 'needs_help', label: 'Help' },
  { status: 'missing', label: 'Missing' },
];

/** The roll call: who is accounted for, who is not and where they were last, and when to repeat it. */
export function RollCallView({ rollCall, members, latest, reference, repeatS, nowMs, isLeader }: Props) {
  const { busy, error, run } = useAction();
  const start = () => run(() => api('/api/rollcalls', { method: 'POST', body: {} }));
  const mark = (memberId: string, status: RollCallStatus) =>
    run(() => api('/api/rollcalls/answer', { method: 'POST', body: { status, memberId } }));

  if (!rollCall) {
    return (
      <section className="panel-section">
        <h3>Roll call</h3>
        <p className="muted">No roll call taken yet.</p>
        {isLeader && (
          <button type="button" className="primary" disabled={busy} onClick={() => void start()}>
            Start roll call
          </button>
        )}
        {error && <p className="form-error">{error}</p>}
      </section>
    );
  }

  const acc = accountabilityOf(rollCall, nowMs);
  const startedMs = Date.parse(rollCall.startedAt);
  const level = reminderLevel(startedMs, nowMs, repeatS);
  const deadlineLeftS = (Date.parse(rollCall.deadlineAt) - nowMs) / 1000;
  const unaccounted = new Set(acc.unaccounted);
  const rows = rollCall.memberIds.map((id) => ({
    id,
    member: members.find((m) => m.id === id),
    answer: answerOf(rollCall, id),
    by: latestAnswerOf(rollCall, id),
  }));
  rows.sort((a, b) => Number(unaccounted.has(b.id)) - Number(unaccounted.has(a.id)));

  return (
    <section className="panel-section">
      <h3>Roll call</h3>
      <p className="rollcall-summary">
        <strong className="rollcall-count">{accountedText(acc)}</strong>
        {acc.pending.length > 0 && <span> · {acc.pending.length} not answered yet</span>}
        {acc.unaccounted.length > 0 && (
          <span className="unaccounted"> · {acc.unaccounted.length} unaccounted</span>
        )}
      </p>
      <div className={`rollcall-timer reminder-${level}`} data-testid="rollcall-timer" data-level={level}>
        <span>
          Last roll call {formatClock((nowMs - startedMs) / 1000)} ago
          {deadlineLeftS > 0 && ` · answers due in ${formatClock(deadlineLeftS)}`}
        </span>
        <span>
          {level === 'ok' ? `repeat every ${Math.round(repeatS / 60)} min` : 'REPEAT THE ROLL CALL'}
        </span>
        {isLeader && (
          <button type="button" disabled={busy} onClick={() => void start()}>
            Start roll call
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
      <ul className="rollcall-list">
        {rows.map(({ id, member, answer, by }) => {
          const state =
            answer && answer !== 'missing' ? 'accounted' : unaccounted.has(id) ? 'unaccounted' : 'pending';
          const p = latest[id];
          const rel = p && reference ? describeFrom(reference.point, p) : null;
          const reporter =
            by && by.reportedBy !== id ? members.find((m) => m.id === by.reportedBy)?.callsign : null;
          return (
            <li
              key={id}
              className={`rollcall-row rc-${state}`}
              data-testid="rollcall-row"
              data-member-id={id}
            >
              <div className="rollcall-line">
                <strong>{member?.callsign ?? '?'}</strong>
                <span className={`rc-status rc-${answer ?? state}`}>
                  {answer ? STATUS_WORD[answer] : state === 'unaccounted' ? 'UNACCOUNTED' : 'waiting'}
                </span>
                {reporter && <span className="muted">by {reporter}</span>}
              </div>
              {state !== 'accounted' && (
                <div className="rollcall-where">
                  {p
                    ? `last seen ${formatAge(Date.parse(p.time), nowMs)} ago${rel ? ` · ${rel.text} · ${rel.bearing}° from ${reference?.label}` : ''}`
                    : 'no position known'}
                </div>
              )}
              <div className="rollcall-marks">
                {MARKS.map((m) => (
                  <button
                    key={m.status}
                    type="button"
                    className={`small mark-${m.status}`}
                    disabled={busy || answer === m.status}
                    onClick={() => void mark(id, m.status)}
                  >
                    {m.label}
                  </button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
