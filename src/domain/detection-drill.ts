import type { Point } from './geo.ts';
import { type DetectionTrial, type LateralRangeFit, sweepWidthFromLateralRange } from './sweep-width.ts';
import { segmentDistance2, type TrackPoint } from './track-geometry.ts';

/**
 * A detection drill (docs/search-planning.md, "Sweep width"): objects are placed in the terrain, searchers walk
 * past them, and each searcher records which they found. Each object's lateral range is its shortest distance
 * from the searcher's track; the (lateral range, found) pairs are the trials the lateral range curve is fitted
 * from (domain/sweep-width.ts).
 */

export interface PlacedObject extends Point {
  readonly id: string;
}

export interface SearcherTrack {
  readonly searcherId: string;
  /** Positions during the drill, oldest first. */
  readonly points: readonly TrackPoint[];
}

export interface FindRecord {
  readonly objectId: string;
  readonly searcherId: string;
  readonly found: boolean;
}

export interface DetectionOptions {
  /** A step between two positions further apart in time than this is a gap, not walked (ms). */
  readonly maxGapMs: number;
  /** Objects farther than this from a searcher's track are not trials of that searcher (m). */
  readonly maxRangeM: number;
  /** How problems name a searcher or an object (default: by id). */
  readonly nameOf?: (id: string) => string;
}

/** One object for one searcher: how close the track came, whether it was found, and whether it is fitted. */
export interface SearcherTrial {
  readonly searcherId: string;
  readonly objectId: string;
  readonly lateralRangeM: number;
  readonly detected: boolean;
  /** False when the track never came within the cutoff: the searcher did not search for it. */
  readonly counted: boolean;
}

export interface DetectionDrillResult {
  readonly trials: readonly SearcherTrial[];
  /** What keeps a searcher's or an object's trials out of the fit, in words. */
  readonly problems: readonly string[];
}

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/**
 * The shortest distance (m) from the object to the track: to each walked step (a straight line between two
 * positions no more than `maxGapMs` apart) and to each position. Computed in an equirectangular projection centred
 * on the object, on the sphere of `geo.ts`: at 200 m the error is a few millimetres, even at 65° latitude.
 * Null when the track has no position.
 */
export function lateralRangeM(object: Point, track: readonly TrackPoint[], maxGapMs: number): number | null {
  if (track.length === 0) return null;
  const mPerDegLon = M_PER_DEG * Math.cos((object.lat * Math.PI) / 180);
  const xy = (p: TrackPoint): [number, number] => {
    let dLon = p.lon - object.lon;
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    return [dLon * mPerDegLon, (p.lat - object.lat) * M_PER_DEG];
  };
  let best = Number.POSITIVE_INFINITY;
  let prev: [number, number] | null = null;
  let prevMs = Number.NaN;
  for (const p of track) {
    const here = xy(p);
    const d2: number =
      prev && p.timeMs - prevMs <= maxGapMs
        ? segmentDistance2(0, 0, prev[0], prev[1], here[0], here[1])
        : here[0] * here[0] + here[1] * here[1];
    if (d2 < best) best = d2;
    prev = here;
    prevMs = p.timeMs;
  }
  return Math.sqrt(best);
}

/**
 * Every searcher's trials: one per (searcher, object), found when the searcher's record says so (no record: not
 * found). A searcher without positions has no trials; an object beyond `maxRangeM` of a searcher's track is listed
 * but not counted (the searcher never passed it, so it says nothing about how well they see).
 */
export function detectionTrials(
  objects: readonly PlacedObject[],
  tracks: readonly SearcherTrack[],
  records: readonly FindRecord[],
  options: DetectionOptions,
): DetectionDrillResult {
  const found = new Set(records.filter((r) => r.found).map((r) => `${r.searcherId}/${r.objectId}`));
  const trials: SearcherTrial[] = [];
  const problems: string[] = [];
  const name = options.nameOf ?? ((id: string) => id);
  if (objects.length === 0) problems.push('no objects placed');
  for (const track of tracks) {
    if (track.points.length === 0) {
      problems.push(`searcher ${name(track.searcherId)} has no positions during the drill: no trials`);
      continue;
    }
    for (const object of objects) {
      const range = lateralRangeM(object, track.points, options.maxGapMs) as number;
      const detected = found.has(`${track.searcherId}/${object.id}`);
      const counted = range <= options.maxRangeM;
      if (!counted && detected) {
        problems.push(
          `searcher ${name(track.searcherId)} found object ${name(object.id)} but never came within ${options.maxRangeM} m of it: check its position`,
        );
      }
      trials.push({
        searcherId: track.searcherId,
        objectId: object.id,
        lateralRangeM: range,
        detected,
        counted,
      });
    }
  }
  return { trials, problems };
}

/** The counted trials as the lateral range fit takes them. */
export function countedTrials(trials: readonly SearcherTrial[]): DetectionTrial[] {
  return trials
    .filter((t) => t.counted)
    .map((t) => ({ lateralRangeM: t.lateralRangeM, detected: t.detected }));
}

/** W fitted from the counted trials (domain/sweep-width.ts), or null when there are none. */
export function fitDetectionTrials(trials: readonly SearcherTrial[], binM: number): LateralRangeFit | null {
  const counted = countedTrials(trials);
  return counted.length === 0 ? null : sweepWidthFromLateralRange(counted, binM);
}
