/**
 * The effective sweep width W of a resource, estimated from the team's detection drills (docs/search-planning.md):
 * - from a lateral range curve: objects placed at known distances from the searcher's track, found or not;
 *   W = ∫ p(x) dx over both sides of the track (Koopman; Washburn, Search and Detection, ch. 2);
 * - from the average maximum detection range R_d: W ≈ k·R_d with k = 1.8, 1.6 or 1.1 for high-, medium- or
 *   low-visibility objects (Koester et al. 2014, Wilderness & Environmental Medicine 25(2):132–142).
 */

/** One placed object: its distance from the searcher's track (m) and whether the searcher found it. */
export interface DetectionTrial {
  readonly lateralRangeM: number;
  readonly detected: boolean;
}

export interface LateralRangeBin {
  /** The bin's lower and upper distance from the track (m). */
  readonly fromM: number;
  readonly toM: number;
  readonly trials: number;
  readonly detected: number;
}

export interface LateralRangeFit {
  readonly sweepWidthM: number;
  readonly bins: readonly LateralRangeBin[];
  readonly trials: number;
}

export class SweepWidthError extends Error {}

/**
 * W from a lateral range curve (m): the detected share p in bins of `binM` from the track, assumed the same on both
 * sides, integrated as 2·Σ p·binM; an empty bin takes the mean of its nearest filled neighbours, and beyond the
 * farthest object nothing is detected (a conservative W).
 */
export function sweepWidthFromLateralRange(trials: readonly DetectionTrial[], binM: number): LateralRangeFit {
  if (!(binM > 0)) throw new SweepWidthError(`the bin width must be positive, got ${binM}`);
  if (trials.length === 0)
    throw new SweepWidthError('no detection trials: place objects and record which were found');
  for (const t of trials) {
    if (!Number.isFinite(t.lateralRangeM) || t.lateralRangeM < 0) {
      throw new SweepWidthError(`a lateral range must be a non-negative distance, got ${t.lateralRangeM}`);
    }
  }
  const count = Math.floor(Math.max(...trials.map((t) => t.lateralRangeM)) / binM) + 1;
  const bins = Array.from({ length: count }, (_, i) => ({
    fromM: i * binM,
    toM: (i + 1) * binM,
    trials: 0,
    detected: 0,
  }));
  for (const t of trials) {
    const bin = bins[Math.floor(t.lateralRangeM / binM)] as { trials: number; detected: number };
    bin.trials += 1;
    if (t.detected) bin.detected += 1;
  }
  const shares = bins.map((b) => (b.trials > 0 ? b.detected / b.trials : null));
  let half = 0;
  shares.forEach((p, i) => {
    half += (p ?? fillGap(shares, i)) * binM;
  });
  return { sweepWidthM: 2 * half, bins, trials: trials.length };
}

/** The detected share of an empty bin: the mean of the nearest filled bins before and after it. */
function fillGap(shares: readonly (number | null)[], i: number): number {
  const before = shares.slice(0, i).findLast((p) => p !== null);
  const after = shares.slice(i + 1).find((p) => p !== null);
  const known = [before, after].filter((p): p is number => p !== null && p !== undefined);
  return known.length === 0 ? 0 : known.reduce((s, p) => s + p, 0) / known.length;
}

export const VISIBILITY_CLASSES = ['high', 'medium', 'low'] as const;
export type Visibility = (typeof VISIBILITY_CLASSES)[number];

/** Koester et al. 2014's recommended factors from the average maximum detection range to W. */
export const DETECTION_RANGE_FACTOR: Readonly<Record<Visibility, number>> = {
  high: 1.8,
  medium: 1.6,
  low: 1.1,
};

/** W (m) from the maximum ranges (m) at which searchers could still see the object, W ≈ k·mean(R). */
export function sweepWidthFromDetectionRange(maxRangesM: readonly number[], visibility: Visibility): number {
  if (maxRangesM.length === 0) throw new SweepWidthError('no detection ranges measured');
  for (const r of maxRangesM) {
    if (!Number.isFinite(r) || r < 0)
      throw new SweepWidthError(`a detection range must be a distance, got ${r}`);
  }
  const mean = maxRangesM.reduce((s, r) => s + r, 0) / maxRangesM.length;
  return DETECTION_RANGE_FACTOR[visibility] * mean;
}
