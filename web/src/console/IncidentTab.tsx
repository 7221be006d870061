import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { EMPTY_BOARD } from '../shared/operation-state.ts';
import type { TeamState } from '../shared/team-state.ts';
import { clockTime } from '../shared/time.ts';
import { CalloutResponses } from './CalloutResponses.tsx';
import { CasualtiesView } from './CasualtiesView.tsx';
import { CloseIncident } from './CloseIncident.tsx';
import { ContactsList } from './ContactsList.tsx';
import type { Reference } from './member-view.ts';
import { RollCallView } from './RollCallView.tsx';
import { SubjectsView } from './SubjectsView.tsx';

interface Props {
  me: Me;
  incident: Operation;
  state: TeamState;
  reference: Reference | null;
  nowMs: number;
  onClosed: (op: Operation) => void;
}

const DEFAULT_REPEAT_S = 15 * 60;

/** The real incident: roll call, contacts, casualties, callout, and closing it. */
export function IncidentTab({ me, incident, state, reference, nowMs, onClosed }: Props) {
  const board = state.board ?? EMPTY_BOARD;
  const isLeader = me.role === 'leader';
  return (
    <div className="incident-tab" data-testid="incident-tab">
      <section className="panel-section incident-head">
        <h3>Real incident</h3>
        <p>
          <strong>{incident.name}</strong> · opened {clockTime(incident.startedAt ?? incident.createdAt)}
        </p>
        {incident.scenario && <p className="muted">{incident.scenario}</p>}
        {incident.escalatedFrom && (
          <p className="muted">The running exercise was suspended; its record is kept.</p>
        )}
      </section>
      <RollCallView
        rollCall={board.rollCall}
        members={state.members}
        latest={state.latest}
        reference={reference}
        repeatS={state.team?.rollCallRepeatS ?? DEFAULT_REPEAT_S}
        nowMs={nowMs}
        isLeader={isLeader}
      />
      <SubjectsView subjects={board.subjects} reference={reference} />
      <ContactsList contacts={board.contacts} members={state.members} reference={reference} nowMs={nowMs} />
      <CasualtiesView casualties={board.casualties} members={state.members} subjects={board.subjects} />
      <CalloutResponses responses={board.callout} members={state.members} nowMs={nowMs} />
      {isLeader && <CloseIncident incident={incident} members={state.members} onClosed={onClosed} />}
    </div>
  );
}
