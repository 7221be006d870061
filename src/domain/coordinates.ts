/**
 * A position as people type it: decimal degrees ("51.05, -1.31", "51.05N 1.31W"), degrees-minutes-seconds
 * ("51°03'00"N 1°18'36"W"), UTM with its zone and latitude band ("30U 618455 5656743") or an MGRS grid
 * reference ("30UXB1845556743", "30U XB 184 567"). Pure: the console parses what a leader types and shows the
 * point before it is saved.
 */

export type CoordinateKind = 'decimal' | 'dms' | 'utm' | 'mgrs';
export type ParsedCoordinates =
  | { ok: true; lat: number; lon: number; kind: CoordinateKind }
  | { ok: false; reason: string };

// WGS84 and the UTM projection.
const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const EP2 = E2 / (1 - E2);
const K0 = 0.9996;
const FALSE_EASTING = 500_000;
const FALSE_NORTHING_SOUTH = 10_000_000;

/** Latitude bands C..X (no I, O): 8° each from 80°S, X spans 72°–84°N. */
const BANDS = 'CDEFGHJKLMNPQRSTUVWX';
/** Letters of the 100 km squares: columns cycle through three sets of eight, rows through twenty. */
const COLUMN_SETS = ['ABCDEFGH', 'JKLMNPQR', 'STUVWXYZ'] as const;
const ROW_LETTERS = 'ABCDEFGHJKLMNPQRSTUV';
/** The lowest northing (m) in each band, to place a 100 km row letter (which repeats every 2000 km). */
const BAND_MIN_NORTHING: Record<string, number> = {
  C: 1_100_000,
  D: 2_000_000,
  E: 2_800_000,
  F: 3_700_000,
  G: 4_600_000,
  H: 5_500_000,
  J: 6_400_000,
  K: 7_300_000,
  L: 8_200_000,
  M: 9_100_000,
  N: 0,
  P: 800_000,
  Q: 1_700_000,
  R: 2_600_000,
  S: 3_500_000,
  T: 4_400_000,
  U: 5_300_000,
  V: 6_200_000,
  W: 7_000_000,
  X: 7_900_000,
};

const fail = (reason: string): ParsedCoordinates => ({ ok: false, reason });

function inRange(lat: number, lon: number, kind: CoordinateKind): ParsedCoordinates {
  if (!Number.isFinite(lat) || Math.abs(lat) > 90) return fail('latitude must be between -90 and 90');
  if (!Number.isFinite(lon) || Math.abs(lon) > 180) return fail('longitude must be between -180 and 180');
  return { ok: true, lat, lon, kind };
}

/** UTM easting/northing (m) in a zone, northern or southern hemisphere, to WGS84 degrees (Snyder's series). */
export function utmToLatLon(
  zone: number,
  south: boolean,
  easting: number,
  northing: number,
): { lat: number; lon: number } {
  const x = easting - FALSE_EASTING;
  const y = south ? northing - FALSE_NORTHING_SOUTH : northing;
  const mu = y / K0 / (A * (1 - E2 / 4 - (3 * E2 ** 2) / 64 - (5 * E2 ** 3) / 256));
  const e1 = (1 - Math.sqrt(1 - E2)) / (1 + Math.sqrt(1 - E2));
  const phi1 =
    mu +
    ((3 * e1) / 2 - (27 * e1 ** 3) / 32) * Math.sin(2 * mu) +
    ((21 * e1 ** 2) / 16 - (55 * e1 ** 4) / 32) * Math.sin(4 * mu) +
    ((151 * e1 ** 3) / 96) * Math.sin(6 * mu) +
    ((1097 * e1 ** 4) / 512) * Math.sin(8 * mu);
  const sin = Math.sin(phi1);
  const cos = Math.cos(phi1);
  const tan = Math.tan(phi1);
  const n1 = A / Math.sqrt(1 - E2 * sin ** 2);
  const t1 = tan ** 2;
  const c1 = EP2 * cos ** 2;
  const r1 = (A * (1 - E2)) / (1 - E2 * sin ** 2) ** 1.5;
  const d = x / (n1 * K0);
  const lat =
    phi1 -
    ((n1 * tan) / r1) *
      (d ** 2 / 2 -
        ((5 + 3 * t1 + 10 * c1 - 4 * c1 ** 2 - 9 * EP2) * d ** 4) / 24 +
        ((61 + 90 * t1 + 298 * c1 + 45 * t1 ** 2 - 252 * EP2 - 3 * c1 ** 2) * d ** 6) / 720);
  const lon0 = ((zone - 1) * 6 - 180 + 3) * (Math.PI / 180);
  const lon =
    lon0 +
    (d -
      ((1 + 2 * t1 + c1) * d ** 3) / 6 +
      ((5 - 2 * c1 + 28 * t1 - 3 * c1 ** 2 + 8 * EP2 + 24 * t1 ** 2) * d ** 5) / 120) /
      cos;
  return { lat: (lat * 180) / Math.PI, lon: (lon * 180) / Math.PI };
}

function zoneAndBand(zoneText: string, bandText: string): { zone: number; band: string } | string {
  const zone = Number(zoneText);
  if (!Number.isInteger(zone) || zone < 1 || zone > 60) return 'the UTM zone must be 1 to 60';
  const band = bandText.toUpperCase();
  if (!BANDS.includes(band)) return `${band} is not a latitude band (C to X, without I and O)`;
  return { zone, band };
}

