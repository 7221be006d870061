/** Units and coordinate encodings shared by the APRS position formats (APRS Protocol Reference 1.0.1). */

export const MPS_PER_KNOT = 1852 / 3600;
export const M_PER_FOOT = 0.3048;
/** The primary (`/`) and alternate (`\`) tables, and overlays (a letter or digit on the alternate table). */
export const SYMBOL_TABLE = /^[/\\A-Z0-9]$/;

/** The minutes each level of ambiguity (spaces replacing digits from the right) leaves unknown. */
const AMBIGUITY_MIN = [0, 0.1, 1, 10, 60];

/**
 * Degrees from `DDMMhh` (latitude) or `DDDMMhh` (longitude) digits, minutes in hundredths. With `ambiguity`
 * digits hidden on the right (spec chapter 8, "Position Ambiguity") they count as zero and the result is the
 * middle of the area they leave open, as other parsers (Ham::APRS::FAP) report it.
 */
export function ambiguousDegrees(digits: string, ambiguity: number): number {
  const known = [...digits].map((d, i) => (i >= digits.length - ambiguity ? '0' : d)).join('');
  const degLength = digits.length - 4;
  const minutes = Number(known.slice(degLength, -2)) + Number(known.slice(-2)) / 100;
  return Number(known.slice(0, degLength)) + (minutes + (AMBIGUITY_MIN[ambiguity] ?? 0) / 2) / 60;
}

/** How many of a latitude's digits are spaces, all on the right; undefined when a space sits between digits. */
export function ambiguityOf(latDigits: string): number | undefined {
  if (!/^\d+ *$/.test(latDigits)) return undefined;
  return latDigits.length - latDigits.trimEnd().length;
}

/** A base-91 number (characters `!`…`{`), or undefined. */
export function base91(text: string): number | undefined {
  let n = 0;
  for (const ch of text) {
    const v = ch.charCodeAt(0) - 33;
    if (v < 0 || v > 90) return undefined;
    n = n * 91 + v;
  }
  return n;
}

/**
 * The `!DAO!` extension anywhere in a comment (APRS 1.2 addendum, as aprs.fi's parser reads it): a datum
 * letter and one more digit of the minutes each for latitude and longitude (`!W33!`: thousandths), or two in
 * base 91 (`!w66!`). Returns the refined coordinates and the comment without it.
 */
export function applyDao(
  lat: number,
  lon: number,
  comment: string,
): { lat: number; lon: number; comment: string } {
  const m = /!([A-Z])(\d)(\d)!|!([a-z])([!-{])([!-{])!/.exec(comment);
  if (!m) return { lat, lon, comment };
  const [latOffMin, lonOffMin] = m[1]
    ? [Number(m[2]) * 0.001, Number(m[3]) * 0.001]
    : [(((m[5] ?? '!').charCodeAt(0) - 33) / 91) * 0.01, (((m[6] ?? '!').charCodeAt(0) - 33) / 91) * 0.01];
  const away = (deg: number, offMin: number) => (deg < 0 ? deg - offMin / 60 : deg + offMin / 60);
  const rest = comment.slice(0, m.index) + comment.slice(m.index + m[0].length);
  return { lat: away(lat, latOffMin), lon: away(lon, lonOffMin), comment: rest };
}
