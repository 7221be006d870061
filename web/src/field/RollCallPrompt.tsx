import type { Mode } from '../../../src/contract/common.ts';
import type { RollCall, RollCallStatus } from '../../../src/contract/incidents.ts';
import { notificationText } from '../../../src/domain/mode.ts';
import { answerOf, formatClock, STATUS_WORD } from '../shared/incident-view.ts';
import { useAction } from '../shared/use-action.ts';
import { useFieldOutbox } from './outbox.ts';

interface Props {
  memberId: string | null;
  rollCall: RollCall | null;
  mode: Mode;
  nowMs: number;
}

const ANSWERS: { status: RollCallStatus; label: string; testId: string }[] = [
  { status: 'ok', label: 'OK', testId: 'rollcall-answer-ok' },
  { status: 'injured', label: 'Injured', testId: 'rollcall-answer-injured' },
  { status: 'needs_help', label: 'Need help', testId: 'rollcall-answer-help' },
];

/** When a roll call is open and I have not answered: OK / Injured / Need help. */
export function RollCallPrompt({ memberId, rollCall, mode, nowMs }: Props) {
  const { busy, error, run } = useAction();
  const outbox = useFieldOutbox();
  if (!rollCall || !memberId || !rollCall.memberIds.includes(memberId)) return null;
  const mine = answerOf(rollCall, memberId);
  if (mine) {
    return (
      <p className="rollcall-answered" data-testid="rollcall-answered">
        Roll call: you answered <strong>{STATUS_WORD[mine]}</strong>.
      </p>
    );
  }
  const leftS = (Date.parse(rollCall.deadlineAt) - nowMs) / 1000;
  const answer = (status: RollCallStatus) =>
    run(() => outbox.send('rollcall', '/api/rollcalls/answer', { status }, 'Roll call answer'));
  return (
    <section className={`card rollcall-prompt rollcall-${mode}`} data-testid="rollcall-prompt" role="alert">
      <h1>{notificationText(mode, 'ROLL CALL: are you OK?')}</h1>
      <p className="muted">
        {leftS > 0 ? `Answer within ${formatClock(leftS)}` : 'Overdue: you are listed as unaccounted'}
      </p>
      <div className="rollcall-answers">
        {ANSWERS.map((a) => (
          <button
            key={a.status}
            type="button"
            className={`rollcall-answer answer-${a.status}`}
            data-testid={a.testId}
            disabled={busy}
            onClick={() => void answer(a.status)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
