import { basename } from 'node:path';
import {
  DEFAULT_FIND_RADIUS_M,
  DEFAULT_TOLERANCE_M,
  type DrillScore,
  DrillScoreError,
  scoreDrill,
} from '../domain/drill-score.ts';
import { formatDuration as duration } from '../domain/duration.ts';
import { formatDistance } from '../domain/geo.ts';
import { joinTracks, readTrackFile } from '../formats/gpx-read.ts';

export interface ScoreCommandOptions {
  /** As commander hands them over: text. */
  readonly tolerance?: string;
  readonly findRadius?: string;
  readonly json?: boolean;
}

/** `howl score RUNNER TRACKER`: scores a drill from two GPX/KML files and prints a table (or JSON). */
export async function scoreCommand(
  runnerFile: string,
  trackerFile: string,
  options: ScoreCommandOptions,
  print: (text: string) => void = console.log,
): Promise<void> {
  const toleranceM = metres(options.tolerance, '--tolerance', DEFAULT_TOLERANCE_M);
  const findRadiusM = metres(options.findRadius, '--find-radius', DEFAULT_FIND_RADIUS_M);
  const runner = joinTracks(await readTrackFile(runnerFile), basename(runnerFile));
  const tracker = joinTracks(await readTrackFile(trackerFile), basename(trackerFile));
  let score: DrillScore;
  try {
    score = scoreDrill(runner, tracker, { toleranceM, findRadiusM });
  } catch (e) {
    if (e instanceof DrillScoreError && e.track) {
      const file = basename(e.track === 'runner' ? runnerFile : trackerFile);
      throw new Error(`${file}: ${e.message}`);
    }
    throw e;
  }
  if (options.json) {
    print(JSON.stringify({ runner: runnerFile, tracker: trackerFile, findRadiusM, ...score }, null, 2));
  } else {
    print(scoreTable(score, basename(runnerFile), basename(trackerFile), findRadiusM));
  }
}

function metres(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`${flag}: expected a positive number of metres, got "${text}"`);
  }
  return n;
}

/** The scores as an aligned two-column table. */
export function scoreTable(s: DrillScore, runner: string, tracker: string, findRadiusM: number): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const m = (v: number) => `${v.toFixed(1)} m`;
  const find =
    s.timeToFindS === null
      ? `not found (the tracker never came within ${findRadiusM} m of the runner's last position)`
      : `${duration(s.timeToFindS)} (${s.findSource === 'given' ? 'recorded' : `within ${findRadiusM} m`} at ${clock(s.findTimeMs ?? 0)})`;
  const rows: [string, string][] = [
    ['time to find', find],
    ['trail length', formatDistance(s.trailLengthM)],
    [
      'tracker distance',
      `${formatDistance(s.trackerDistanceM)}${s.distanceRatio === null ? '' : ` (${s.distanceRatio.toFixed(2)} × the trail)`}`,
    ],
    ['trail followed', `${pct(s.shareFollowed)} within ${s.toleranceM} m`],
    ['followed (smooth)', pct(s.shareFollowedSmooth)],
    ['deviation', `mean ${m(s.deviationMeanM)}, 95 % ${m(s.deviationP95M)}, max ${m(s.deviationMaxM)}`],
    ['moving / stopped', `${duration(s.movingS)} / ${duration(s.stoppedS)}`],
    [
      'lost the trail',
      s.lostSegments.length === 0 ? 'never (for more than 30 s)' : `${s.lostSegments.length} ×`,
    ],
    ...s.lostSegments.map((l): [string, string] => [
      '',
      `${clock(l.startMs)}–${clock(l.endMs)} (${duration((l.endMs - l.startMs) / 1000)}), up to ${m(l.maxDeviationM)}` +
        (l.regained ? '' : ', not regained'),
    ]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    `Drill score: ${runner} (runner) vs ${tracker} (tracker)`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ].join('\n');
}

/** The time of day in UTC, to the second. */
const clock = (ms: number) => `${new Date(Math.round(ms)).toISOString().slice(11, 19)} UTC`;
