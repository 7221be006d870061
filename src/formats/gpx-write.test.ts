import { describe, expect, it } from 'vitest';
import { abandonedHalfway, offsetLine, track } from '../../test/support/drill-tracks.ts';
import { scoreDrill, type TrackPoint } from '../domain/drill-score.ts';
import { parseTrackFile } from './gpx-read.ts';
import { escapeXml, writeGpx } from './gpx-write.ts';

const ORIGIN = { lat: 65.01, lon: 25.47 };

/** Writes the tracks to GPX and reads them back. */
const roundTrip = (...tracks: TrackPoint[][]) =>
  parseTrackFile(writeGpx(tracks.map((points, k) => ({ name: `track ${k}`, points })))).map((t) => t.points);

describe('writeGpx', () => {
  it('writes GPX 1.1 that reads back to the same points', () => {
    const { runner, tracker } = offsetLine(ORIGIN, 10);
    const [r, t] = roundTrip(runner, tracker);
    expect(r).toHaveLength(runner.length);
    r?.forEach((p, i) => {
      const q = runner[i] as TrackPoint;
      expect(p.timeMs).toBe(q.timeMs);
      expect(Math.abs(p.lat - q.lat)).toBeLessThanOrEqual(5e-10);
      expect(Math.abs(p.lon - q.lon)).toBeLessThanOrEqual(5e-10);
    });
    expect(t).toHaveLength(tracker.length);
  });

  it('gives the same scores after export and import', () => {
    const drills = [
      offsetLine(ORIGIN, 10),
      abandonedHalfway(ORIGIN),
      offsetLine({ lat: -0.0001, lon: -179.9999 }, 5),
    ];
    for (const { runner, tracker } of drills) {
      const before = scoreDrill(runner, tracker);
      const [r, t] = roundTrip(runner, tracker);
      const after = scoreDrill(r ?? [], t ?? []);
      // Nine decimals of a degree are 0.1 mm: over a thousand points, lengths may differ by millimetres.
      for (const key of ['trailLengthM', 'trackerDistanceM'] as const) {
        expect(Math.abs(after[key] - before[key]), key).toBeLessThan(0.01);
      }
      for (const key of ['deviationMeanM', 'deviationP95M', 'deviationMaxM'] as const) {
        expect(Math.abs(after[key] - before[key]), key).toBeLessThan(1e-3);
      }
      expect(after.shareFollowed).toBeCloseTo(before.shareFollowed, 6);
      expect(after.shareFollowedSmooth).toBeCloseTo(before.shareFollowedSmooth, 6);
      expect(after.timeToFindS === null).toBe(before.timeToFindS === null);
      expect(after.timeToFindS ?? 0).toBeCloseTo(before.timeToFindS ?? 0, 1);
      expect(after.movingS).toBeCloseTo(before.movingS, 1);
      expect(after.lostSegments.length).toBe(before.lostSegments.length);
    }
  });

  it('keeps milliseconds, and writes plain decimals even for tiny coordinates', () => {
    const points = track({ lat: 0, lon: 0 }, [
      [0, 0, 0],
      [0.001, 0.001, 0.25],
    ]);
    const gpx = writeGpx([{ points }]);
    expect(gpx).toContain('<trkpt lat="0" lon="0"><time>2025-06-01T09:00:00Z</time></trkpt>');
    expect(gpx).toMatch(
      /<trkpt lat="0\.000000009" lon="0\.000000009"><time>2025-06-01T09:00:00\.250Z<\/time>/,
    );
    expect(gpx).not.toMatch(/e-/);
  });

  it('escapes names, so that any name reads back as written', () => {
    const name = `Rex & "Bella" <K9> 'team' \u0007`;
    const gpx = writeGpx([{ name, points: offsetLine(ORIGIN, 0).runner }], {
      name: 'Drill <1>',
      creator: 'a"b',
    });
    expect(gpx).toContain('<name>Rex &amp; &quot;Bella&quot; &lt;K9&gt; &apos;team&apos; </name>');
    expect(gpx).toContain('creator="a&quot;b"');
    expect(parseTrackFile(gpx)[0]?.name).toBe(`Rex & "Bella" <K9> 'team' `);
    expect(escapeXml('a\u0000b\u001fc\td\ne')).toBe('abc\td\ne');
  });
});
