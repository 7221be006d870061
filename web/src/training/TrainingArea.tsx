import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import type { ConsoleView } from '../console/views.ts';
import type { TeamState } from '../shared/team-state.ts';
import { CalendarView } from './CalendarView.tsx';
import { DrillsView } from './DrillsView.tsx';
import { RecordsView } from './RecordsView.tsx';

/** What every training view gets from the console. */
export interface TrainingProps {
  me: Me;
  config: ClientConfig;
  /** The live team: members (`state.members`), the active operation. */
  state: TeamState;
  /** The rest of the address after the view (`#/drills/ID` → 'ID'). */
  rest: string;
  /** Opens another view or item: `go('records', memberId)`. */
  go: (view: ConsoleView, rest?: string) => void;
}

/** The console's training views: drills, records (readiness and progress) and the calendar. */
export function TrainingArea(props: TrainingProps & { view: Exclude<ConsoleView, 'map'> }) {
  return (
    <main className="training-area" data-testid={`view-${props.view}`}>
      {props.view === 'drills' && <DrillsView {...props} />}
      {props.view === 'records' && <RecordsView {...props} />}
      {props.view === 'calendar' && <CalendarView {...props} />}
    </main>
  );
}
