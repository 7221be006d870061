import { Column, finishTrack, isPosition, Notes, parseTime, type TrackColumns } from './track-columns.ts';
import { type Fail, TrackFileError } from './track-file-error.ts';
import { type ElementHandler, isPrefixed, type StartTag, TextCaptures } from './xml-elements.ts';

// What a captured element's text is: the placemark's name, a gx:Track's coordinate or time, a geometry's
// `<coordinates>`.
const NAME = 1;
const COORD = 2;
const WHEN = 4;
const COORDINATES = 8;

type Geometry = 'track' | 'line' | 'point' | 'polygon';

/**
 * The tracks of a KML document, read as it streams by: the placemarks holding a line (a `gx:Track`, a
 * `gx:MultiTrack`, or a `LineString`, which is refused for having no times). A placemark's geometries are its
 * children and those of the `MultiGeometry`/`gx:MultiTrack` among them; a `gx:Track` pairs its `<when>`s with
 * its `<gx:coord>`s in order, wherever they stand inside it.
 */
export class KmlReader implements ElementHandler {
  private readonly captures = new TextCaptures();
  private readonly captured = (code: number, text: string) => this.take(code, text);
  private readonly tracks: TrackColumns[] = [];
  private features = 0;
  private error: TrackFileError | undefined;

  // The placemark being read: its depth, and the depths of the elements whose children are its geometries.
  private pmDepth = 0;
  private readonly containers: number[] = [];
  private name: string | undefined;
  private geometries = 0;
  private single: Geometry = 'point';
  private lines = 0;
  private timeLines = 0;
  private points = 0;
  private readonly lat = new Column();
  private readonly lon = new Column();
  private readonly timeMs = new Column();
  private readonly badTimes = new Notes();
  private readonly badPositions = new Notes();
  // The geometry being read.
  private geomDepth = 0;
  private geom: Geometry = 'point';
  private coordinatesSeen = false;
  private lineCoords = 0;
  private pointValid = false;
  private ringDepth = 0;
  private polygonValid = false;
  private plainCoords = false;
  private trackStart = 0;
  private trackTimeStart = 0;
  private trackCoords = 0;
  private trackWhens = 0;

  constructor(private readonly fail: Fail) {}

  open(tag: StartTag, depth: number): void {
    const name = tag.name;
    if (this.pmDepth === 0) {
      if (name === 'Placemark') this.startPlacemark(depth);
      return;
    }
    if (this.error) return;
    let code = 0;
    if (this.name === undefined && name === 'name') {
      this.name = '';
      code |= NAME;
    }
    if (this.geomDepth !== 0) code |= this.inGeometry(name, depth);
    else if (this.containers.at(-1) === depth - 1) this.startGeometry(name, depth);
    if (code !== 0) this.captures.start(depth, code);
  }

  text(text: string): void {
    if (this.captures.active) this.captures.add(text);
  }

  close(_name: string, depth: number): void {
    if (this.captures.active) this.captures.end(depth, this.captured);
    if (depth === this.pmDepth) this.endPlacemark();
    else if (depth === this.geomDepth) this.endGeometry();
    else if (depth === this.ringDepth) this.ringDepth = 0;
    else if (this.containers.at(-1) === depth) this.containers.pop();
  }

  end(): TrackColumns[] {
    if (this.error) throw this.error;
    if (this.features === 0)
      throw this.fail('no_track', 'has no track (a <gx:Track> or a <LineString> placemark)');
    return this.tracks;
  }

  private take(code: number, text: string): void {
    if (code & NAME) this.name = text;
    if (code & COORD) this.addCoord(text);
    if (code & WHEN) this.addWhen(text);
    if (code & COORDINATES) this.coordinates(text);
  }

  private startPlacemark(depth: number): void {
    this.pmDepth = depth;
    this.containers.length = 0;
    this.containers.push(depth);
    this.name = undefined;
    this.geometries = 0;
    this.lines = 0;
    this.timeLines = 0;
    this.points = 0;
    for (const c of [this.lat, this.lon, this.timeMs]) c.truncate(0);
    this.badTimes.truncate(0);
    this.badPositions.truncate(0);
  }

  private startGeometry(name: string, depth: number): void {
    switch (name) {
      case 'MultiGeometry':
      case 'MultiTrack':
      case 'gx:MultiTrack':
        this.containers.push(depth);
        return;
      case 'Point':
        this.geom = 'point';
        this.pointValid = false;
        break;
      case 'LinearRing':
      case 'LineString':
        this.geom = 'line';
        this.lineCoords = 0;
        break;
      case 'Polygon':
        this.geom = 'polygon';
        this.ringDepth = 0;
        this.polygonValid = false;
        break;
      case 'Track':
      case 'gx:Track':
        this.geom = 'track';
        this.plainCoords = false;
        this.trackStart = this.lat.length;
        this.trackTimeStart = this.timeMs.length;
        this.trackCoords = 0;
        this.trackWhens = 0;
        break;
      default:
        return;
    }
    this.geomDepth = depth;
    this.coordinatesSeen = false;
  }

