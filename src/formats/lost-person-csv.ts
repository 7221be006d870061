import { HowlError } from '../contract/errors.ts';
import type { DistanceProfile } from '../domain/distance-rings.ts';

/**
 * A team's lost-person statistics as CSV (docs/search-planning.md, "Distance rings"): a header
 * `category,p25_km,p50_km,…` with any quantiles as `pNN_km` columns, then one line per subject category with the
 * distance from the initial planning point (km) within which that share of subjects was found. Lines starting
 * with `#` are comments. Howl ships no table of its own: the numbers are the team's.
 */
export function parseLostPersonCsv(text: string, source = 'the file'): DistanceProfile[] {
  const fail = (line: number, message: string) =>
    new HowlError(400, 'not_a_distance_table', `${source}, line ${line}: ${message}`);
  const lines = text
    .split(/\r?\n/)
    .map((raw, i) => ({ raw: raw.trim(), n: i + 1 }))
    .filter((l) => l.raw !== '' && !l.raw.startsWith('#'));
  const head = lines.shift();
  if (!head) throw fail(1, 'empty: expected a header "category,p25_km,p50_km,…"');
  const columns = splitCsv(head.raw).map((c) => c.toLowerCase());
  if (columns[0] !== 'category') throw fail(head.n, 'the first column must be "category"');
  const quantiles = columns.slice(1).map((c) => {
    const m = /^p(\d{1,2})_km$/.exec(c);
    const q = m ? Number(m[1]) : Number.NaN;
    if (!(q >= 1 && q <= 99)) throw fail(head.n, `column "${c}": expected pNN_km, NN a percentage 1–99`);
    return q / 100;
  });
  if (quantiles.length === 0) throw fail(head.n, 'no distance columns (p25_km, p50_km, …)');
  if (quantiles.some((q, i) => i > 0 && q <= (quantiles[i - 1] ?? 0))) {
    throw fail(head.n, 'the quantile columns must increase from left to right');
  }
  const seen = new Set<string>();
  return lines.map(({ raw, n }) => {
    const cells = splitCsv(raw);
    const category = cells[0]?.trim() ?? '';
    if (category === '') throw fail(n, 'no category');
    if (seen.has(category.toLowerCase())) throw fail(n, `category "${category}" appears twice`);
    seen.add(category.toLowerCase());
    if (cells.length !== columns.length)
      throw fail(n, `expected ${columns.length} cells, got ${cells.length}`);
    const rings = quantiles.map((quantile, i) => {
      const text = cells[i + 1]?.trim() ?? '';
      const km = Number(text);
      if (text === '' || !Number.isFinite(km) || km < 0) {
        throw fail(n, `${columns[i + 1]}: expected a distance in km, got "${text}"`);
      }
      return { quantile, distanceM: km * 1000 };
    });
    if (rings.some((r, i) => i > 0 && r.distanceM < (rings[i - 1]?.distanceM ?? 0))) {
      throw fail(n, 'the distances must not decrease as the share grows');
    }
    return { category, rings };
  });
}

/** The cells of one CSV line; a cell may be quoted ("…", with "" for a quote). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
