/**
 * Probability of area (POA) over a search's segments and the rest of the world (ROW), and its update after an
 * unsuccessful search (Bayes' rule; see docs/search-planning.md). Values are probabilities, 0 ≤ p ≤ 1.
 */

/** The POA of each segment (by id) and the rest of the world; together they sum to 1. */
export interface PoaTable {
  readonly segments: Readonly<Record<string, number>>;
  readonly restOfWorld: number;
}

/** One planner's weights: any non-negative numbers (percentages, scores) per segment and for the rest of the world. */
export interface PlannerWeights {
  readonly segments: Readonly<Record<string, number>>;
  readonly restOfWorld: number;
}

export class PoaError extends Error {}

/** The weights scaled to a probability distribution (each divided by their sum). */
export function normalisePoa(weights: PlannerWeights): PoaTable {
  const values = [...Object.values(weights.segments), weights.restOfWorld];
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) throw new PoaError(`a weight must be a non-negative number, got ${v}`);
  }
  const sum = values.reduce((s, v) => s + v, 0);
  if (sum <= 0)
    throw new PoaError(
      'the weights sum to zero: give at least one segment or the rest of the world a weight',
    );
  const segments: Record<string, number> = {};
  for (const [id, v] of Object.entries(weights.segments)) segments[id] = v / sum;
  return { segments, restOfWorld: weights.restOfWorld / sum };
}

/**
 * The consensus POA of several planners (the Mattson consensus): each planner's weights are normalised on their
 * own, then averaged segment by segment; a segment a planner did not weigh counts as 0 for that planner.
 */
export function consensusPoa(planners: readonly PlannerWeights[]): PoaTable {
  if (planners.length === 0) throw new PoaError('a consensus needs at least one planner');
  const tables = planners.map(normalisePoa);
  const ids = new Set(tables.flatMap((t) => Object.keys(t.segments)));
  const segments: Record<string, number> = {};
  for (const id of ids) segments[id] = mean(tables.map((t) => t.segments[id] ?? 0));
  return { segments, restOfWorld: mean(tables.map((t) => t.restOfWorld)) };
}

/**
 * Weights from a planner's ranking (most likely first), by rank sum (Borda count): with n places ranked, the first
 * gets n points, the last 1. Ties are not expressible; use weights for them.
 */
export function rankingWeights(ranking: readonly string[]): Record<string, number> {
  const weights: Record<string, number> = {};
  ranking.forEach((id, i) => {
    if (id in weights) throw new PoaError(`"${id}" is ranked twice`);
    weights[id] = ranking.length - i;
  });
  return weights;
}

/** The probability of success POS = POA × POD of a search of one segment. */
export function probabilityOfSuccess(poa: number, pod: number): number {
  return poa * pod;
}

/**
 * The POA after an unsuccessful search with the given POD per segment (segments not searched: 0):
 * POA′ = POA·(1 − POD)/(1 − ΣPOS), and the rest of the world ROW′ = ROW/(1 − ΣPOS).
 */
export function updatePoaAfterSearch(table: PoaTable, pods: Readonly<Record<string, number>>): PoaTable {
  for (const [id, pod] of Object.entries(pods)) {
    if (!(id in table.segments)) throw new PoaError(`no segment "${id}" in the POA table`);
    if (!Number.isFinite(pod) || pod < 0 || pod > 1)
      throw new PoaError(`POD of "${id}" must be within 0–1, got ${pod}`);
  }
  let totalPos = 0;
  for (const [id, poa] of Object.entries(table.segments))
    totalPos += probabilityOfSuccess(poa, pods[id] ?? 0);
  const missed = 1 - totalPos;
  if (missed <= 0) {
    throw new PoaError(
      'the searches could not have missed (ΣPOS = 1): the subject is not in the area as planned',
    );
  }
  const segments: Record<string, number> = {};
  for (const [id, poa] of Object.entries(table.segments))
    segments[id] = (poa * (1 - (pods[id] ?? 0))) / missed;
  return { segments, restOfWorld: table.restOfWorld / missed };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
