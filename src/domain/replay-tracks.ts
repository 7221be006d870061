import { distanceM } from './geo.ts';

/**
 * One member's fixes as columns in time order (epoch ms, degrees): what a replay decodes once and then reads
 * at every frame without copying. The page holds them as Float64Arrays; any array of numbers will do.
 */
export interface MemberTrack {
  readonly memberId: string;
  readonly t: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
  readonly lon: ArrayLike<number>;
}

/** One fix, as a store row gives it. */
export interface TrackFix {
  readonly memberId: string;
  readonly timeMs: number;
  readonly lat: number;
  readonly lon: number;
}

/**
 * A member's track on the wire: times in ms and coordinates in millionths of a degree (integers, about
 * 11 cm), each the difference from the one before; the first time from the window's `t0`, the first
 * coordinates absolute. Deltas of a walking member are two or three digits, which JSON and gzip keep small.
 */
export interface PackedTrack {
  readonly memberId: string;
  readonly t: number[];
  readonly lat: number[];
  readonly lon: number[];
}

export interface PackedTracks {
  /** Epoch ms that the first time of every track counts from. */
  readonly t0: number;
  readonly tracks: readonly PackedTrack[];
}

/** Coordinates travel as integers of this many units per degree. */
export const COORD_UNITS = 1e6;

/**
 * A coordinate as the wire carries it: `floor(deg × 10⁶ + 0.5)`, the same arithmetic the store's query does
 * (so both give the same integer), never -0.
 */
export const toUnits = (deg: number): number => Math.floor(deg * COORD_UNITS + 0.5) + 0;

/**
 * Packs one member's columns (times in ms from t0, coordinates in units), put in time order first when
 * they are not (a stable sort: fixes at the same time keep their order). The arrays become the deltas.
 */
export function packColumns(memberId: string, t: number[], lat: number[], lon: number[]): PackedTrack {
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) sorted = (t[i - 1] ?? 0) <= (t[i] ?? 0);
  if (!sorted) {
    const order = t.map((_, i) => i).sort((a, b) => (t[a] ?? 0) - (t[b] ?? 0) || a - b);
    const [ts, las, los] = [
      order.map((i) => t[i] ?? 0),
      order.map((i) => lat[i] ?? 0),
      order.map((i) => lon[i] ?? 0),
    ];
    for (let i = 0; i < order.length; i++) {
      t[i] = ts[i] ?? 0;
      lat[i] = las[i] ?? 0;
      lon[i] = los[i] ?? 0;
    }
  }
  for (let i = t.length - 1; i > 0; i--) {
    t[i] = (t[i] ?? 0) - (t[i - 1] ?? 0);
    lat[i] = (lat[i] ?? 0) - (lat[i - 1] ?? 0);
    lon[i] = (lon[i] ?? 0) - (lon[i - 1] ?? 0);
  }
  return { memberId, t, lat, lon };
}

/** Packs fixes, grouped by member (each member's in any order), the first time of each track from `t0`. */
export function packFixes(t0: number, fixes: Iterable<TrackFix>): PackedTracks {
  const columns = new Map<string, { t: number[]; lat: number[]; lon: number[] }>();
  for (const f of fixes) {
    let c = columns.get(f.memberId);
    if (!c) {
      c = { t: [], lat: [], lon: [] };
      columns.set(f.memberId, c);
    }
    c.t.push(f.timeMs - t0);
    c.lat.push(toUnits(f.lat));
    c.lon.push(toUnits(f.lon));
  }
  return { t0, tracks: [...columns].map(([memberId, c]) => packColumns(memberId, c.t, c.lat, c.lon)) };
}

/** The tracks back from the wire: a running sum over each column, into Float64Arrays. */
export function unpackTracks(packed: PackedTracks): MemberTrack[] {
  return packed.tracks.map((p) => {
    const n = p.t.length;
    const t = new Float64Array(n);
    const lat = new Float64Array(n);
    const lon = new Float64Array(n);
    let st = packed.t0;
    let sla = 0;
    let slo = 0;
    for (let i = 0; i < n; i++) {
      st += p.t[i] ?? 0;
      sla += p.lat[i] ?? 0;
      slo += p.lon[i] ?? 0;
      t[i] = st;
      lat[i] = sla / COORD_UNITS;
      lon[i] = slo / COORD_UNITS;
    }
    return { memberId: p.memberId, t, lat, lon };
  });
}

