import type { Subject } from '../../../src/contract/incidents.ts';
import type { Member } from '../../../src/contract/members.ts';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { EXERCISE_WORD } from '../../../src/domain/mode.ts';
import type { ShownRings } from './map-rings.ts';
import { ConsensusForm } from './SearchConsensus.tsx';
import { AssignForm, PoaForm, SegmentForm } from './SearchForms.tsx';
import { RingsForm } from './SearchRings.tsx';
import { SortieList } from './SearchSorties.tsx';
import { COLOURING_LABEL, hectares, percent, type SearchColouring } from './search-view.ts';
import type { MapPick } from './use-map-pick.ts';
import './search.css';

interface Props {
  plan: SearchPlan | null;
  members: readonly Member[];
  isLeader: boolean;
  pick: MapPick;
  colouring: SearchColouring;
  onColouring: (c: SearchColouring) => void;
  onPlan: (plan?: SearchPlan) => void;
  subjects: readonly Subject[];
  rings: ShownRings | null;
  onRings: (rings: ShownRings | null) => void;
}

/** The search of the operation: segments with their POA, coverage and POD, and (leaders) planning it. */
export function SearchTab(props: Props) {
  const { plan, members, isLeader, pick, colouring, onColouring, onPlan } = props;
  if (!plan) return <p className="muted">Loading the search plan…</p>;
  const exercise = plan.mode === 'exercise';
  return (
    <div className="search-tab" data-testid="search-tab" data-mode={plan.mode}>
      <section className="panel-section">
        <h3>{exercise ? `${EXERCISE_WORD} search plan` : 'Search plan (real)'}</h3>
        <fieldset className="search-colouring">
          <legend>Colour the map by</legend>
          {(['pod', 'poa'] as const).map((c) => (
            <label key={c}>
              <input
                type="radio"
                name="search-colouring"
                value={c}
                checked={colouring === c}
                onChange={() => onColouring(c)}
              />{' '}
              {COLOURING_LABEL[c]}
            </label>
          ))}
        </fieldset>
        <SearchTable plan={plan} />
        <p className="muted">
          Coverage C = W·L/A from the tracks the assigned searchers walked inside each segment while assigned
          (gaps over {plan.staleSeconds} s not counted); POD = 1 − e^(−C); POS = POA × cumulative POD.
        </p>
      </section>
      <SortieList plan={plan} isLeader={isLeader} onPlan={onPlan} />
      <RingsForm
        pick={pick}
        subjects={props.subjects}
        isLeader={isLeader}
        shown={props.rings}
        onRings={props.onRings}
      />
      {isLeader && (
        <>
          <SegmentForm operationId={plan.operationId} pick={pick} onPlan={onPlan} />
          {plan.segments.length > 0 && <PoaForm plan={plan} onPlan={onPlan} />}
          {plan.segments.length > 0 && <ConsensusForm plan={plan} onPlan={onPlan} />}
          {plan.segments.length > 0 && <AssignForm plan={plan} members={members} onPlan={onPlan} />}
        </>
      )}
    </div>
  );
}

function SearchTable({ plan }: { plan: SearchPlan }) {
  if (plan.segments.length === 0) return <p className="muted">No segments yet.</p>;
  return (
    <table className="search-table" data-testid="search-table">
      <thead>
        <tr>
          <th>Segment</th>
          <th title="probability of area, as planned">POA</th>
          <th title="coverage of all sorties">C</th>
          <th title="probability of detection of the latest sortie">POD</th>
          <th title="cumulative probability of detection">Cum. POD</th>
          <th title="probability of success">POS</th>
          <th title="probability of area after the searches so far found nothing">POA now</th>
        </tr>
      </thead>
      <tbody>
        {plan.segments.map((s) => (
          <tr key={s.id} data-testid="search-row" data-segment={s.name}>
            <th scope="row">
              {s.name}
              <span className="search-area">{hectares(s.areaM2)}</span>
              {s.assignments.length > 0 && (
                <span className="search-assigned">
                  {s.assignments
                    .map((a) => `${a.callsign} (${a.sortie}${a.endedAt ? '' : ', out'})`)
                    .join(', ')}
                </span>
              )}
            </th>
            <td>{percent(s.poa)}</td>
            <td data-testid="search-coverage">{s.coverage.toFixed(2)}</td>
            <td data-testid="search-pod">{percent(s.pod)}</td>
            <td data-testid="search-cumulative-pod">{percent(s.cumulativePod)}</td>
            <td>{percent(s.pos)}</td>
            <td>{percent(s.currentPoa)}</td>
          </tr>
        ))}
        <tr className="search-row-rest">
          <th scope="row">Rest of the world</th>
          <td>{percent(plan.restOfWorld)}</td>
          <td colSpan={4} />
          <td>{percent(plan.currentRestOfWorld)}</td>
        </tr>
      </tbody>
    </table>
  );
}
