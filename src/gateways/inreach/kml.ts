import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One inReach point as Howl takes it, from a MapShare placemark or an IPC Outbound event. */
export interface InReachPoint {
  imei: string;
  time: Date;
  lat: number;
  lon: number;
  altitudeM?: number;
  speedMps?: number;
  courseDeg?: number;
  /** The device was in SOS state (a real emergency: Howl raises a real SOS). */
  emergency: boolean;
  /** A message the user typed or picked, if any. */
  text?: string;
  /** Garmin's event name ("Tracking interval received.") or IPC message code, for logs. */
  event?: string;
}

export interface RejectedPlacemark {
  /** 1-based, among the feed's placemarks. */
  placemark: number;
  field: string;
  reason: string;
}

export type MapShareParse =
  | { ok: true; points: InReachPoint[]; rejected: RejectedPlacemark[] }
  | { ok: false; reason: string };

/** A feed larger than this is refused unread (a day of 2-minute tracking is well under 1 MB). */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Only the predefined and numeric entities: nothing a DOCTYPE declares.
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['Folder', 'Placemark', 'Data', 'Document'].includes(name),
});

/**
 * The points of a Garmin MapShare KML feed (`share.garmin.com/Feed/Share/<map>`): one per placemark with a
 * Point, its fields from the ExtendedData Garmin writes (IMEI, Latitude, Longitude, Elevation "22.63 m from
 * MSL", Velocity "0.0 km/h", Course "0.00 ° True", In Emergency "True", Event, Text) and its time from
 * `<TimeStamp><when>`. The track-log placemark (a LineString) is skipped; a placemark whose fields are bad is
 * named in `rejected` and the others are kept. A document that is not KML is refused whole.
 */
export function parseMapShare(xml: string): MapShareParse {
  if (Buffer.byteLength(xml) > MAX_FEED_BYTES) return { ok: false, reason: 'feed larger than 5 MB' };
  const text = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) return { ok: false, reason: 'a DOCTYPE is not accepted' };
  if (XMLValidator.validate(text) !== true) return { ok: false, reason: 'not well-formed XML' };
  const doc = parser.parse(text) as Record<string, unknown>;
  const kml = obj(doc.kml);
  if (!kml) return { ok: false, reason: 'not a KML document (no <kml>)' };
  const placemarks: unknown[] = [];
  for (const d of arr(kml.Document)) {
    for (const f of arr(obj(d)?.Folder)) placemarks.push(...arr(obj(f)?.Placemark));
    placemarks.push(...arr(obj(d)?.Placemark));
  }
  const points: InReachPoint[] = [];
  const rejected: RejectedPlacemark[] = [];
  placemarks.forEach((pm, i) => {
    const p = obj(pm);
    if (!p || p.Point === undefined) return;
    const r = placemarkPoint(p);
    if ('field' in r) rejected.push({ placemark: i + 1, ...r });
    else points.push(r);
  });
  return { ok: true, points, rejected };
}

function placemarkPoint(p: Record<string, unknown>): InReachPoint | { field: string; reason: string } {
  const data = new Map<string, string>();
  for (const d of arr(obj(p.ExtendedData)?.Data)) {
    const o = obj(d);
    if (o && typeof o.name === 'string') data.set(o.name, str(o.value));
  }
  const imei = data.get('IMEI') ?? '';
  if (!/^\d{10,20}$/.test(imei)) return { field: 'IMEI', reason: 'missing or not digits' };
  const when = str(obj(p.TimeStamp)?.when);
  const time = new Date(when);
  if (when === '' || Number.isNaN(time.getTime()))
    return { field: 'TimeStamp', reason: 'missing or not a time' };
  const lat = num(data.get('Latitude'));
  const lon = num(data.get('Longitude'));
  if (lat === undefined || lat < -90 || lat > 90)
    return { field: 'Latitude', reason: 'missing or out of range' };
  if (lon === undefined || lon < -180 || lon > 180)
    return { field: 'Longitude', reason: 'missing or out of range' };
  // The Point must say the same: a feed whose two disagree is not trusted for where a person is.
  const coords = str(obj(p.Point)?.coordinates).split(',');
  const cLon = num(coords[0]);
  const cLat = num(coords[1]);
  if (coords.length < 2 || cLon === undefined || cLat === undefined)
    return { field: 'coordinates', reason: 'not lon,lat[,alt]' };
  if (Math.abs(cLat - lat) > 1e-5 || Math.abs(cLon - lon) > 1e-5)
    return { field: 'coordinates', reason: 'disagree with Latitude and Longitude' };
  const event = data.get('Event') || undefined;
  const emergency = data.get('In Emergency')?.toLowerCase() === 'true' || isEmergencyEvent(event);
  const kmh = leadingNumber(data.get('Velocity'));
  return {
    imei,
    time,
    lat,
    lon,
    altitudeM: leadingNumber(data.get('Elevation')),
    speedMps: kmh !== undefined ? kmh / 3.6 : undefined,
    courseDeg: leadingNumber(data.get('Course')),
    emergency,
    text: data.get('Text') || undefined,
    event,
  };
}

/**
 * Whether a MapShare event names an emergency that is on ("Emergency initiated from device", "Emergency
 * confirmed"), not one that ended ("Emergency canceled").
 */
export function isEmergencyEvent(event: string | undefined): boolean {
  return event !== undefined && /emergency/i.test(event) && !/cancel|stopped|ended/i.test(event);
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

function num(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The number a Garmin field starts with ("22.63 m from MSL" → 22.63). */
function leadingNumber(s: string | undefined): number | undefined {
  const m = s ? /^\s*(-?\d+(\.\d+)?)/.exec(s) : null;
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}
