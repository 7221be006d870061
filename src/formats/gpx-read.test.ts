import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrackPoint } from '../domain/drill-score.ts';
import { PACKAGE_ROOT } from '../server/paths.ts';
import {
  INLINE_BYTES,
  joinTracks,
  MAX_TRACK_FILE_BYTES,
  type ParsedTrack,
  parseTrackFile,
  parseTrackFileAsync,
  readTrackFile,
  TRACK_PARSE_CHANNEL,
  TrackFileError,
  type TrackParseEvent,
} from './gpx-read.ts';
import { writeGpx } from './gpx-write.ts';
import { TrackParseThread } from './track-parse-thread.ts';

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

  it('elements nested deeper than any track file nests them, before keeping them all', () => {
    const deep = `<gpx>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</gpx>`;
    expect(() => parseTrackFile(deep)).toThrow(
      'not a track file: elements nested more than 1000 deep (line 1)',
    );
  });

  it('a track named at length, its name cut short in the message', () => {
    const name = 'K9 '.repeat(1000);
    const e = (() => {
      try {
        parseTrackFile(`<gpx><trk><name>${name}</name><trkseg/></trk></gpx>`);
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e?.message).toBe(`track 1 ("${name.slice(0, 100)}…") has 0 points: a trail needs at least 2`);
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

/** A walk of `n` points, one a second. */
const walk = (n: number, t0 = Date.UTC(2025, 5, 1, 9)): TrackPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    lat: 46.95 + i * 1e-5,
    lon: 7.45 + Math.sin(i / 50) * 1e-3,
    timeMs: t0 + i * 1000,
  }));

/** A GPX file of `n` points (about 90 bytes each), and the same walk as a KML gx:Track. */
const bigGpx = (n: number) => writeGpx([{ name: 'Long walk', points: walk(n) }]);
const bigKml = (n: number) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark><name>Rex</name><gx:Track>',
    ...walk(n).flatMap((p) => [
      `<when>${new Date(p.timeMs).toISOString()}</when>`,
      `<gx:coord>${p.lon} ${p.lat} 540</gx:coord>`,
    ]),
    '</gx:Track></Placemark></kml>',
  ].join('\n');

/** What the reader announced on its channel while `run` ran. */
async function announced<T>(run: () => Promise<T>): Promise<{ result: T; phases: string[] }> {
  const phases: string[] = [];
  const listen = (m: unknown) => phases.push((m as TrackParseEvent).phase);
  subscribe(TRACK_PARSE_CHANNEL, listen);
  try {
    return { result: await run(), phases };
  } finally {
    unsubscribe(TRACK_PARSE_CHANNEL, listen);
  }
}

async function asyncFailure(data: string | Uint8Array): Promise<TrackFileError> {
  const e = await parseTrackFileAsync(data, { source: 'big.gpx' }).catch((err: unknown) => err);
  if (e instanceof TrackFileError) return e;
  throw new Error(`expected a TrackFileError, got ${String(e)}`);
}