  /** The capture an element inside the geometry needs, if any. */
  private inGeometry(name: string, depth: number): number {
    switch (this.geom) {
      case 'track':
        if (name === 'when') return WHEN;
        if (name === 'coord') {
          // Plain `coord`s, when a track has any, are its coordinates, rather than the prefixed ones.
          if (!this.plainCoords) this.restartTrackCoords();
          return COORD;
        }
        return !this.plainCoords && isPrefixed(name, 'coord') ? COORD : 0;
      case 'polygon':
        if (this.ringDepth === 0) {
          if (name === 'LinearRing') {
            this.ringDepth = depth;
            this.coordinatesSeen = false;
          }
          return 0;
        }
        break;
      default:
        break;
    }
    if (this.coordinatesSeen || name !== 'coordinates') return 0;
    this.coordinatesSeen = true;
    return COORDINATES;
  }

  private restartTrackCoords(): void {
    this.plainCoords = true;
    this.lat.truncate(this.trackStart);
    this.lon.truncate(this.trackStart);
    this.badPositions.truncate(this.trackStart);
    this.trackCoords = 0;
  }

  /** A `gx:coord`: longitude, latitude and altitude, separated by one space each. */
  private addCoord(text: string): void {
    if (this.geomDepth === 0) return;
    const parts = text.split(' ');
    const lon = Number.parseFloat(parts[0] as string);
    const lat = parts.length > 1 ? Number.parseFloat(parts[1] as string) : undefined;
    if (!isPosition(lat ?? Number.NaN, lon)) this.badPositions.add(this.lat.length, `${lat}, ${lon}`);
    this.lat.push(lat ?? Number.NaN);
    this.lon.push(lon);
    this.trackCoords++;
  }

  private addWhen(text: string): void {
    if (this.geomDepth === 0) return;
    const ms = parseTime(text);
    if (Number.isNaN(ms)) this.badTimes.add(this.timeMs.length, text);
    this.timeMs.push(ms);
    this.trackWhens++;
  }

  private coordinates(text: string): void {
    if (this.geom === 'line') this.lineCoords = coordinateTuples(text).count;
    else if (this.geom === 'point') this.pointValid = isPoint(text);
    else if (this.geom === 'polygon' && isRing(coordinateTuples(text))) this.polygonValid = true;
  }

  private endGeometry(): void {
    this.geomDepth = 0;
    switch (this.geom) {
      case 'track':
        if (this.trackCoords === 0) {
          // A track without coordinates is no geometry, and its times are nobody's.
          this.timeMs.truncate(this.trackTimeStart);
          this.badTimes.truncate(this.trackTimeStart);
          return;
        }
        this.addLine(this.trackCoords >= 2 ? 'line' : 'point', this.trackCoords);
        if (this.trackWhens > 0) this.timeLines++;
        return;
      case 'line':
        if (this.lineCoords >= 2) this.addLine('line', this.lineCoords);
        return;
      case 'point':
        if (this.pointValid) this.addLine('point', 1);
        return;
      case 'polygon':
        if (this.polygonValid) {
          this.geometries++;
          this.single = 'polygon';
        }
        return;
    }
  }

  private addLine(kind: Geometry, points: number): void {
    this.geometries++;
    this.single = kind;
    this.lines++;
    this.points += points;
  }

  private endPlacemark(): void {
    this.pmDepth = 0;
    this.geomDepth = 0;
    this.ringDepth = 0;
    this.containers.length = 0;
    this.captures.clear();
    if (this.error) return;
    // A placemark is a track when it has times, or a line: one that is not a point or a polygon, or several
    // geometries of which one is not a polygon (each counts as a line, a point as a line of one).
    const track = this.timeLines > 0 || (this.geometries === 1 ? this.single === 'line' : this.lines > 0);
    if (!track) return;
    const result = finishTrack(
      {
        name: this.name || null,
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
    if (result instanceof TrackFileError) this.error = result;
    else this.tracks.push(result);
  }
}

/**
 * The tuples of a `<coordinates>` text that have two numbers or more (up to three kept), counted one at a time
 * (a long line is never split into one array): how many, the first and the last.
 */
function coordinateTuples(text: string): { count: number; first?: number[]; last?: number[] } {
  let count = 0;
  let first: number[] | undefined;
  let last: number[] | undefined;
  for (const [token] of text.matchAll(/\S+/g)) {
    const tuple = coordinateTuple(token);
    if (tuple.length < 2) continue;
    count++;
    first ??= tuple;
    last = tuple;
  }
  return { count, first, last };
}

const coordinateTuple = (token: string) =>
  token
    .split(',')
    .map(Number.parseFloat)
    .filter((n) => !Number.isNaN(n))
    .slice(0, 3);

/**
 * Whether a Point's `<coordinates>` hold two numbers or more: its whole text, without whitespace, taken as one
 * comma-separated tuple (as togeojson reads it), looked at only until two numbers are found.
 */
function isPoint(text: string): boolean {
  let numbers = 0;
  for (let from = 0; from <= text.length && numbers < 2; ) {
    const comma = text.indexOf(',', from);
    const end = comma < 0 ? text.length : comma;
    if (!Number.isNaN(Number.parseFloat(text.slice(from, end).replace(/\s/g, '')))) numbers++;
    from = end + 1;
  }
  return numbers >= 2;
}

/** A ring of at least four positions once closed (its first repeated at the end when it is not there). */
function isRing({ count, first, last }: ReturnType<typeof coordinateTuples>): boolean {
  if (!first || !last) return false;
  const closed = first.length === last.length && first.every((v, i) => v === last[i]);
  return count + (closed ? 0 : 1) >= 4;
}
