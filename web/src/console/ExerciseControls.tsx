import type { Member } from '../../../src/contract/members.ts';
import type {
  Inject,
  Operation,
  OperationAction,
  ParticipantRole,
} from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { EXERCISE_PREFIX } from '../../../src/domain/mode.ts';
import { callsignOf } from '../shared/alert-view.ts';
import { api } from '../shared/api.ts';
import { confirmAction } from '../shared/Dialog.tsx';
import { InjectFeed } from '../shared/InjectFeed.tsx';
import { formatClock } from '../shared/incident-view.ts';
import { clockTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';

export const ROLE_WORD: Record<ParticipantRole, string> = {
  runner: 'runner',
  tracker: 'tracker',
  searcher: 'searcher',
  opposing_force: 'opposing force',
  controller: 'controller',
  observer: 'observer',
};

interface Props {
  me: Me;
  exercise: Operation;
  members: readonly Member[];
  injects: readonly Inject[];
  onOperation: (op: Operation) => void;
  /** Opens the planner on this planned exercise (leaders). */
  onEdit?: (op: Operation) => void;
}

/** Leader or controller of this exercise: may start, resume and end it. Anyone may call a time-out. */
export function directs(me: Me, op: Operation): boolean {
  return (
    me.role === 'leader' || op.participants.some((p) => p.memberId === me.memberId && p.role === 'controller')
  );
}

/** An exercise as it runs: STARTEX, safety time-out, resume, ENDEX, who plays what, and its messages. */
export function ExerciseControls({ me, exercise: op, members, injects, onOperation, onEdit }: Props) {
  const { busy, error, run } = useAction();
  const act = async (action: OperationAction) => {
    if (action === 'end' && !(await confirmAction(`ENDEX: end “${op.name}” for everyone?`))) return;
    const updated = await run(() =>
      api<Operation>(`/api/operations/${op.id}/actions`, { method: 'POST', body: { action } }),
    );
    if (updated) onOperation(updated);
  };
  const sendNow = async (inject: Inject) => {
    if (!(await confirmAction(`Send “${inject.message}” to the players now?`))) return;
    const updated = await run(() =>
      api<Operation>(`/api/operations/${op.id}/injects/${inject.id}/send`, { method: 'POST' }),
    );
    if (updated) onOperation(updated);
  };
  const may = directs(me, op);
  const pending = op.injects.filter((i) => i.deliveredAt === null).sort((a, b) => a.offsetS - b.offsetS);

  return (
    <section className={`panel-section exercise-card state-${op.state}`} data-testid="exercise-card">
      <p className="exercise-tag">{EXERCISE_PREFIX}</p>
      <h3 className="exercise-name">{op.name}</h3>
      <p className="muted">
        {op.state === 'planned' && 'Planned'}
        {op.state === 'running' && `Running since STARTEX ${op.startedAt ? clockTime(op.startedAt) : ''}`}
        {op.state === 'paused' &&
          `SAFETY TIME-OUT by ${callsignOf(members, op.pausedBy)} · played ${formatClock(op.playedS)}`}
        {op.state === 'suspended' &&
          `Suspended by a real incident, now closed · played ${formatClock(op.playedS)}`}
      </p>
      {op.scenario && <p className="exercise-scenario">{op.scenario}</p>}
      <div className="exercise-actions">
        {op.state === 'planned' && may && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act('start')}>
            STARTEX
          </button>
        )}
        {op.state === 'running' && (
          <button type="button" className="timeout-button" disabled={busy} onClick={() => void act('pause')}>
            Safety time-out
          </button>
        )}
        {(op.state === 'paused' || op.state === 'suspended') && may && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act('resume')}>
            {op.state === 'suspended' ? 'Resume exercise' : 'Resume'}
          </button>
        )}
        {op.state === 'planned' && onEdit && me.role === 'leader' && (
          <button type="button" disabled={busy} onClick={() => onEdit(op)}>
            Edit plan
          </button>
        )}
        {may && (
          <button type="button" disabled={busy} onClick={() => void act('end')}>
            {op.state === 'planned' ? 'Discard' : 'ENDEX'}
          </button>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
      {op.participants.length > 0 && (
        <ul className="participants">
          {op.participants.map((p) => (
            <li key={p.memberId}>
              <strong>{callsignOf(members, p.memberId)}</strong> {ROLE_WORD[p.role]}
            </li>
          ))}
        </ul>
      )}
      {op.state !== 'planned' && (
        <>
          <h4>Exercise messages</h4>
          <InjectFeed injects={injects} />
        </>
      )}
      {pending.length > 0 && (
        <>
          <h4>Scheduled injects</h4>
          <ul className="inject-schedule">
            {pending.map((i) => (
              <li key={i.id} data-testid="scheduled-inject">
                <span className="muted">T+{formatClock(i.offsetS)}</span> {i.message}
                {op.state === 'running' && may && (
                  <button type="button" className="small" disabled={busy} onClick={() => void sendNow(i)}>
                    Send now
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
