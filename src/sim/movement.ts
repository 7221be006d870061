import { bearingDeg, destination, distanceM, type Point } from '../domain/geo.ts';
import { gaussian, type Rng, uniform } from './random.ts';

/** How a person moves on foot. */
export type Gait = 'walk' | 'run';

/** Human paces, in m/s: a walk through woods, and a run from a jog to a sprint one can hold for a while. */
export const SPEED_MPS: Readonly<Record<Gait, { min: number; max: number }>> = {
  walk: { min: 1.0, max: 1.6 },
  run: { min: 2.5, max: 4.5 },
};

const ACCEL_MPS2 = 1.5;
const DECEL_MPS2 = 3;
/** A runner turns in wider arcs than a walker. */
const TURN_DEG_PER_S: Readonly<Record<Gait, number>> = { walk: 90, run: 60 };
const ARRIVE_M = 4;
const MAX_STEP_S = 1;
/** Paths through woods wind: the heading strays from the straight line by about this much (1 σ). */
const WANDER_SIGMA_DEG = 18;
const WANDER_RELAX_S = 20;

/** One person on foot: where they are, how they are moving and where they are going. Immutable. */
export interface Walker {
  readonly pos: Point;
  readonly headingDeg: number;
  readonly speedMps: number;
  readonly gait: Gait;
  /** The pace chosen for the current leg, within the gait's range. */
  readonly cruiseMps: number;
  readonly waypoints: readonly Point[];
  /** Seconds left standing still (listening, catching breath, hiding). */
  readonly pauseS: number;
  /** How far the path strays from the straight line to the next waypoint, in degrees. */
  readonly wanderDeg: number;
  /** Mean seconds between spontaneous stops while walking; 0 for none. */
  readonly stopEveryS: number;
}

export interface WalkerOptions {
  headingDeg?: number;
  /** Mean seconds between spontaneous stops while walking (default 90; 0: never). */
  stopEveryS?: number;
}

/** A person standing at `pos`, going nowhere yet. */
export function createWalker(pos: Point, opts: WalkerOptions = {}): Walker {
  return {
    pos,
    headingDeg: opts.headingDeg ?? 0,
    speedMps: 0,
    gait: 'walk',
    cruiseMps: SPEED_MPS.walk.min,
    waypoints: [],
    pauseS: 0,
    wanderDeg: 0,
    stopEveryS: opts.stopEveryS ?? 90,
  };
}

/** The walker sent along `waypoints` at `gait`, at a pace of its own within the gait's range. */
export function goTo(w: Walker, waypoints: readonly Point[], gait: Gait, rng: Rng): Walker {
  const range = SPEED_MPS[gait];
  return { ...w, waypoints: [...waypoints], gait, cruiseMps: uniform(rng, range.min, range.max), pauseS: 0 };
}

/** The walker standing still for `seconds` (hiding, resting), keeping its waypoints for afterwards. */
export function pause(w: Walker, seconds: number): Walker {
  return { ...w, pauseS: Math.max(w.pauseS, seconds) };
}

/** The walker stopping where it is, with nowhere to go. */
export function halt(w: Walker): Walker {
  return { ...w, waypoints: [], pauseS: 0 };
}

/** Whether the walker has reached its last waypoint (or had none). */
export function arrived(w: Walker): boolean {
  return w.waypoints.length === 0;
}

/** The walker `dtS` seconds later; spans longer than a second are taken in one-second steps. */
export function advance(w: Walker, dtS: number, rng: Rng): Walker {
  let out = w;
  for (let left = dtS; left > 1e-9; left -= MAX_STEP_S) out = step(out, Math.min(MAX_STEP_S, left), rng);
  return out;
}

/** The walker `dtS` (at most a second) later: it turns gradually, speeds up and slows down like a person. */
export function step(w: Walker, dtS: number, rng: Rng): Walker {
  const dt = Math.min(MAX_STEP_S, Math.max(0, dtS));
  const range = SPEED_MPS[w.gait];
  let waypoints = w.waypoints;
  while (waypoints[0] && distanceM(w.pos, waypoints[0]) <= ARRIVE_M) waypoints = waypoints.slice(1);
  const next = waypoints[0];
  // Ornstein–Uhlenbeck drift: the path winds, but keeps coming back to the line.
  const wander = clamp(
    w.wanderDeg -
      (w.wanderDeg / WANDER_RELAX_S) * dt +
      WANDER_SIGMA_DEG * Math.sqrt((2 * dt) / WANDER_RELAX_S) * gaussian(rng),
    -45,
    45,
  );
  let pauseS = Math.max(0, w.pauseS - dt);
  if (next && pauseS === 0 && w.gait === 'walk' && w.stopEveryS > 0 && rng() < dt / w.stopEveryS) {
    pauseS = uniform(rng, 3, 15);
  }
  const cruiseMps = clamp(w.cruiseMps + 0.03 * gaussian(rng) * Math.sqrt(dt), range.min, range.max);
  let headingDeg = w.headingDeg;
  let targetMps = 0;
  if (next && pauseS === 0) {
    const distM = distanceM(w.pos, next);
    const desired = bearingDeg(w.pos, next) + wander * Math.min(1, distM / 40);
    const err = angleDiff(desired, headingDeg);
    const maxTurn = TURN_DEG_PER_S[w.gait] * dt;
    headingDeg = normalize(headingDeg + clamp(err, -maxTurn, maxTurn));
    targetMps = cruiseMps;
    // People slow down to turn sharply, and ease into where they are going.
    if (Math.abs(err) > 60) targetMps = Math.min(targetMps, range.min);
    if (waypoints.length === 1) targetMps = Math.min(targetMps, Math.max(0.5, distM / 2));
  }
  const dv = targetMps - w.speedMps;
  const speedMps = Math.max(0, w.speedMps + clamp(dv, -DECEL_MPS2 * dt, ACCEL_MPS2 * dt));
  const pos = speedMps > 0 ? destination(w.pos, headingDeg, speedMps * dt) : w.pos;
  return { ...w, pos, headingDeg, speedMps, cruiseMps, waypoints, pauseS, wanderDeg: wander };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** The signed difference a − b of two headings, in (−180, 180]. */
function angleDiff(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
}

function normalize(deg: number): number {
  return ((deg % 360) + 360) % 360;
}
