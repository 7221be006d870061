import type { Point } from '../domain/geo.ts';
import type { Walker } from './movement.ts';
import { gaussian, type Rng, uniform } from './random.ts';

const M_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180;

export interface GpsOptions {
  /** Standard deviation of the position error along each axis (north, east), in metres. */
  sigmaM: number;
  /** Chance that a fix is lost (under thick canopy, in a gully); a loss lasts one to `maxLostFixes` fixes. */
  lostFixP: number;
  maxLostFixes: number;
}

/** A phone under a forest canopy: a few metres of error, now and then no fix at all. */
export const DEFAULT_GPS: GpsOptions = { sigmaM: 4, lostFixP: 0.03, maxLostFixes: 3 };

/** What a receiver reports. */
export interface Fix extends Point {
  /** The receiver's own estimate of its error (radius, m). */
  accuracyM: number;
  speedMps: number;
  headingDeg: number;
}

/** A receiver's memory between fixes: how many more fixes it will miss, and whether it has just missed some. */
export interface GpsState {
  readonly lostLeft: number;
  readonly justLost: boolean;
}

export const GPS_START: GpsState = { lostLeft: 0, justLost: false };

/** The fix a receiver carried by `truth` reports, or null when it has none this time. */
export function readFix(
  truth: Walker,
  state: GpsState,
  opts: GpsOptions,
  rng: Rng,
): { fix: Fix | null; state: GpsState } {
  if (state.lostLeft > 0) return { fix: null, state: { lostLeft: state.lostLeft - 1, justLost: true } };
  // A loss is followed by at least one fix, so that it lasts no longer than `maxLostFixes`.
  if (!state.justLost && rng() < opts.lostFixP) {
    const run = 1 + Math.floor(rng() * Math.max(1, opts.maxLostFixes));
    return { fix: null, state: { lostLeft: run - 1, justLost: true } };
  }
  const northM = opts.sigmaM * gaussian(rng);
  const eastM = opts.sigmaM * gaussian(rng);
  const lat = truth.pos.lat + northM / M_PER_DEG_LAT;
  const lon = truth.pos.lon + eastM / (M_PER_DEG_LAT * Math.cos((truth.pos.lat * Math.PI) / 180));
  return {
    fix: {
      lat,
      lon,
      // The 68 % radius of a two-dimensional normal error is about 1.5 σ.
      accuracyM: Math.round(1.5 * opts.sigmaM * uniform(rng, 0.85, 1.15) * 10) / 10,
      speedMps: Math.max(0, Math.round((truth.speedMps + 0.1 * gaussian(rng)) * 100) / 100),
      headingDeg: Math.round(truth.headingDeg) % 360,
    },
    state: GPS_START,
  };
}

/** The north and east offsets of `p` from `origin`, in metres (small distances). */
export function offsetM(origin: Point, p: Point): { northM: number; eastM: number } {
  return {
    northM: (p.lat - origin.lat) * M_PER_DEG_LAT,
    eastM: (p.lon - origin.lon) * M_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180),
  };
}
