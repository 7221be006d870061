import { lerp, type Polyline, segmentLength } from './track-geometry.ts';

/**
 * Calls `visit` at the midpoint of each piece of the polyline cut every `stepM` metres of arc length (the last
 * piece shorter), with the piece's length as weight. The pieces depend only on the line's shape, not on where
 * its vertices lie, so inserting points on its segments leaves them unchanged.
 */
export function forEachArcSample(
  line: Polyline,
  stepM: number,
  visit: (x: number, y: number, weightM: number) => void,
): void {
  const { x, y } = line;
  const n = x.length;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) cum[i] = (cum[i - 1] as number) + segmentLength(line, i - 1);
  const total = cum[n - 1] as number;
  const count = Math.ceil(total / stepM);
  let i = 0;
  for (let k = 0; k < count; k++) {
    const from = k * stepM;
    const to = Math.min(total, from + stepM);
    const at = (from + to) / 2;
    while (i + 2 < n && (cum[i + 1] as number) < at) i++;
    const s0 = cum[i] as number;
    const len = (cum[i + 1] as number) - s0;
    const f = len > 0 ? Math.min(1, Math.max(0, (at - s0) / len)) : 0;
    visit(
      lerp(x[i] as number, x[i + 1] as number, f),
      lerp(y[i] as number, y[i + 1] as number, f),
      to - from,
    );
  }
}

/** Positions and times along a track, in parallel arrays. */
export interface PathSamples {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly t: Float64Array;
}

/**
 * Samples a track every `stepM` metres of arc length, from its start to its end, with the time the tracker got
 * there, plus the start and end of every stop (a segment of zero length and positive duration), so that a stop's
 * time weighs exactly on where it was spent. Like `forEachArcSample`, the samples do not depend on where the
 * vertices lie on the path: inserting points on a segment (times interpolated) adds none.
 */
export function samplePath(line: Polyline, stepM: number): PathSamples {
  const { x, y, t } = line;
  const n = x.length;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) cum[i] = (cum[i - 1] as number) + segmentLength(line, i - 1);
  const total = cum[n - 1] as number;
  const grid = Math.ceil(total / stepM) + 1;
  const capacity = grid + 2 * n;
  const sx = new Float64Array(capacity);
  const sy = new Float64Array(capacity);
  const st = new Float64Array(capacity);
  let m = 0;
  const push = (px: number, py: number, pt: number) => {
    sx[m] = px;
    sy[m] = py;
    st[m++] = pt;
  };
  let k = 0;
  for (let i = 0; i + 1 < n; i++) {
    const s0 = cum[i] as number;
    const len = (cum[i + 1] as number) - s0;
    if (len === 0) {
      if ((t[i + 1] as number) > (t[i] as number)) {
        push(x[i] as number, y[i] as number, t[i] as number);
        push(x[i] as number, y[i] as number, t[i + 1] as number);
      }
      continue;
    }
    for (
      let at = Math.min(k * stepM, total);
      k < grid && at <= (cum[i + 1] as number);
      at = Math.min(++k * stepM, total)
    ) {
      const f = Math.min(1, Math.max(0, (at - s0) / len));
      push(
        lerp(x[i] as number, x[i + 1] as number, f),
        lerp(y[i] as number, y[i + 1] as number, f),
        lerp(t[i] as number, t[i + 1] as number, f),
      );
    }
  }
  if (m === 0) {
    // A path that never moved nor lasted.
    push(x[0] as number, y[0] as number, t[0] as number);
  }
  return { x: sx.subarray(0, m), y: sy.subarray(0, m), t: st.subarray(0, m) };
}

/**
 * The smallest value v such that the values ≤ v carry at least the share `q` of the total weight. Exact, in
 * linear time: histograms narrow the range until few values remain, which are then sorted.
 */
export function weightedQuantile(values: Float64Array, weights: Float64Array, q: number): number {
  let total = 0;
  for (const w of weights) total += w;
  const target = q * total;
  let active = Int32Array.from(values.keys());
  let below = 0; // weight of the values already known to lie below the active ones
  const BINS = 256;
  for (;;) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const i of active) {
      const v = values[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (active.length <= BINS || !(hi > lo)) {
      const sorted = Array.from(active).sort((a, b) => (values[a] as number) - (values[b] as number));
      let cum = below;
      for (const i of sorted) {
        cum += weights[i] as number;
        if (cum >= target) return values[i] as number;
      }
      return hi;
    }
    const scale = BINS / (hi - lo);
    const binOf = (v: number) => Math.min(BINS - 1, Math.floor((v - lo) * scale));
    const binWeight = new Float64Array(BINS);
    for (const i of active) {
      const bin = binOf(values[i] as number);
      binWeight[bin] = (binWeight[bin] as number) + (weights[i] as number);
    }
    let b = 0;
    while (b < BINS - 1 && below + (binWeight[b] as number) < target) below += binWeight[b++] as number;
    active = active.filter((i) => binOf(values[i] as number) === b);
  }
}