function parseUtm(m: RegExpMatchArray): ParsedCoordinates {
  const zb = zoneAndBand(m[1] ?? '', m[2] ?? '');
  if (typeof zb === 'string') return fail(zb);
  const easting = Number(m[3]);
  const northing = Number(m[4]);
  if (easting < 100_000 || easting > 900_000) return fail('a UTM easting is between 100000 and 900000 m');
  if (northing < 0 || northing > FALSE_NORTHING_SOUTH)
    return fail('a UTM northing is between 0 and 10000000 m');
  const p = utmToLatLon(zb.zone, zb.band < 'N', easting, northing);
  return inRange(p.lat, p.lon, 'utm');
}

function parseMgrs(m: RegExpMatchArray): ParsedCoordinates {
  const zb = zoneAndBand(m[1] ?? '', m[2] ?? '');
  if (typeof zb === 'string') return fail(zb);
  const square = (m[3] ?? '').toUpperCase();
  const digits = (m[4] ?? '').replace(/\s+/g, '');
  if (digits.length % 2 !== 0 || digits.length > 10)
    return fail('an MGRS reference has as many easting digits as northing digits (up to 5 each)');
  const set = (zb.zone - 1) % 3;
  const column = COLUMN_SETS[set]?.indexOf(square[0] ?? '') ?? -1;
  if (column < 0) return fail(`${square[0]} is not a 100 km column letter in zone ${zb.zone}`);
  const rowLetter = ROW_LETTERS.indexOf(square[1] ?? '');
  if (rowLetter < 0) return fail(`${square[1]} is not a 100 km row letter`);
  const half = digits.length / 2;
  const precision = 10 ** (5 - half);
  const within = (s: string) => (s ? Number(s) * precision : 0) + precision / 2;
  const easting = (column + 1) * 100_000 + within(digits.slice(0, half));
  // Even zones start their row letters at F.
  const row = (rowLetter - (zb.zone % 2 === 0 ? 5 : 0) + 20) % 20;
  let northing = row * 100_000 + within(digits.slice(half));
  const min = BAND_MIN_NORTHING[zb.band] ?? 0;
  while (northing < min) northing += 2_000_000;
  const p = utmToLatLon(zb.zone, zb.band < 'N', easting, northing);
  return inRange(p.lat, p.lon, 'mgrs');
}

/** One angle: decimal degrees or degrees, minutes, seconds, with a hemisphere letter before or after. */
function parseAngle(text: string, axis: 'lat' | 'lon'): { value: number; dms: boolean } | string {
  const t = text.trim().toUpperCase();
  const m = t.match(
    /^([NSEW])?\s*([+-]?\d+(?:\.\d+)?)(?:\s*°\s*|\s+)?(?:(\d+(?:\.\d+)?)(?:\s*['′]\s*|\s+)?)?(?:(\d+(?:\.\d+)?)\s*(?:"|″|'')?)?\s*([NSEW])?$/,
  );
  if (!m) return `${text.trim()} is not a ${axis === 'lat' ? 'latitude' : 'longitude'}`;
  const hemi = m[1] ?? m[5];
  if (m[1] && m[5]) return `${text.trim()}: one hemisphere letter only`;
  if (hemi && (axis === 'lat' ? !'NS'.includes(hemi) : !'EW'.includes(hemi)))
    return `${hemi} is not a ${axis === 'lat' ? 'latitude (N/S)' : 'longitude (E/W)'} hemisphere`;
  const deg = Number(m[2]);
  const min = m[3] ? Number(m[3]) : 0;
  const sec = m[4] ? Number(m[4]) : 0;
  if (min >= 60 || sec >= 60) return `${text.trim()}: minutes and seconds are below 60`;
  const magnitude = Math.abs(deg) + min / 60 + sec / 3600;
  const negative = deg < 0 || m[2]?.startsWith('-') || hemi === 'S' || hemi === 'W';
  return { value: negative ? -magnitude : magnitude, dms: Boolean(m[3] || m[4]) };
}

/** Splits "lat lon" into its two halves: at a comma, after a hemisphere letter, or at the middle space. */
function halves(text: string): [string, string] | undefined {
  const comma = text.split(/[,;]/);
  if (comma.length === 2) return [comma[0] ?? '', comma[1] ?? ''];
  const hemi = text.match(/^([NS].*?)\s+([EW].*)$/i) ?? text.match(/^(.*?[NS])\s*([EW]?\s*[+-]?\d.*)$/i);
  if (hemi) return [hemi[1] ?? '', hemi[2] ?? ''];
  const parts = text.trim().split(/\s+/);
  if (parts.length === 2) return [parts[0] ?? '', parts[1] ?? ''];
  return undefined;
}

/** Parses a typed position; says what is wrong when it cannot. */
export function parseCoordinates(input: string): ParsedCoordinates {
  const text = input.trim();
  if (!text) return fail('type a position');
  const mgrs = text.match(/^(\d{1,2})\s*([A-Za-z])\s*([A-Za-z]{2})\s*(\d*(?:\s+\d+)?)$/);
  if (mgrs) return parseMgrs(mgrs);
  const utm = text.match(
    /^(\d{1,2})\s*([A-Za-z])\s+(\d{6}(?:\.\d+)?)\s*m?\s*[E]?\s+(\d{1,8}(?:\.\d+)?)\s*m?\s*N?$/i,
  );
  if (utm) return parseUtm(utm);
  const split = halves(text);
  if (!split)
    return fail(
      'give latitude and longitude (51.05, -1.31), UTM (30U 618455 5656743) or MGRS (30UXB1845556743)',
    );
  const lat = parseAngle(split[0], 'lat');
  if (typeof lat === 'string') return fail(lat);
  const lon = parseAngle(split[1], 'lon');
  if (typeof lon === 'string') return fail(lon);
  return inRange(lat.value, lon.value, lat.dms || lon.dms ? 'dms' : 'decimal');
}
