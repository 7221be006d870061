/** One scored drill of a tracker, as progress charts it. */
export interface ProgressSample {
  readonly drillId: string;
  readonly timeMs: number;
  readonly shareFollowed: number;
  readonly meanDeviationM: number;
  /** Null when the tracker did not find the runner. */
  readonly timeToFindS: number | null;
}

export type ProgressMeasure = 'shareFollowed' | 'meanDeviationM' | 'timeToFindS';

export const PROGRESS_MEASURES: readonly ProgressMeasure[] = [
  'shareFollowed',
  'meanDeviationM',
  'timeToFindS',
];

/** Whether a higher value of the measure is the better one (a larger share; a smaller deviation or time). */
export const HIGHER_IS_BETTER: Readonly<Record<ProgressMeasure, boolean>> = {
  shareFollowed: true,
  meanDeviationM: false,
  timeToFindS: false,
};

export interface MeasureProgress {
  readonly measure: ProgressMeasure;
  readonly best: { readonly drillId: string; readonly timeMs: number; readonly value: number } | null;
  /** Least-squares slope of the measure over time, per 30 days; null with fewer than two drills on two days. */
  readonly trendPer30Days: number | null;
  /** The trend goes the better way; null without a trend. */
  readonly improving: boolean | null;
}

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** The personal best and the trend of each measure over the samples (any order). */
export function progressOf(samples: readonly ProgressSample[]): MeasureProgress[] {
  return PROGRESS_MEASURES.map((measure) => measureProgress(samples, measure));
}

/** The personal best and the trend per 30 days of one measure; samples without a value are left out. */
export function measureProgress(
  samples: readonly ProgressSample[],
  measure: ProgressMeasure,
): MeasureProgress {
  const higher = HIGHER_IS_BETTER[measure];
  const valued = samples.flatMap((s) => {
    const value = s[measure];
    return value === null || !Number.isFinite(value) ? [] : [{ drillId: s.drillId, timeMs: s.timeMs, value }];
  });
  let best: MeasureProgress['best'] = null;
  for (const v of valued) {
    if (!best || (higher ? v.value > best.value : v.value < best.value)) best = v;
  }
  const slope = leastSquaresSlope(
    valued.map((v) => v.timeMs),
    valued.map((v) => v.value),
  );
  const trendPer30Days = slope === null ? null : slope * THIRTY_DAYS_MS;
  const improving = trendPer30Days === null ? null : higher ? trendPer30Days > 0 : trendPer30Days < 0;
  return { measure, best, trendPer30Days, improving };
}

/** The least-squares slope of y over x (units of y per unit of x); null with fewer than two distinct x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxy += dx * ((ys[i] as number) - my);
    sxx += dx * dx;
  }
  return sxx === 0 ? null : sxy / sxx;
}
