import {
  Column,
  finishTrack,
  isPosition,
  Notes,
  parseTime,
  type TrackColumns,
  trackLabel,
} from './track-columns.ts';
import { type Fail, TrackFileError } from './track-file-error.ts';
import { type ElementHandler, isNamed, type StartTag, TextCaptures } from './xml-elements.ts';

// What a captured element's text is: a track's name as its label says it (`<name>` child), its name as the
// track's (the first `<name>` inside it), a point's `<time>` child, the point's time (its first `<time>`).
const LABEL_NAME = 1;
const TRACK_NAME = 2;
const CHILD_TIME = 4;
const POINT_TIME = 8;

interface PointProblem {
  readonly code: 'invalid_point' | 'missing_time' | 'invalid_time';
  readonly index: number;
  readonly line: number;
  readonly lat?: string;
  readonly lon?: string;
  readonly time?: string;
}

/**
 * The tracks (`trk`) of a GPX 1.0 or 1.1 document, read as it streams by. Every point of every track is checked
 * first (coordinates, a `<time>`; at least two points), so that an error names the track, the point and its
 * line; then each track's segments with two points or more are joined, their times checked in order.
 * Routes (`rte`) are plans without times: a file with only routes is refused, and routes beside tracks ignored.
 */
export class GpxReader implements ElementHandler {
  private readonly captures = new TextCaptures();
  private readonly captured = (code: number, text: string) => this.take(code, text);
  private readonly tracks: TrackColumns[] = [];
  private trks = 0;
  private routes = 0;
  private features = 0;
  private checkError: TrackFileError | undefined;
  private convertError: TrackFileError | undefined;

  // The track being read.
  private trkDepth = 0;
  private trkIndex = 0;
  private labelName: string | undefined;
  private trackName: string | undefined;
  private trkpts = 0;
  private problem: PointProblem | undefined;
  private lines = 0;
  private timeLines = 0;
  private points = 0;
  private readonly lat = new Column();
  private readonly lon = new Column();
  private readonly timeMs = new Column();
  private readonly badTimes = new Notes();
  private readonly badPositions = new Notes();
  // Its segment being read.
  private segDepth = 0;
  private segStart = 0;
  private segTimeStart = 0;
  private segPoints = 0;
  private segTimes = 0;
  // Its point being read.
  private ptDepth = 0;
  private ptInSegment = false;
  private ptLine = 0;
  private ptLat: string | undefined;
  private ptLon: string | undefined;
  private childTime: string | undefined;
  private pointTime: string | undefined;

  constructor(private readonly fail: Fail) {}

  open(tag: StartTag, depth: number, line: number): void {
    const name = tag.name;
    if (this.trkDepth === 0) {
      if (name === 'trk') this.startTrack(depth);
      else if (name === 'rte') this.routes++;
      return;
    }
    let code = 0;
    if (this.trackName === undefined && name === 'name') code |= TRACK_NAME;
    if (depth === this.trkDepth + 1 && this.labelName === undefined && isNamed(name, 'name'))
      code |= LABEL_NAME;
    if (this.ptDepth !== 0) {
      if (depth === this.ptDepth + 1 && this.childTime === undefined && isNamed(name, 'time'))
        code |= CHILD_TIME;
      if (this.pointTime === undefined && name === 'time') code |= POINT_TIME;
    } else if (name === 'trkpt') {
      this.startPoint(tag, depth, line);
    } else if (name === 'trkseg' && this.segDepth === 0) {
      this.startSegment(depth);
    }
    if (code !== 0) {
      // Marked as seen now: the first such element is the one that counts, even when it is empty.
      if (code & TRACK_NAME) this.trackName = '';
      if (code & LABEL_NAME) this.labelName = '';
      if (code & CHILD_TIME) this.childTime = '';
      if (code & POINT_TIME) this.pointTime = '';
      this.captures.start(depth, code);
    }
  }

  text(text: string): void {
    if (this.captures.active) this.captures.add(text);
  }

  close(_name: string, depth: number): void {
    if (this.captures.active) this.captures.end(depth, this.captured);
    if (depth === this.ptDepth) this.endPoint();
    else if (depth === this.segDepth) this.endSegment();
    else if (depth === this.trkDepth) this.endTrack();
  }

  end(): TrackColumns[] {
    if (this.trks === 0) {
      throw this.fail(
        'no_track',
        this.routes > 0
          ? 'has a route but no track (<trk>): a route is a plan without times, not a recorded trail'
          : 'has no track (<trk>)',
      );
    }
    const error = this.checkError ?? this.convertError;
    if (error) throw error;
    return this.tracks;
  }

  /** Whether the tracks are still needed: not once a track has failed. */
  private get collecting(): boolean {
    return !this.checkError && !this.convertError;
  }

