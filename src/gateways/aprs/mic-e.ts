import { ambiguityOf, ambiguousDegrees, applyDao, base91, MPS_PER_KNOT, SYMBOL_TABLE } from './coords.ts';
import type { AprsFix } from './parse.ts';

/**
 * A Mic-E position (APRS Protocol Reference 1.0.1, chapter 10): the latitude, the message bits, N/S, the
 * longitude offset and E/W hide in the six characters of the destination; the body holds the longitude,
 * speed and course as bytes offset by 28, then the symbol, and the comment may carry the altitude (three
 * base-91 characters and `}`, in metres above -10 km). `body` is what follows the `` ` `` or `'`.
 * Returns the fix, or the reason it is not one.
 */
export function decodeMicE(dest: string, body: string): Omit<AprsFix, 'time'> | string {
  const call = dest.replace(/-.*$/, '');
  if (!/^[0-9A-LP-Z]{3}[0-9LP-Z]{3}$/.test(call)) return `bad Mic-E destination ${JSON.stringify(dest)}`;
  if (body.length < 8) return 'Mic-E body shorter than 8 bytes';
  const latDigits = [...call].map(latDigit).join('');
  const ambiguity = ambiguityOf(latDigits);
  if (ambiguity === undefined) return 'Mic-E latitude: spaces must replace the rightmost digits';
  if (Number(latDigits.slice(2, 4).replace(/ /g, '0')) >= 60) return 'Mic-E latitude out of range';
  const latDeg = ambiguousDegrees(latDigits, ambiguity);
  if (latDeg > 90) return 'Mic-E latitude out of range';

  const bytes = [0, 1, 2, 3, 4, 5].map((i) => body.charCodeAt(i) - 28);
  if (bytes.some((v) => v < 0 || v > 99)) return 'bad Mic-E data bytes';
  const [d = 0, m = 0, h = 0, sp = 0, dc = 0, se = 0] = bytes;
  let lonDeg = d + (isFlagSet(call[4]) ? 100 : 0);
  if (lonDeg >= 180 && lonDeg <= 189) lonDeg -= 80;
  else if (lonDeg >= 190 && lonDeg <= 199) lonDeg -= 190;
  const lonMin = m >= 60 ? m - 60 : m;
  if (lonDeg > 179 || h > 99) return 'Mic-E longitude out of range';
  // The latitude's ambiguity hides the same digits of the longitude.
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const lonDegFull = ambiguousDegrees(`${pad(lonDeg, 3)}${pad(lonMin, 2)}${pad(h, 2)}`, ambiguity);

  let knots = sp * 10 + Math.floor(dc / 10);
  let course = (dc % 10) * 100 + se;
  if (knots >= 800) knots -= 800;
  if (course >= 400) course -= 400;
  const table = body[7] ?? '';
  if (!SYMBOL_TABLE.test(table)) return `bad symbol table ${JSON.stringify(table)}`;
  const fix: Omit<AprsFix, 'time'> = {
    lat: isFlagSet(call[3]) ? latDeg : -latDeg,
    lon: isFlagSet(call[5]) ? -lonDegFull : lonDegFull,
    symbol: `${table}${body[6]}`,
    speedMps: knots * MPS_PER_KNOT,
    comment: '',
  };
  if (course > 0 && course <= 360) fix.courseDeg = course;
  let comment = body.slice(8);
  const alt = /^(.?)([!-{]{3})\}/.exec(comment);
  if (alt) {
    fix.altitudeM = (base91(alt[2] ?? '') ?? 10_000) - 10_000;
    comment = (alt[1] ?? '') + comment.slice(alt[0].length);
  }
  const dao = applyDao(fix.lat, fix.lon, comment);
  return { ...fix, lat: dao.lat, lon: dao.lon, comment: dao.comment.trim() };
}

/** The latitude digit a destination character stands for; a space where it hides one (ambiguity). */
function latDigit(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return ch;
  if (c >= 65 && c <= 74) return String(c - 65);
  if (c >= 80 && c <= 89) return String(c - 80);
  return ' ';
}

/** P–Z mean north, +100° of longitude, and west in the 4th, 5th and 6th characters; 0–9 and L the opposite. */
function isFlagSet(ch: string | undefined): boolean {
  return ch !== undefined && ch >= 'P' && ch <= 'Z';
}
