import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatDistance } from '../domain/geo.ts';
import { DEFAULT_STALE_S } from '../domain/presence.ts';
import {
  coverage,
  cumulativePod,
  lengthInsideM,
  podFromCoverage,
  segmentAreaM2,
} from '../domain/search-coverage.ts';
import { readTrackFile } from '../formats/gpx-read.ts';
import { parseSegmentsGeoJson } from '../formats/segments-geojson.ts';

export interface CoverageCommandOptions {
  /** As commander hands them over: text. */
  readonly sweepWidth: string;
  readonly priorPod?: string;
  readonly maxGap?: string;
  readonly json?: boolean;
}

export interface SegmentCoverage {
  readonly name: string;
  readonly areaM2: number;
  readonly lengthInsideM: number;
  readonly coverage: number;
  readonly pod: number;
  /** With a prior POD: 1 − (1 − prior)(1 − POD). */
  readonly cumulativePod?: number;
}

/** `howl coverage SEGMENTS TRACK…`: coverage and POD of each segment from GPX/KML tracks, without a server. */
export async function coverageCommand(
  segmentsFile: string,
  trackFiles: readonly string[],
  options: CoverageCommandOptions,
  print: (text: string) => void = console.log,
): Promise<void> {
  const sweepWidthM = positive(options.sweepWidth, '--sweep-width', 'metres');
  const maxGapS =
    options.maxGap === undefined ? DEFAULT_STALE_S : positive(options.maxGap, '--max-gap', 'seconds');
  const priorPod = options.priorPod === undefined ? undefined : probability(options.priorPod, '--prior-pod');
  let text: string;
  try {
    text = await readFile(segmentsFile, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${segmentsFile}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const segments = parseSegmentsGeoJson(text, basename(segmentsFile));
  // Each track in each file is one searcher's walk: a step between two tracks is not walked.
  const tracks = (await Promise.all(trackFiles.map((f) => readTrackFile(f)))).flat();
  const rows: SegmentCoverage[] = segments.map((s) => {
    const areaM2 = segmentAreaM2(s.polygon);
    const inside = tracks.reduce(
      (sum, t) => sum + lengthInsideM(s.polygon, t.points, { maxGapMs: maxGapS * 1000 }),
      0,
    );
    const c = coverage(sweepWidthM, inside, areaM2);
    const pod = podFromCoverage(c);
    return {
      name: s.name,
      areaM2,
      lengthInsideM: inside,
      coverage: c,
      pod,
      ...(priorPod === undefined ? {} : { cumulativePod: cumulativePod([priorPod, pod]) }),
    };
  });
  if (options.json) {
    print(JSON.stringify({ sweepWidthM, maxGapS, priorPod: priorPod ?? null, segments: rows }, null, 2));
  } else {
    print(coverageTable(rows, sweepWidthM, trackFiles.length));
  }
}

/** The segments as an aligned table. */
export function coverageTable(rows: readonly SegmentCoverage[], sweepWidthM: number, files: number): string {
  const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
  const prior = rows.some((r) => r.cumulativePod !== undefined);
  const header = [
    'segment',
    'area',
    'walked inside',
    'coverage',
    'POD',
    ...(prior ? ['cumulative POD'] : []),
  ];
  const body = rows.map((r) => [
    r.name,
    `${(r.areaM2 / 10_000).toFixed(2)} ha`,
    formatDistance(r.lengthInsideM),
    r.coverage.toFixed(2),
    pct(r.pod),
    ...(r.cumulativePod === undefined ? [] : [pct(r.cumulativePod)]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `Coverage with a sweep width of ${sweepWidthM} m from ${files} track file${files === 1 ? '' : 's'}:`,
    `  ${line(header)}`,
    ...body.map((row) => `  ${line(row)}`),
  ].join('\n');
}

function positive(text: string, flag: string, unit: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new Error(`${flag}: expected a positive number of ${unit}, got "${text}"`);
  }
  return n;
}

function probability(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(`${flag}: expected a probability from 0 to 1, got "${text}"`);
  }
  return n;
}