  private take(code: number, text: string): void {
    if (code & TRACK_NAME) this.trackName = text;
    if (code & LABEL_NAME) this.labelName = text;
    if (code & CHILD_TIME) this.childTime = text;
    if (code & POINT_TIME) this.pointTime = text;
  }

  private startTrack(depth: number): void {
    this.trkDepth = depth;
    this.trkIndex = this.trks++;
    this.labelName = undefined;
    this.trackName = undefined;
    this.trkpts = 0;
    this.problem = undefined;
    this.lines = 0;
    this.timeLines = 0;
    this.points = 0;
    for (const c of [this.lat, this.lon, this.timeMs]) c.truncate(0);
    this.badTimes.truncate(0);
  }

  private startSegment(depth: number): void {
    this.segDepth = depth;
    this.segStart = this.lat.length;
    this.segTimeStart = this.timeMs.length;
    this.segPoints = 0;
    this.segTimes = 0;
  }

  private startPoint(tag: StartTag, depth: number, line: number): void {
    this.ptDepth = depth;
    this.ptInSegment = this.segDepth !== 0;
    this.ptLine = line;
    this.ptLat = tag.attributes.lat;
    this.ptLon = tag.attributes.lon;
    this.childTime = undefined;
    this.pointTime = undefined;
    this.trkpts++;
  }

  private endPoint(): void {
    this.ptDepth = 0;
    if (this.checkError) return;
    this.problem ??= this.pointProblem();
    if (!this.collecting || !this.ptInSegment) return;
    const lat = Number.parseFloat(this.ptLat ?? '');
    const lon = Number.parseFloat(this.ptLon ?? '');
    if (Number.isNaN(lat) || Number.isNaN(lon)) return;
    this.lat.push(lat);
    this.lon.push(lon);
    this.segPoints++;
    if (this.pointTime) {
      const ms = parseTime(this.pointTime);
      if (Number.isNaN(ms)) this.badTimes.add(this.timeMs.length, this.pointTime);
      this.timeMs.push(ms);
      this.segTimes++;
    }
  }

  private pointProblem(): PointProblem | undefined {
    const index = this.trkpts - 1;
    const line = this.ptLine;
    if (!isPosition(coordinate(this.ptLat), coordinate(this.ptLon))) {
      return { code: 'invalid_point', index, line, lat: this.ptLat, lon: this.ptLon };
    }
    if (this.childTime === undefined) return { code: 'missing_time', index, line };
    if (Number.isNaN(parseTime(this.childTime))) {
      return { code: 'invalid_time', index, line, time: this.childTime };
    }
    return undefined;
  }

  /** A segment of fewer than two points is dropped. */
  private endSegment(): void {
    this.segDepth = 0;
    if (!this.collecting) return;
    if (this.segPoints >= 2) {
      this.lines++;
      this.points += this.segPoints;
      if (this.segTimes > 0) this.timeLines++;
    } else {
      this.lat.truncate(this.segStart);
      this.lon.truncate(this.segStart);
      this.timeMs.truncate(this.segTimeStart);
      this.badTimes.truncate(this.segTimeStart);
    }
  }

  private endTrack(): void {
    this.trkDepth = 0;
    this.ptDepth = 0;
    this.segDepth = 0;
    this.captures.clear();
    if (this.checkError) return;
    const label = trackLabel(this.labelName, this.trkIndex);
    const n = this.trkpts;
    if (n < 2) {
      this.checkError = this.fail(
        'too_few_points',
        `${label} has ${n} point${n === 1 ? '' : 's'}: a trail needs at least 2`,
      );
      return;
    }
    if (this.problem) {
      this.checkError = this.problemError(label, this.problem);
      return;
    }
    if (this.convertError || this.lines === 0) return;
    const track = finishTrack(
      {
        name: this.trackName || null,
        index: this.features++,
        lines: this.lines,
        timeLines: this.timeLines,
        points: this.points,
        lat: this.lat,
        lon: this.lon,
        timeMs: this.timeMs,
        badTimes: this.badTimes,
        badPositions: this.badPositions,
      },
      this.fail,
    );
    if (track instanceof TrackFileError) this.convertError = track;
    else this.tracks.push(track);
  }

  private problemError(label: string, p: PointProblem): TrackFileError {
    const where = `${label}, point ${p.index + 1} (line ${p.line})`;
    switch (p.code) {
      case 'invalid_point':
        return this.fail(
          'invalid_point',
          `${where}: lat="${p.lat ?? ''}" lon="${p.lon ?? ''}" is not a position`,
        );
      case 'missing_time':
        return this.fail('missing_time', `${where} has no <time>: scoring needs the time of every point`);
      case 'invalid_time':
        return this.fail('invalid_time', `${where}: <time>${p.time}</time> is not a date and time`);
    }
  }
}

/** A number from an attribute; NaN when absent or blank (`Number('')` is 0). */
const coordinate = (attr: string | undefined) => (attr?.trim() ? Number(attr) : Number.NaN);
