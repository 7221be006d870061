import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { distanceRings, ringLabel } from '../domain/distance-rings.ts';
import { parseLostPersonCsv } from '../formats/lost-person-csv.ts';

export interface RingsCommandOptions {
  readonly category: string;
  /** "LAT,LON" of the initial planning point. */
  readonly at: string;
}

/** `howl rings TABLE.csv --category C --at LAT,LON`: the distance rings as a GeoJSON FeatureCollection. */
export async function ringsCommand(
  file: string,
  options: RingsCommandOptions,
  print: (text: string) => void = console.log,
): Promise<void> {
  const [lat, lon] = options.at.split(',').map((v) => Number(v.trim()));
  if (
    lat === undefined ||
    lon === undefined ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat) > 90 ||
    Math.abs(lon) > 180
  ) {
    throw new Error(`--at: expected LAT,LON of the initial planning point, got "${options.at}"`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const profiles = parseLostPersonCsv(text, basename(file));
  const profile = profiles.find((p) => p.category.toLowerCase() === options.category.trim().toLowerCase());
  if (!profile) {
    throw new Error(
      `--category: "${options.category}" is not in ${basename(file)} (${profiles.map((p) => p.category).join(', ')})`,
    );
  }
  const features = distanceRings({ lat, lon }, profile).map((r) => ({
    type: 'Feature',
    properties: {
      category: profile.category,
      quantile: r.quantile,
      distanceM: r.distanceM,
      label: ringLabel(r),
    },
    geometry: r.polygon,
  }));
  print(JSON.stringify({ type: 'FeatureCollection', features }, null, 2));
}
