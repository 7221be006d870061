import type { SearchPlan, SearchSegment, SortieCoverage } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';
import { shortTime } from '../shared/time.ts';
import { useAction } from '../shared/use-action.ts';
import { percent } from './search-view.ts';

type OnPlan = (plan?: SearchPlan) => void;

/** A sortie of a segment with its searchers, newest first. */
interface SortieRow {
  readonly segment: SearchSegment;
  readonly sortie: SortieCoverage;
  readonly assignments: SearchSegment['assignments'];
}

function sortieRows(plan: SearchPlan): SortieRow[] {
  return plan.segments
    .flatMap((segment) =>
      segment.sorties.map((sortie) => ({
        segment,
        sortie,
        assignments: segment.assignments.filter((a) => a.sortie === sortie.sortie),
      })),
    )
    .sort((a, b) => b.sortie.startedAt.localeCompare(a.sortie.startedAt));
}

const span = (s: SortieCoverage) =>
  s.endedAt ? `${shortTime(s.startedAt)}–${shortTime(s.endedAt)}` : `out since ${shortTime(s.startedAt)}`;
const distance = (m: number) => (m < 1000 ? `${m.toFixed(0)} m` : `${(m / 1000).toFixed(2)} km`);

/**
 * The sorties of the search: who is out where, since when, and each sortie's length walked, coverage and POD as
 * they grow; leaders call one searcher back or end the whole sortie.
 */
export function SortieList({
  plan,
  isLeader,
  onPlan,
}: {
  plan: SearchPlan;
  isLeader: boolean;
  onPlan: OnPlan;
}) {
  const { busy, error, run } = useAction();
  const rows = sortieRows(plan);
  if (rows.length === 0) return null;
  const post = (url: string) =>
    run(async () => onPlan(await api<SearchPlan>(url, { method: 'POST', body: {} })));
  return (
    <section className="panel-section" data-testid="search-sorties">
      <h3>Sorties</h3>
      <ul className="search-sorties">
        {rows.map(({ segment, sortie, assignments }) => (
          <li
            key={`${segment.id}-${sortie.sortie}`}
            data-testid="search-sortie"
            data-state={sortie.endedAt ? 'ended' : 'out'}
          >
            <div className="search-sortie-head">
              <strong>
                {segment.name}, sortie {sortie.sortie}
              </strong>{' '}
              <span className="muted">{span(sortie)}</span>
              {isLeader && !sortie.endedAt && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => post(`/api/search/segments/${segment.id}/sorties/${sortie.sortie}/end`)}
                >
                  End sortie
                </button>
              )}
            </div>
            <div className="search-sortie-figures">
              L {distance(sortie.lengthInsideM)} · C {sortie.coverage.toFixed(2)} · POD{' '}
              <span data-testid="sortie-pod">{percent(sortie.pod)}</span>
            </div>
            <div className="search-sortie-searchers">
              {assignments.map((a) => (
                <span key={a.id} className={a.endedAt ? 'search-searcher-back' : 'search-searcher-out'}>
                  {a.callsign} ({a.resourceType}, W {a.sweepWidthM.toFixed(0)} m, {distance(a.lengthInsideM)}){' '}
                  {isLeader && !a.endedAt && (
                    <button
                      type="button"
                      className="link-button"
                      disabled={busy}
                      title={`Call ${a.callsign} back: what they walk afterwards is not a search of ${segment.name}`}
                      onClick={() => post(`/api/search/assignments/${a.id}/end`)}
                    >
                      End
                    </button>
                  )}
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}