describe('large files, parsed in a worker thread', () => {
  it('reads a GPX or KML file larger than INLINE_BYTES in the worker, as the calling thread reads it', async () => {
    for (const text of [bigGpx(20_000), bigKml(20_000)]) {
      const bytes = Buffer.from(text);
      expect(bytes.byteLength).toBeGreaterThan(INLINE_BYTES);
      const { result, phases } = await announced(() => parseTrackFileAsync(bytes, { source: 'big' }));
      expect(phases).toEqual(['start', 'end']);
      expect(result).toEqual(parseTrackFile(bytes));
      expect(result[0]?.points).toHaveLength(20_000);
      expect(result[0]?.points[19_999]?.timeMs).toBe(walk(20_000)[19_999]?.timeMs);
      expect(result[0]?.points[19_999]?.lat).toBeCloseTo(47.14999, 9);
      expect(bytes.byteLength, 'the caller keeps its bytes').toBe(Buffer.byteLength(text));
    }
  });

  it('hands back many tracks, each with its own points and name', async () => {
    const tracks = Array.from({ length: 2_000 }, (_, k) => ({
      name: k % 3 ? `leg ${k}` : undefined,
      points: walk(3 + (k % 5), Date.UTC(2025, 5, 1) + k * 60_000),
    }));
    const text = writeGpx(tracks);
    expect(Buffer.byteLength(text)).toBeGreaterThan(INLINE_BYTES);
    const read = await parseTrackFileAsync(text);
    expect(read).toEqual(parseTrackFile(text));
    expect(read.map((t) => [t.name, t.points.length])).toEqual(
      tracks.map((t) => [t.name ?? null, t.points.length]),
    );
  });

  it('parses a small file on the calling thread', async () => {
    const { result, phases } = await announced(() => readTrackFile(fixture('strava-gpxtpx.gpx')));
    expect(phases).toEqual([]);
    expect(result[0]?.points).toHaveLength(10);
  });

  it('answers the errors found in the worker as TrackFileErrors, as on the calling thread', async () => {
    const text = bigGpx(20_000);
    const cases: Array<[string, string]> = [
      [
        text.replace('<time>2025-06-01T09:00:07Z</time>', '<time>2025-06-01T08:00:00Z</time>'),
        'time_out_of_order',
      ],
      [
        text.replace('<?xml version="1.0" encoding="UTF-8"?>', '$&<!DOCTYPE gpx [<!ENTITY x "y">]>'),
        'doctype_forbidden',
      ],
      [text.slice(0, -100), 'malformed_xml'],
      [text.replace('lat="46.9501"', 'lat="146.9501"'), 'invalid_point'],
      [text.replaceAll('trk>', 'rte>'), 'no_track'],
    ];
    for (const [data, code] of cases) {
      const e = await asyncFailure(data);
      expect(e).toMatchObject({ code, status: 400 });
      expect(() => parseTrackFile(data, { source: 'big.gpx' })).toThrow(e.message);
      expect(e.message).toMatch(/^big\.gpx: /);
    }
  });

  it('takes the caller’s buffer without a copy only when told to', async () => {
    const bytes = new Uint8Array(Buffer.from(bigGpx(20_000)));
    await parseTrackFileAsync(bytes, { transfer: true });
    expect(bytes.byteLength, 'moved to the worker').toBe(0);
  });

  it('reads a large file from disk, and several at once in turn', async () => {
    const files = [5_000, 20_000, 30_000].map((n) => {
      const path = join(tmp, `walk-${n}.gpx`);
      writeFileSync(path, bigGpx(n));
      return path;
    });
    const tracks = await Promise.all(files.map((f) => readTrackFile(f)));
    expect(tracks.map((t) => t[0]?.points.length)).toEqual([5_000, 20_000, 30_000]);
  });

  it('refuses a file that needs more memory than the worker may take, and goes on with the next', async () => {
    const thread = new TrackParseThread({ heapMb: 48 });
    // 200,000 tracks of two points each: memory that grows a little at a time, track after track.
    const pt = '<trkpt lat="1" lon="2"><time>2025-06-01T09:00:00Z</time></trkpt>';
    const huge = Buffer.from(
      `<gpx>${`<trk><name>K9</name><trkseg>${pt}${pt}</trkseg></trk>`.repeat(200_000)}</gpx>`,
    );
    const e = await thread.parse(huge, 'huge.gpx').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TrackFileError);
    expect(e).toMatchObject({
      status: 413,
      message: 'huge.gpx is too large to read: it needs more than 48 MB',
    });
    expect((await thread.parse(Buffer.from(bigGpx(1_000)), 'a.gpx')).counts).toEqual(Uint32Array.of(1_000));
    await thread.stop();
  });

  it('starts a new worker after the last one stopped', async () => {
    const thread = new TrackParseThread();
    const bytes = Buffer.from(bigGpx(1_000));
    expect((await thread.parse(bytes, 'a.gpx')).counts).toEqual(Uint32Array.of(1_000));
    await thread.stop();
    expect((await thread.parse(bytes, 'a.gpx')).timeMs.length).toBe(1_000);
    await thread.stop();
  });
});
