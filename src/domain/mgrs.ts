/**
 * Latitude and longitude to UTM and to an MGRS grid reference (WGS84), the way SAR teams read positions off
 * a map: "32T MT 12345 67890". The reverse is in coordinates.ts (what people type). Pure.
 */

const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const EP2 = E2 / (1 - E2);
const K0 = 0.9996;
const BANDS = 'CDEFGHJKLMNPQRSTUVWX';
const COLUMN_SETS = ['ABCDEFGH', 'JKLMNPQR', 'STUVWXYZ'] as const;
const ROW_LETTERS = 'ABCDEFGHJKLMNPQRSTUV';

export interface Utm {
  zone: number;
  band: string;
  eastingM: number;
  northingM: number;
}

/** The UTM zone of a point, with the Norway and Svalbard exceptions. */
function zoneOf(lat: number, lon: number): number {
  if (lat >= 56 && lat < 64 && lon >= 3 && lon < 12) return 32;
  if (lat >= 72 && lat < 84 && lon >= 0 && lon < 42) return lon < 9 ? 31 : lon < 21 ? 33 : lon < 33 ? 35 : 37;
  return Math.min(60, Math.floor((lon + 180) / 6) + 1);
}

/** UTM coordinates (m) of a point between 80°S and 84°N (Snyder's series), or null outside (polar UPS). */
export function latLonToUtm(lat: number, lon: number): Utm | null {
  if (!(lat >= -80 && lat < 84) || !(lon >= -180 && lon <= 180)) return null;
  const zone = zoneOf(lat, lon);
  const phi = (lat * Math.PI) / 180;
  const lam = (lon * Math.PI) / 180;
  const lam0 = (((zone - 1) * 6 - 180 + 3) * Math.PI) / 180;
  const sin = Math.sin(phi);
  const cos = Math.cos(phi);
  const n = A / Math.sqrt(1 - E2 * sin * sin);
  const t = Math.tan(phi) ** 2;
  const c = EP2 * cos * cos;
  const a = cos * (lam - lam0);
  const m =
    A *
    ((1 - E2 / 4 - (3 * E2 ** 2) / 64 - (5 * E2 ** 3) / 256) * phi -
      ((3 * E2) / 8 + (3 * E2 ** 2) / 32 + (45 * E2 ** 3) / 1024) * Math.sin(2 * phi) +
      ((15 * E2 ** 2) / 256 + (45 * E2 ** 3) / 1024) * Math.sin(4 * phi) -
      ((35 * E2 ** 3) / 3072) * Math.sin(6 * phi));
  const eastingM =
    K0 * n * (a + ((1 - t + c) * a ** 3) / 6 + ((5 - 18 * t + t * t + 72 * c - 58 * EP2) * a ** 5) / 120) +
    500_000;
  let northingM =
    K0 *
    (m +
      n *
        Math.tan(phi) *
        ((a * a) / 2 +
          ((5 - t + 9 * c + 4 * c * c) * a ** 4) / 24 +
          ((61 - 58 * t + t * t + 600 * c - 330 * EP2) * a ** 6) / 720));
  if (lat < 0) northingM += 10_000_000;
  const band = BANDS[Math.min(BANDS.length - 1, Math.floor((lat + 80) / 8))] as string;
  return { zone, band, eastingM, northingM };
}

/** An MGRS reference with `digits` per axis (5 = 1 m), spaced: "32T MT 12345 67890"; null near the poles. */
export function toMgrs(lat: number, lon: number, digits = 5): string | null {
  const utm = latLonToUtm(lat, lon);
  if (!utm) return null;
  const set = COLUMN_SETS[(utm.zone - 1) % 3] as string;
  const column = set[Math.floor(utm.eastingM / 100_000) - 1];
  // Row letters repeat every 2000 km; even zones start five letters on.
  const rowIndex = (Math.floor(utm.northingM / 100_000) + (utm.zone % 2 === 0 ? 5 : 0)) % 20;
  const row = ROW_LETTERS[rowIndex];
  if (!column || !row) return null;
  const scale = 10 ** (5 - digits);
  const e = Math.floor((utm.eastingM % 100_000) / scale);
  const n = Math.floor((utm.northingM % 100_000) / scale);
  const pad = (v: number) => String(v).padStart(digits, '0');
  return `${utm.zone}${utm.band} ${column}${row} ${pad(e)} ${pad(n)}`;
}
