import { useState } from 'react';
import type { SearchPlan } from '../../../src/contract/search.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import {
  consensusBody,
  consensusPreview,
  move,
  newRanking,
  type PlannerRanking,
  REST_OF_WORLD,
  withSegments,
} from './consensus-view.ts';
import { percent } from './search-view.ts';

/**
 * The POA by consensus: each planner ranks the segments and the rest of the world, most likely first; each ranking
 * gives rank-sum weights, normalised per planner and averaged (docs/search-planning.md, "Setting the POA").
 */
export function ConsensusForm({ plan, onPlan }: { plan: SearchPlan; onPlan: (plan?: SearchPlan) => void }) {
  const ids = plan.segments.map((s) => s.id);
  const [stored, setPlanners] = useState<PlannerRanking[]>(() => [newRanking(1, 'Planner 1', ids)]);
  const planners = withSegments(stored, ids);
  const { busy, error, run } = useAction();
  const nameOf = (id: string) =>
    id === REST_OF_WORLD ? 'Rest of the world' : (plan.segments.find((s) => s.id === id)?.name ?? id);
  const change = (i: number, next: Partial<PlannerRanking>) =>
    setPlanners(planners.map((p, j) => (j === i ? { ...p, ...next } : p)));
  const preview = consensusPreview(planners);
  const apply = () =>
    run(async () => {
      onPlan(
        await api<SearchPlan>(`/api/operations/${plan.operationId}/search/poa`, {
          method: 'PUT',
          body: consensusBody(planners),
        }),
      );
    });

  return (
    <section className="panel-section search-form" data-testid="consensus-form">
      <h3>POA by consensus of planners</h3>
      <p className="muted">Each planner ranks the segments and the rest of the world, most likely first.</p>
      {planners.map((p, i) => (
        <fieldset key={p.id} className="search-ranking" data-testid="planner" data-planner={i + 1}>
          <legend>
            <input
              name={`planner-${i + 1}`}
              aria-label={`Planner ${i + 1}'s name`}
              value={p.name}
              maxLength={80}
              onChange={(e) => change(i, { name: e.target.value })}
            />
          </legend>
          <ol>
            {p.ranking.map((id, place) => (
              <li key={id} data-testid="ranked" data-item={nameOf(id)}>
                {nameOf(id)}{' '}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Move ${nameOf(id)} up`}
                  disabled={place === 0}
                  onClick={() => change(i, { ranking: move(p.ranking, place, -1) })}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Move ${nameOf(id)} down`}
                  disabled={place === p.ranking.length - 1}
                  onClick={() => change(i, { ranking: move(p.ranking, place, 1) })}
                >
                  ↓
                </button>
              </li>
            ))}
          </ol>
          {planners.length > 1 && (
            <button
              type="button"
              className="link-button"
              onClick={() => setPlanners(planners.filter((_, j) => j !== i))}
            >
              Remove planner
            </button>
          )}
        </fieldset>
      ))}
      <div className="search-actions">
        <button
          type="button"
          onClick={() => {
            const id = Math.max(0, ...planners.map((x) => x.id)) + 1;
            setPlanners([...planners, newRanking(id, `Planner ${planners.length + 1}`, ids)]);
          }}
          disabled={planners.length >= 20}
        >
          Add planner
        </button>
        <button type="button" onClick={apply} disabled={busy || planners.length === 0}>
          Apply consensus
        </button>
      </div>
      {preview && (
        <p className="muted" data-testid="consensus-preview">
          Consensus:{' '}
          {[
            ...plan.segments.map((s) => `${s.name} ${percent(preview.segments[s.id] ?? 0)}`),
            `rest of the world ${percent(preview.restOfWorld)}`,
          ].join(', ')}
        </p>
      )}
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}
