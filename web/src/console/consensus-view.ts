import type { PoaBody } from '../../../src/contract/search.ts';
import { consensusPoa, type PoaTable, rankingWeights } from '../../../src/domain/search-planning.ts';

/** The rest of the world's place in a ranking (segment ids are UUIDs, so it cannot clash). */
export const REST_OF_WORLD = 'rest-of-world';

/** One planner's ranking: segment ids and the rest of the world, most likely first. */
export interface PlannerRanking {
  /** Tells planners apart while their names are edited. */
  id: number;
  name: string;
  ranking: string[];
}

/** A new planner's ranking: the segments in the plan's order, the rest of the world last. */
export function newRanking(id: number, name: string, segmentIds: readonly string[]): PlannerRanking {
  return { id, name, ranking: [...segmentIds, REST_OF_WORLD] };
}

/** The ranking with the item at `from` moved by `by` places (kept within the list). */
export function move(ranking: readonly string[], from: number, by: number): string[] {
  const to = Math.min(ranking.length - 1, Math.max(0, from + by));
  const next = [...ranking];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/**
 * The rankings brought up to date with the plan's segments (a new segment joins each ranking before the rest of
 * the world; a removed one leaves it), order otherwise kept.
 */
export function withSegments(
  planners: readonly PlannerRanking[],
  segmentIds: readonly string[],
): PlannerRanking[] {
  const known = new Set([...segmentIds, REST_OF_WORLD]);
  return planners.map((p) => {
    const kept = p.ranking.filter((id) => known.has(id));
    const added = segmentIds.filter((id) => !kept.includes(id));
    const row = kept.indexOf(REST_OF_WORLD);
    const ranking =
      row < 0 ? [...kept, ...added, REST_OF_WORLD] : [...kept.slice(0, row), ...added, ...kept.slice(row)];
    return { ...p, ranking };
  });
}

/** Each planner's ranking as rank-sum weights (first of n places: n points), as the consensus API takes them. */
export function consensusBody(
  planners: readonly PlannerRanking[],
): Extract<PoaBody, { method: 'consensus' }> {
  return {
    method: 'consensus',
    planners: planners.map((p) => {
      const weights = rankingWeights(p.ranking);
      const { [REST_OF_WORLD]: restOfWorld = 0, ...segments } = weights;
      return { ...(p.name.trim() ? { name: p.name.trim() } : {}), segments, restOfWorld };
    }),
  };
}

/** The POA the consensus will give, shown before it is applied. */
export function consensusPreview(planners: readonly PlannerRanking[]): PoaTable | null {
  return planners.length === 0 ? null : consensusPoa(consensusBody(planners).planners);
}
