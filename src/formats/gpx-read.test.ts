import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../server/paths.ts';
import {
  joinTracks,
  MAX_TRACK_FILE_BYTES,
  type ParsedTrack,
  parseTrackFile,
  readTrackFile,
  TrackFileError,
} from './gpx-read.ts';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'gpx');
const fixture = (name: string) => join(FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), 'howl-gpx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(file: string): Promise<TrackFileError> {
  try {
    await readTrackFile(fixture(file));
  } catch (e) {
    if (e instanceof TrackFileError) return e;
    throw e;
  }
  throw new Error(`${file} was read without error`);
}

const iso = (track: ParsedTrack | undefined, i: number) =>
  new Date(track?.points.at(i)?.timeMs ?? 0).toISOString();

describe('reading GPX and KML files as real apps write them', () => {
  it('reads an Apple Health export (GPX 1.1, extensions, lon before lat)', async () => {
    const [track, ...rest] = await readTrackFile(fixture('apple-health-export.gpx'));
    expect(rest).toEqual([]);
    expect(track?.name).toBe('Route 2024-10-12 2:05pm');
    expect(track?.points).toHaveLength(12);
    expect(track?.points[0]).toEqual({
      lat: 32.065,
      lon: -81.0972,
      timeMs: Date.parse('2024-10-12T14:05:03Z'),
    });
    expect(iso(track, -1)).toBe('2024-10-12T14:05:14.000Z');
  });

  it('joins the segments of a Strava track (a pause) and unescapes its name', async () => {
    const [track] = await readTrackFile(fixture('strava-gpxtpx.gpx'));
    expect(track?.name).toBe('Evening trail & search');
    expect(track?.points).toHaveLength(10);
    expect(iso(track, 5)).toBe('2025-01-19T21:24:25.000Z');
    expect(iso(track, 6)).toBe('2025-01-19T21:25:26.000Z');
  });

  it('reads GPX 1.0 from OpenStreetMap, keeping repeated points with equal times', async () => {
    const [track] = await readTrackFile(fixture('osm-trace-gpx10.gpx'));
    expect(track?.points).toHaveLength(10);
    expect(track?.points[0]).toEqual(track?.points[2]);
  });

  it('reads both tracks of a MapSource file in its declared ISO-8859-1 encoding', async () => {
    const tracks = await readTrackFile(fixture('mapsource-two-tracks.gpx'));
    expect(tracks.map((t) => [t.name, t.points.length])).toEqual([
      ['Tag 1 Südhang', 5],
      ['Tag 2', 5],
    ]);
    expect(joinTracks(tracks)).toHaveLength(10);
  });

  it('reads a Google My Tracks gx:MultiTrack, ignoring the start and end markers', async () => {
    const [track, ...rest] = await readTrackFile(fixture('google-my-tracks.kml'));
    expect(rest).toEqual([]);
    expect(track?.points).toHaveLength(8);
    expect(iso(track, 0)).toBe('2013-08-08T15:24:47.000Z');
    expect(iso(track, -1)).toBe('2013-08-08T15:24:54.000Z');
  });

  it('reads a Google Earth gx:Track', async () => {
    const [track] = await readTrackFile(fixture('google-earth-gx-track.kml'));
    expect(track?.points).toHaveLength(7);
    expect(track?.points[0]).toMatchObject({ lat: 37.371915, lon: -122.207881 });
  });

  it('parses text and bytes alike, and times without a zone as UTC', () => {
    const text = `<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
      <trkpt lat="1" lon="2"><time>2025-06-01T09:00:00</time></trkpt>
      <trkpt lat="1.0001" lon="2"><time>2025-06-01T11:00:01+02:00</time></trkpt>
    </trkseg></trk></gpx>`;
    const fromText = parseTrackFile(text);
    expect(fromText[0]?.points.map((p) => p.timeMs)).toEqual([
      Date.parse('2025-06-01T09:00:00Z'),
      Date.parse('2025-06-01T09:00:01Z'),
    ]);
    expect(parseTrackFile(new TextEncoder().encode(text))).toEqual(fromText);
  });
});

