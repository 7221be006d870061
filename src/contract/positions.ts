import { z } from 'zod';
import { DeviceId, Latitude, Longitude, Mode } from './common.ts';

/** A position as every gateway hands it to the positions service, already decoded. */
export const PositionReport = z.object({
  deviceId: DeviceId,
  time: z.date(),
  lat: Latitude,
  lon: Longitude,
  accuracyM: z.number().finite().min(0).max(100_000).optional(),
  altitudeM: z.number().finite().min(-1000).max(100_000).optional(),
  speedMps: z.number().finite().min(0).max(1000).optional(),
  bearingDeg: z.number().finite().min(0).max(360).optional(),
  batteryPct: z.number().finite().min(0).max(100).optional(),
  charging: z.boolean().optional(),
  alarm: z.string().max(64).optional(),
  source: z.enum(['osmand', 'field', 'owntracks', 'cot', 'import', 'aprs', 'meshtastic', 'inreach']),
});
export type PositionReport = z.infer<typeof PositionReport>;

/** What the field page posts: the browser's Geolocation coordinates. */
export const FieldPositionBody = z.object({
  lat: Latitude,
  lon: Longitude,
  time: z.iso.datetime({ offset: true }).describe('when the fix was taken (ISO 8601)'),
  accuracy: z.number().finite().min(0).max(100_000).nullish(),
  altitude: z.number().finite().min(-1000).max(100_000).nullish(),
  speed: z.number().finite().min(0).max(1000).nullish().describe('m/s'),
  heading: z.number().finite().min(0).max(360).nullish(),
  battery: z.number().finite().min(0).max(100).nullish(),
});
export type FieldPositionBody = z.infer<typeof FieldPositionBody>;

/** One stored position, as the API and the live feed send it. */
export const Position = z.object({
  memberId: z.string(),
  time: z.string().describe('ISO 8601'),
  lat: z.number(),
  lon: z.number(),
  accuracy: z.number().nullable(),
  altitude: z.number().nullable(),
  speed: z.number().nullable().describe('m/s'),
  bearing: z.number().nullable(),
  battery: z.number().nullable(),
  alarm: z.string().nullable(),
  source: z.string(),
  mode: Mode,
});
export type Position = z.infer<typeof Position>;

export const LatestFeatureProperties = z.object({
  memberId: z.string(),
  callsign: z.string(),
  name: z.string(),
  time: z.string(),
  accuracy: z.number().nullable(),
  battery: z.number().nullable(),
  speed: z.number().nullable(),
  alarm: z.string().nullable(),
  stale: z.boolean(),
  status: z.enum(['ok', 'stale', 'sos']),
  mode: Mode,
});

export const LatestPositions = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }),
      properties: LatestFeatureProperties,
    }),
  ),
});
export type LatestPositions = z.infer<typeof LatestPositions>;

export const TrailsQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional().describe('default: one hour ago'),
});

export const Trails = z.object({
  trails: z.record(z.string(), z.array(Position)).describe('memberId → positions in time order'),
});
export type Trails = z.infer<typeof Trails>;

export const ExportQuery = z
  .object({
    format: z.enum(['gpx', 'geojson']).default('geojson'),
    memberId: z.string().uuid().optional().describe('one member; default: everyone'),
    operationId: z
      .string()
      .uuid()
      .optional()
      .describe("an operation's trails: its start to its end (or now), its participants (or the whole team)"),
    since: z.iso.datetime({ offset: true }).optional().describe('default: 24 hours before `until`'),
    until: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  })
  .superRefine((q, ctx) => {
    // An operation sets the window itself; a second window would be silently ignored or contradict it.
    for (const field of ['since', 'until'] as const) {
      if (q.operationId && q[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'not allowed with operationId' });
    }
  });
export type ExportQuery = z.infer<typeof ExportQuery>;

/** One member's positions in a time window, for files. */
export interface ExportTrack {
  memberId: string;
  callsign: string;
  points: Array<{ lat: number; lon: number; timeMs: number }>;
}
