import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillScore } from '../src/domain/drill-score.ts';
import { writeGpx } from '../src/formats/gpx-write.ts';
import { PACKAGE_ROOT } from '../src/server/paths.ts';
import { runHowl } from './support/cli.ts';
import { abandonedHalfway, offsetLine } from './support/drill-tracks.ts';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'gpx');
const ORIGIN = { lat: 47.37, lon: 8.54 };

/** `howl score` needs no server nor database. */
const howl = (args: string[]) => runHowl(args);

const dir = mkdtempSync(join(tmpdir(), 'howl-score-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const line = offsetLine(ORIGIN, 10);
  writeFileSync(file('runner.gpx'), writeGpx([{ name: 'Runner', points: line.runner }]));
  writeFileSync(file('beside.gpx'), writeGpx([{ name: 'Tracker 10 m beside', points: line.tracker }]));
  writeFileSync(
    file('abandons.gpx'),
    writeGpx([{ name: 'K9 who gave up', points: abandonedHalfway(ORIGIN).tracker }]),
  );
  writeFileSync(file('broken.gpx'), '<gpx><trk><trkseg><trkpt lat="1" lon="2"></trkseg></trk></gpx>');
});

describe('howl score', () => {
  it('scores a tracker 10 m beside the trail as 100 % followed, 10 m off, as JSON', async () => {
    const run = await howl(['score', file('runner.gpx'), file('beside.gpx'), '--json', '--find-radius', '5']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const score = JSON.parse(run.stdout) as DrillScore;
    expect(score.shareFollowed).toBe(1);
    expect(score.deviationMeanM).toBeGreaterThan(9.5);
    expect(score.deviationMeanM).toBeLessThan(10.5);
    expect(score.trailLengthM).toBeCloseTo(1000, 0);
    expect(score.timeToFindS).toBeNull();
    expect(score.lostSegments).toEqual([]);
  });

  it('scores a tracker who abandons halfway at about 50 %, lost from there', async () => {
    const run = await howl(['score', file('runner.gpx'), file('abandons.gpx'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const score = JSON.parse(run.stdout) as DrillScore;
    expect(score.shareFollowed).toBeCloseTo(0.52, 3);
    expect(score.toleranceM).toBe(20);
    expect(score.lostSegments).toHaveLength(1);
    expect(score.lostSegments[0]?.regained).toBe(false);
  });

  it('takes the tolerance given', async () => {
    const run = await howl([
      'score',
      file('runner.gpx'),
      file('abandons.gpx'),
      '--json',
      '--tolerance',
      '50',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ toleranceM: 50, shareFollowed: expect.closeTo(0.55, 3) });
  });

  it('prints a readable table by default', async () => {
    const run = await howl(['score', file('runner.gpx'), file('abandons.gpx')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Drill score: runner.gpx (runner) vs abandons.gpx (tracker)');
    expect(run.stdout).toMatch(/trail followed\s+52\.0 % within 20 m/);
    expect(run.stdout).toMatch(/deviation\s+mean 125\.0 m, 95 % 450\.0 m, max 500\.0 m/);
    expect(run.stdout).toMatch(/lost the trail\s+1 ×/);
    expect(run.stdout).toMatch(/not found/);
  });

  it('reads the apps’ own files: a Google Earth KML against itself', async () => {
    const run = await howl([
      'score',
      join(FIXTURES, 'google-earth-gx-track.kml'),
      join(FIXTURES, 'google-earth-gx-track.kml'),
      '--json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ shareFollowed: 1, deviationMaxM: expect.closeTo(0, 6) });
  });

  it('fails with the file and the problem for a malformed file', async () => {
    const run = await howl(['score', file('runner.gpx'), file('broken.gpx')]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^howl: broken\.gpx: not well-formed XML: /);
  });

  it('fails with the file and the problem for a track of one point, and one out of order', async () => {
    const one = await howl(['score', join(FIXTURES, 'one-point.gpx'), file('beside.gpx')]);
    expect(one.code).not.toBe(0);
    expect(one.stderr.trim()).toBe(
      'howl: one-point.gpx: track 1 ("K9 Rex") has 1 point: a trail needs at least 2',
    );
    const disordered = await howl(['score', file('runner.gpx'), join(FIXTURES, 'out-of-order.gpx')]);
    expect(disordered.code).not.toBe(0);
    expect(disordered.stderr).toMatch(/^howl: out-of-order\.gpx: .*timestamps out of order/);
  });

  it('fails for a missing file and a tolerance that is not a number', async () => {
    const missing = await howl(['score', file('nope.gpx'), file('beside.gpx')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^howl: .*nope\.gpx: no such file/);
    const bad = await howl(['score', file('runner.gpx'), file('beside.gpx'), '--tolerance', 'far']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('howl: --tolerance: expected a positive number of metres, got "far"');
  });
});
