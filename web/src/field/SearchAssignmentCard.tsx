import type { LatLon } from '../../../src/contract/common.ts';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { compassPoint, formatDistance } from '../../../src/domain/geo.ts';
import { EXERCISE_WORD } from '../../../src/domain/mode.ts';
import { segmentFromPoint } from '../../../src/domain/search-coverage.ts';
import { clockTime } from '../shared/time.ts';

/**
 * The searcher's own assignment: which segment, in which sortie, since when, where the segment lies from here, and
 * how much of it they have walked; shown while the assignment is open.
 */
export function SearchAssignmentCard({
  plan,
  memberId,
  own,
}: {
  plan: SearchPlan | null;
  memberId: string | null;
  own: LatLon | null;
}) {
  const segment = plan?.segments.find((s) =>
    s.assignments.some((a) => a.memberId === memberId && !a.endedAt),
  );
  const mine = segment?.assignments.find((a) => a.memberId === memberId && !a.endedAt);
  if (!plan || !segment || !mine) return null;
  const where = own ? segmentFromPoint(segment.polygon, own) : null;
  const sortie = segment.sorties.find((s) => s.sortie === mine.sortie);
  return (
    <section className="card search-card" data-testid="field-search" data-mode={plan.mode}>
      <h2>
        {plan.mode === 'exercise' ? `${EXERCISE_WORD} search` : 'Search'}: {segment.name}
      </h2>
      <p>
        Sortie {mine.sortie} · {mine.resourceType}, sweep width {mine.sweepWidthM.toFixed(0)} m · since{' '}
        {clockTime(mine.startedAt)}
      </p>
      <p data-testid="field-search-where">
        {where === null
          ? 'No GPS fix: where the segment lies is not known.'
          : where.inside
            ? `You are inside ${segment.name} (edge ${formatDistance(where.edgeM)}).`
            : `${segment.name} is ${formatDistance(where.edgeM)} ${compassPoint(where.bearingDeg)} of you.`}
      </p>
      <p className="muted" data-testid="field-search-walked">
        You walked {formatDistance(mine.lengthInsideM)} inside it
        {sortie && `; the sortie's POD so far ${(sortie.pod * 100).toFixed(0)} %`}.
      </p>
    </section>
  );
}
