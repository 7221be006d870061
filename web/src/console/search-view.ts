import type { SearchPlan, SearchSegment } from '../../../src/contract/search.ts';

/** What the map colours the segments by. */
export type SearchColouring = 'pod' | 'poa';

export const COLOURING_LABEL: Record<SearchColouring, string> = {
  pod: 'Cumulative POD',
  poa: 'POA now',
};

/** The legend's stops: from nothing (pale) to all (deep), one hue per measure. */
const STOPS: Record<SearchColouring, readonly [string, string, string]> = {
  // Searched well = green; where the probability lies = warm.
  pod: ['#f1f5f0', '#7fc07a', '#1b7a2e'],
  poa: ['#fff5e6', '#f4a259', '#b8350b'],
};

/** The colour of a share 0–1 for a measure, interpolated over its three stops. */
export function shareColour(colouring: SearchColouring, share: number): string {
  const [a, b, c] = STOPS[colouring];
  const s = Math.min(1, Math.max(0, share));
  return s <= 0.5 ? mix(a, b, s / 0.5) : mix(b, c, (s - 0.5) / 0.5);
}

/** The stops of the legend, 0 %, 50 % and 100 %. */
export function legendStops(colouring: SearchColouring): readonly string[] {
  return STOPS[colouring];
}

/** The share a segment is coloured by (0 when unknown, e.g. POA not set yet). */
export function segmentShare(s: SearchSegment, colouring: SearchColouring): number {
  return colouring === 'pod' ? s.cumulativePod : (s.currentPoa ?? 0);
}

/** A probability as a percentage, "—" when unknown. */
export const percent = (p: number | null): string => (p === null ? '—' : `${(p * 100).toFixed(0)} %`);

/** An area in hectares. */
export const hectares = (m2: number): string => `${(m2 / 10_000).toFixed(m2 < 100_000 ? 2 : 1)} ha`;

/** The label on the map: name and the measure shown. */
export function segmentLabel(s: SearchSegment, colouring: SearchColouring): string {
  return colouring === 'pod'
    ? `${s.name} · POD ${percent(s.cumulativePod)}`
    : `${s.name} · POA ${percent(s.currentPoa)}`;
}

/** The segments as a GeoJSON FeatureCollection with their fill colour. */
export function segmentFeatures(
  plan: SearchPlan | null,
  colouring: SearchColouring,
): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: (plan?.segments ?? []).map((s) => ({
      type: 'Feature',
      id: s.id,
      properties: { id: s.id, name: s.name, colour: shareColour(colouring, segmentShare(s, colouring)) },
      geometry: s.polygon,
    })),
  };
}

/** The middle of a polygon's outer ring's bounding box, as [lon, lat]: where its label sits. */
export function labelPoint(s: SearchSegment): [number, number] {
  const ring = s.polygon.coordinates[0] ?? [];
  const lons = ring.map((p) => p[0] ?? 0);
  const lats = ring.map((p) => p[1] ?? 0);
  return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
}

function mix(from: string, to: string, t: number): string {
  const a = rgb(from);
  const b = rgb(to);
  const c = a.map((v, i) => Math.round(v + ((b[i] ?? 0) - v) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
