import { HowlError } from '../contract/errors.ts';
import { polygonProblem, type SegmentPolygon } from '../domain/search-coverage.ts';

/** A search segment read from a file: its name (from the feature's `name` or `title`, else its place) and polygon. */
export interface SegmentShape {
  readonly name: string;
  readonly polygon: SegmentPolygon;
}

/**
 * The segments of a GeoJSON document: a Polygon, a Feature with a Polygon, or a FeatureCollection of them (as
 * CalTopo/SARTopo and QGIS export areas). Anything else, or a polygon that is not usable (open, crossing itself,
 * off the globe), is a 400 `not_a_segment_file` naming the file and the feature.
 */
export function parseSegmentsGeoJson(text: string, source = 'the file'): SegmentShape[] {
  const fail = (message: string) => new HowlError(400, 'not_a_segment_file', `${source}: ${message}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw fail('not JSON: expected a GeoJSON Polygon or a FeatureCollection of Polygons');
  }
  const type = typeOf(doc);
  const features: unknown[] =
    type === 'FeatureCollection' ? arrayOf((doc as { features?: unknown }).features) : [doc];
  if (type === 'FeatureCollection' && features.length === 0)
    throw fail('the FeatureCollection has no features');
  return features.map((feature, i) => {
    const where = type === 'FeatureCollection' ? `feature ${i + 1}` : 'the document';
    const geometry = typeOf(feature) === 'Feature' ? (feature as { geometry?: unknown }).geometry : feature;
    if (typeOf(geometry) !== 'Polygon') {
      throw fail(`${where} is ${describe(geometry)}, not a Polygon: a segment is an area`);
    }
    const coordinates = (geometry as { coordinates?: unknown }).coordinates;
    if (
      !Array.isArray(coordinates) ||
      !coordinates.every((r) => Array.isArray(r) && r.every(Array.isArray))
    ) {
      throw fail(`${where}: coordinates must be rings of [longitude, latitude] positions`);
    }
    const polygon: SegmentPolygon = { type: 'Polygon', coordinates: coordinates as number[][][] };
    const problem = polygonProblem(polygon);
    if (problem) throw fail(`${where}: ${problem}`);
    return { name: nameOf(feature) ?? `segment ${i + 1}`, polygon };
  });
}

const typeOf = (v: unknown) =>
  typeof v === 'object' && v !== null && 'type' in v ? (v as { type: unknown }).type : undefined;

const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function describe(v: unknown): string {
  const type = typeOf(v);
  return typeof type === 'string' ? `a ${type}` : 'not a geometry';
}

function nameOf(feature: unknown): string | undefined {
  const props = (feature as { properties?: unknown }).properties;
  if (typeof props !== 'object' || props === null) return undefined;
  for (const key of ['name', 'title', 'Name']) {
    const v = (props as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}