/** The index of the last fix at or before `tMs`, or -1 (binary search). */
export function fixIndexAt(track: MemberTrack, tMs: number): number {
  let lo = 0;
  let hi = track.t.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((track.t[mid] ?? 0) <= tMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Where a member is at a moment of a replay. */
export interface TrackPoint {
  readonly lat: number;
  readonly lon: number;
  /** The last fix at or before the moment: what the live map showed then. */
  readonly fixIndex: number;
  readonly fixMs: number;
  /** No fix for longer than the stale limit (the live map greyed the member out). */
  readonly stale: boolean;
}

/**
 * A member's place at `tMs`: between two fixes no further apart than `staleMs`, the straight line between
 * them at that share of the time; after the last fix, or across a longer gap, the last fix held (and stale
 * once `staleMs` has passed, as the live map had it). Null before the first fix.
 */
export function pointAt(track: MemberTrack, tMs: number, staleMs: number): TrackPoint | null {
  const i = fixIndexAt(track, tMs);
  if (i < 0) return null;
  const t0 = track.t[i] ?? 0;
  const lat0 = track.lat[i] ?? 0;
  const lon0 = track.lon[i] ?? 0;
  const stale = tMs - t0 > staleMs;
  if (i + 1 < track.t.length) {
    const t1 = track.t[i + 1] ?? t0;
    if (t1 > t0 && t1 - t0 <= staleMs) {
      const f = (tMs - t0) / (t1 - t0);
      return {
        lat: lat0 + ((track.lat[i + 1] ?? lat0) - lat0) * f,
        lon: lon0 + ((track.lon[i + 1] ?? lon0) - lon0) * f,
        fixIndex: i,
        fixMs: t0,
        stale,
      };
    }
  }
  return { lat: lat0, lon: lon0, fixIndex: i, fixMs: t0, stale };
}

/** The index of the first fix of a tail `tailMs` long that ends at `tMs` (the fixes up to the point's fix). */
export function tailStart(track: MemberTrack, tMs: number, tailMs: number): number {
  return fixIndexAt(track, tMs - tailMs - 1) + 1;
}

/**
 * The tail as [lon, lat] pairs, oldest first, ending at the interpolated point: for a map line (small: the
 * fixes of the last `tailMs` only).
 */
export function tailLine(
  track: MemberTrack,
  at: TrackPoint,
  tMs: number,
  tailMs: number,
): [number, number][] {
  const line: [number, number][] = [];
  for (let i = tailStart(track, tMs, tailMs); i <= at.fixIndex; i++) {
    line.push([track.lon[i] ?? 0, track.lat[i] ?? 0]);
  }
  line.push([at.lon, at.lat]);
  return line;
}

/** Distance between two members over time, sampled every `stepMs`; null where either is unknown or stale. */
export interface DistanceSeries {
  readonly timesMs: number[];
  readonly metres: (number | null)[];
}

export function distanceSeries(
  a: MemberTrack,
  b: MemberTrack,
  w: { fromMs: number; toMs: number; stepMs: number; staleMs: number },
): DistanceSeries {
  const timesMs: number[] = [];
  const metres: (number | null)[] = [];
  const step = Math.max(1, w.stepMs);
  for (let t = w.fromMs; t <= w.toMs; t += step) {
    const pa = pointAt(a, t, w.staleMs);
    const pb = pointAt(b, t, w.staleMs);
    timesMs.push(t);
    metres.push(pa && pb && !pa.stale && !pb.stale ? distanceM(pa, pb) : null);
  }
  return { timesMs, metres };
}

/** A step that gives at most `maxPoints` samples over a window, in whole seconds. */
export function sampleStepMs(fromMs: number, toMs: number, maxPoints: number): number {
  return Math.max(1000, Math.ceil((toMs - fromMs) / Math.max(1, maxPoints) / 1000) * 1000);
}
