/** One recorded position: WGS84 degrees and epoch milliseconds. */
export interface TrackPoint {
  readonly lat: number;
  readonly lon: number;
  readonly timeMs: number;
}

/** A track in local metres (x east, y north) with its times (epoch ms), as parallel arrays. */
export interface Polyline {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly t: Float64Array;
}

/**
 * A local equirectangular projection: x = R·Δλ·cos φ0, y = R·Δφ around the middle latitude φ0 of the data, on the
 * same sphere as `geo.ts`. At drill scale this is exact enough: the east–west scale error at a distance Δφ (in
 * radians) from φ0 is about tan φ0 · Δφ: 0.03 % 2 km north or south of φ0 at 45°, 0.07 % at 65°. Longitudes are taken
 * relative to the first point and wrapped, so a drill astride the antimeridian projects without a seam.
 */
export interface LocalProjection {
  readonly lat0: number;
  readonly lon0: number;
  readonly mPerDegLat: number;
  readonly mPerDegLon: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/** The projection centred on the middle latitude of all the given tracks' points (their extent's centre, which
 * points inserted on the tracks' segments do not move). */
export function localProjection(tracks: readonly (readonly TrackPoint[])[]): LocalProjection {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const track of tracks) {
    for (const p of track) {
      if (p.lat < min) min = p.lat;
      if (p.lat > max) max = p.lat;
    }
  }
  const lat0 = min <= max ? (min + max) / 2 : 0;
  const lon0 = tracks.find((t) => t.length > 0)?.[0]?.lon ?? 0;
  return { lat0, lon0, mPerDegLat: M_PER_DEG, mPerDegLon: M_PER_DEG * Math.cos((lat0 * Math.PI) / 180) };
}

/** The track's points in the projection's metres. */
export function project(points: readonly TrackPoint[], proj: LocalProjection): Polyline {
  const n = points.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i] as TrackPoint;
    let dLon = p.lon - proj.lon0;
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    x[i] = dLon * proj.mPerDegLon;
    y[i] = (p.lat - proj.lat0) * proj.mPerDegLat;
    t[i] = p.timeMs;
  }
  return { x, y, t };
}

/** Total length of the polyline, in metres. */
export function polylineLength(line: Polyline): number {
  let sum = 0;
  for (let i = 0; i + 1 < line.x.length; i++) sum += segmentLength(line, i);
  return sum;
}

/** Length of segment i (from point i to point i + 1), in metres. */
export function segmentLength(line: Polyline, i: number): number {
  return Math.hypot(
    (line.x[i + 1] as number) - (line.x[i] as number),
    (line.y[i + 1] as number) - (line.y[i] as number),
  );
}

/** The polyline up to time `untilMs`, ending with a point interpolated at that time (at least two points). */
export function clipPolyline(line: Polyline, untilMs: number): Polyline {
  const n = line.t.length;
  let k = 0;
  while (k + 1 < n && (line.t[k + 1] as number) <= untilMs) k++;
  if (k + 1 === n) return line;
  const t0 = line.t[k] as number;
  const dt = (line.t[k + 1] as number) - t0;
  const f = dt > 0 ? Math.max(0, Math.min(1, (untilMs - t0) / dt)) : 0;
  const x = new Float64Array(k + 2);
  const y = new Float64Array(k + 2);
  const t = new Float64Array(k + 2);
  x.set(line.x.subarray(0, k + 1));
  y.set(line.y.subarray(0, k + 1));
  t.set(line.t.subarray(0, k + 1));
  x[k + 1] = lerp(line.x[k] as number, line.x[k + 1] as number, f);
  y[k + 1] = lerp(line.y[k] as number, line.y[k + 1] as number, f);
  t[k + 1] = Math.max(t0, untilMs);
  return { x, y, t };
}

export const lerp = (a: number, b: number, f: number) => a + (b - a) * f;

/** Squared distance from point p to the segment a–b, in square metres. */
export function segmentDistance2(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let f = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  if (f < 0) f = 0;
  else if (f > 1) f = 1;
  const ex = ax + f * dx - px;
  const ey = ay + f * dy - py;
  return ex * ex + ey * ey;
}

/**
 * The parameter interval [lo, hi] ⊂ [0, 1] of the segment a–b whose points lie within `r` metres of the segment
 * s–e, written to `out`; false when there is none. The points within r of s–e form a capsule (a convex set): the
 * union of the two end discs and the rectangle along s–e, so its trace on a line is the hull of the three parts'
 * traces.
 */
export function capsuleInterval(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  sx: number,
  sy: number,
  ex: number,
  ey: number,
  r: number,
  out: Float64Array,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  if (discInterval(ax - sx, ay - sy, dx, dy, r, out)) {
    lo = out[0] as number;
    hi = out[1] as number;
  }
  if (discInterval(ax - ex, ay - ey, dx, dy, r, out)) {
    lo = Math.min(lo, out[0] as number);
    hi = Math.max(hi, out[1] as number);
  }
  const ux = ex - sx;
  const uy = ey - sy;
  const len = Math.hypot(ux, uy);
  if (len > 0) {
    // Along s–e: 0 ≤ (p − s)·u ≤ len; across: |(p − s) × u| ≤ r, with p = a + t·d and u a unit vector.
    slab(((ax - sx) * ux + (ay - sy) * uy) / len, (dx * ux + dy * uy) / len, 0, len, out);
    let rlo = out[0] as number;
    let rhi = out[1] as number;
    slab(((ax - sx) * uy - (ay - sy) * ux) / len, (dx * uy - dy * ux) / len, -r, r, out);
    rlo = Math.max(rlo, out[0] as number);
    rhi = Math.min(rhi, out[1] as number);
    if (rlo <= rhi) {
      lo = Math.min(lo, rlo);
      hi = Math.max(hi, rhi);
    }
  }
  out[0] = Math.max(lo, 0);
  out[1] = Math.min(hi, 1);
  return out[0] <= out[1];
}

/** The t with |o + t·d| ≤ r (o: segment start relative to the disc's centre), unclipped, into `out`. */
function discInterval(ox: number, oy: number, dx: number, dy: number, r: number, out: Float64Array): boolean {
  const a = dx * dx + dy * dy;
  const b = ox * dx + oy * dy;
  const c = ox * ox + oy * oy - r * r;
  if (a === 0) {
    out[0] = 0;
    out[1] = 1;
    return c <= 0;
  }
  const disc = b * b - a * c;
  if (disc < 0) return false;
  const root = Math.sqrt(disc);
  out[0] = (-b - root) / a;
  out[1] = (-b + root) / a;
  return true;
}

/** The t with min ≤ v0 + t·dv ≤ max, unclipped, into `out`. */
function slab(v0: number, dv: number, min: number, max: number, out: Float64Array): void {
  if (dv === 0) {
    const inside = v0 >= min && v0 <= max;
    out[0] = inside ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    out[1] = inside ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return;
  }
  const t1 = (min - v0) / dv;
  const t2 = (max - v0) / dv;
  out[0] = Math.min(t1, t2);
  out[1] = Math.max(t1, t2);
}