describe('refusing files that cannot be scored, with a clear error', () => {
  it('a file without a track, naming a route for what it is', async () => {
    const e = await failure('route-only.gpx');
    expect(e).toMatchObject({ code: 'no_track', status: 400 });
    expect(e.message).toBe(
      'route-only.gpx: has a route but no track (<trk>): a route is a plan without times, not a recorded trail',
    );
    expect(() => parseTrackFile('<gpx version="1.1"></gpx>')).toThrow('has no track (<trk>)');
  });

  it('a track with one point', async () => {
    expect((await failure('one-point.gpx')).message).toBe(
      'one-point.gpx: track 1 ("K9 Rex") has 1 point: a trail needs at least 2',
    );
  });

  it('timestamps out of order, naming the points', async () => {
    const e = await failure('out-of-order.gpx');
    expect(e.code).toBe('time_out_of_order');
    expect(e.message).toBe(
      'out-of-order.gpx: track 1 ("Runner"): point 3 (2025-06-01T09:00:03.000Z) is earlier than point 2 ' +
        '(2025-06-01T09:00:05.000Z): timestamps out of order',
    );
  });

  it('a point without a time, naming its line', async () => {
    const e = await failure('missing-time.gpx');
    expect(e).toMatchObject({ code: 'missing_time' });
    expect(e.message).toBe(
      'missing-time.gpx: track 1 ("Tracker"), point 2 (line 7) has no <time>: scoring needs the time of every point',
    );
  });

  it('a time that is not a date and time, and a point without coordinates', () => {
    const gpx = (pt: string) =>
      `<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2025-06-01T09:00:00Z</time></trkpt>${pt}</trkseg></trk></gpx>`;
    expect(() => parseTrackFile(gpx('<trkpt lat="1" lon="2"><time>yesterday</time></trkpt>'))).toThrow(
      'track 1, point 2 (line 1): <time>yesterday</time> is not a date and time',
    );
    expect(() =>
      parseTrackFile(gpx('<trkpt lat="" lon="2"><time>2025-06-01T09:00:01Z</time></trkpt>')),
    ).toThrow(/point 2 \(line 1\): lat="" lon="2" is not a position/);
    expect(() =>
      parseTrackFile(gpx('<trkpt lat="91" lon="2"><time>2025-06-01T09:00:01Z</time></trkpt>')),
    ).toThrow(TrackFileError);
  });

  it('a KML line without times', async () => {
    const e = await failure('linestring.kml');
    expect(e).toMatchObject({ code: 'missing_time' });
    expect(e.message).toMatch(
      /^linestring\.kml: track 1 \("unextruded"\) has no times: export the recorded track/,
    );
  });

  it('malformed XML, with the parser’s reason and line', async () => {
    const e = await failure('malformed.gpx');
    expect(e).toMatchObject({ code: 'malformed_xml' });
    expect(e.message).toBe(
      'malformed.gpx: not well-formed XML: Opening and ending tag mismatch: "time" != "trkpt" (line 7)',
    );
    for (const text of [
      '',
      'not xml',
      '<gpx><trk></gpx>',
      '<gpx><a x=1/></gpx>',
      '<gpx/><gpx/>',
      '<gpx>&nbsp;</gpx>',
    ]) {
      expect(() => parseTrackFile(text), text).toThrow(/not well-formed XML/);
    }
  });

  it('a DOCTYPE: no entity is expanded and no external file fetched', async () => {
    for (const file of ['doctype-xxe.gpx', 'doctype-only.gpx']) {
      const e = await failure(file);
      expect(e).toMatchObject({ code: 'doctype_forbidden' });
      expect(e.message).not.toMatch(/root:/);
    }
  });

  it('XML that is neither GPX nor KML', async () => {
    expect((await failure('not-a-track.xml')).message).toBe(
      'not-a-track.xml: not a GPX or KML file (its root element is <svg>)',
    );
  });

  it('a file over 50 MB, before reading it', async () => {
    const big = join(tmp, 'huge.gpx');
    writeFileSync(big, '');
    truncateSync(big, MAX_TRACK_FILE_BYTES + 1); // sparse: nothing of it is ever read
    const e = await readTrackFile(big).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TrackFileError);
    expect(e).toMatchObject({
      code: 'too_large',
      status: 413,
      message: 'huge.gpx is too large (50.0 MB): the limit is 50.0 MB',
    });
  });

  it('text or bytes over the limit, before parsing them', () => {
    const text = readFileSync(fixture('apple-health-export.gpx'), 'utf8');
    expect(() => parseTrackFile(text, { maxBytes: 100, source: 'upload.gpx' })).toThrow(
      `upload.gpx is too large (${Buffer.byteLength(text)} bytes): the limit is 100 bytes`,
    );
    expect(() => parseTrackFile(new Uint8Array(101), { maxBytes: 100 })).toThrow(TrackFileError);
  });

  it('a missing file', async () => {
    await expect(readTrackFile(join(tmp, 'nope.gpx'))).rejects.toThrow(/nope\.gpx: no such file/);
  });

  it('tracks of one file that overlap in time, when joined as one trail', async () => {
    const tracks = await readTrackFile(fixture('mapsource-two-tracks.gpx'));
    expect(() => joinTracks([...tracks].reverse(), 'two.gpx')).toThrow(
      /^two\.gpx: its 2 tracks overlap in time .*keep one person’s trail per file$/,
    );
  });
});
