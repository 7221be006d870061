import { z } from 'zod';
import { MERCATOR_MAX_LAT } from '../domain/tile-area.ts';

/** An area's name: its file is `<data dir>/tiles/<name>.pmtiles`. */
export const AreaName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/i,
    'letters, digits, - and _ only (at most 64), starting with a letter or digit',
  )
  .describe("the area's name, as in its file name");

/** `W,S,E,N` in degrees, as typed on the command line. */
export const BboxText = z
  .string()
  .transform((text, ctx) => {
    const parts = text.split(',').map((p) => p.trim());
    const nums = parts.map(Number);
    if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'four numbers W,S,E,N (degrees) are needed' });
      return z.NEVER;
    }
    return nums as [number, number, number, number];
  })
  .pipe(z.lazy(() => BboxArray));

/**
 * `[W, S, E, N]` in degrees: south < north, within web mercator; west greater than east is a box across the
 * antimeridian (cut as its two parts).
 */
export const BboxArray = z
  .tuple([
    z.number().min(-180).max(180),
    z.number().min(-MERCATOR_MAX_LAT).max(MERCATOR_MAX_LAT),
    z.number().min(-180).max(180),
    z.number().min(-MERCATOR_MAX_LAT).max(MERCATOR_MAX_LAT),
  ])
  .refine(([w, , e]) => w !== e, {
    message: 'west and east must differ (west greater than east crosses the antimeridian)',
  })
  .refine(([, s, , n]) => s < n, { message: 'south must be less than north' })
  .describe(
    '[west, south, east, north] in degrees; latitudes within ±85.0511 (web mercator); west > east crosses the antimeridian',
  );

/** A size in bytes, with an optional K, M or G (powers of 1024). */
export const ByteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*([KMG]i?B?)?$/i, 'a number of bytes, optionally with K, M or G (e.g. 500M)')
  .transform((text) => {
    const m = /^([\d.]+)\s*([KMG])?/i.exec(text) as RegExpExecArray;
    const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase()] ?? 1;
    return Math.floor(Number(m[1]) * unit);
  });

export const TerrainEncoding = z.enum(['terrarium', 'mapbox']);

/** The CLI's `howl tiles extract` options, and the console's request to start one. */
export const ExtractBody = z
  .object({
    bbox: BboxArray,
    maxzoom: z.number().int().min(0).max(22).default(15).describe('the deepest zoom to keep'),
    from: z.string().min(1).max(2048).describe('the source archive: a local path or an http(s) URL'),
    name: AreaName.optional(),
    maxSize: z.number().int().positive().optional().describe('refuse to start above this many bytes'),
    terrain: TerrainEncoding.optional().describe('the elevation encoding, when the source does not say'),
  })
  .strict();
export type ExtractBody = z.infer<typeof ExtractBody>;

/** The console's question before it starts an extract: how big would it be? */
export const ExtractEstimateBody = ExtractBody.pick({ bbox: true, maxzoom: true, from: true, terrain: true });
export type ExtractEstimateBody = z.infer<typeof ExtractEstimateBody>;

/** What an extract would write, read from the source's directories (no tile is fetched). */
export const ExtractEstimate = z.object({
  tiles: z.number().int().describe('tiles addressed'),
  bytes: z.number().int().describe('the size of the archive'),
  minZoom: z.number().int(),
  maxZoom: z.number().int(),
});
export type ExtractEstimate = z.infer<typeof ExtractEstimate>;

export const TileKind = z.enum(['vector', 'terrain', 'raster']);
export type TileKind = z.infer<typeof TileKind>;

/** One prepared area, as the console lists it. */
export const TileAreaView = z.object({
  name: z.string(),
  kind: TileKind,
  bytes: z.number().int(),
  minZoom: z.number().int(),
  maxZoom: z.number().int(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: z.tuple([z.number(), z.number(), z.number()]).describe('[lon, lat, zoom]'),
  tiles: z.number().int().describe('tiles addressed'),
  /** The tile URL template Howl serves, e.g. `/tiles/alps/{z}/{x}/{y}.mvt`. */
  url: z.string(),
  encoding: TerrainEncoding.optional(),
});
export type TileAreaView = z.infer<typeof TileAreaView>;

export const TileAreaList = z.object({ areas: z.array(TileAreaView) });
export type TileAreaList = z.infer<typeof TileAreaList>;

export const AreaParams = z.object({ name: AreaName });

/** A tile's address; `file` is `<y>.<ext>` (`12.mvt`, `12.png`). `@vector` and `@terrain` join every area. */
export const TileParams = z.object({
  name: z.union([z.enum(['@vector', '@terrain']), AreaName]),
  z: z.coerce.number().int().min(0).max(30),
  x: z.coerce.number().int().min(0),
  file: z.string().regex(/^\d+\.(mvt|pbf|png|jpg|webp|avif)$/, 'a row number and a tile extension'),
});

export const ExtractJobId = z.object({ id: z.string().min(1).max(64) });

/** An extract started from the console, while it runs and after. */
export const ExtractJobView = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  tiles: z.number().int(),
  bytes: z.number().int().describe('the estimated size of the archive'),
  bytesDone: z.number().int(),
  minZoom: z.number().int(),
  maxZoom: z.number().int(),
  error: z.string().optional(),
});
export type ExtractJobView = z.infer<typeof ExtractJobView>;
export const ExtractJobList = z.object({ extracts: z.array(ExtractJobView) });
