import { z } from 'zod';
import { LatLon } from './common.ts';

// Distance rings around the initial planning point from the team's own lost-person statistics
// (docs/search-planning.md, "Distance rings"). Howl ships no table: the team uploads its CSV.

export const DistanceTableBody = z.object({
  csv: z
    .string()
    .min(1)
    .max(200_000)
    .describe('header "category,p25_km,p50_km,…", then one line per subject category; # starts a comment'),
  source: z.string().trim().min(1).max(200).optional().describe('a name for the table, e.g. the file name'),
});
export type DistanceTableBody = z.input<typeof DistanceTableBody>;

export const DistanceProfile = z.object({
  category: z.string(),
  rings: z.array(
    z.object({
      quantile: z.number().describe('the share of subjects found within the distance (0–1)'),
      distanceM: z.number(),
    }),
  ),
});
export type DistanceProfile = z.infer<typeof DistanceProfile>;

export const DistanceTable = z.object({
  profiles: z.array(DistanceProfile).describe('empty until the team uploads a table'),
  source: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type DistanceTable = z.infer<typeof DistanceTable>;

export const RingsBody = z.object({
  category: z.string().trim().min(1).max(200).describe('a subject category of the team’s table'),
  at: LatLon.describe('the initial planning point'),
});
export type RingsBody = z.input<typeof RingsBody>;

export const RingFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    category: z.string(),
    quantile: z.number(),
    distanceM: z.number(),
    label: z.string().describe('e.g. "50 % within 2.0 km"'),
  }),
  geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
});
export type RingFeature = z.infer<typeof RingFeature>;

export const RingsCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(RingFeature),
});
export type RingsCollection = z.infer<typeof RingsCollection>;
