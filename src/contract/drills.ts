import { z } from 'zod';
import { DEFAULT_FIND_RADIUS_M, DEFAULT_TOLERANCE_M } from '../domain/drill-score.ts';
import { Area, CreateExerciseBody, Operation } from './operations.ts';

/** How the trail was laid and what the tracker knew. */
export const TrailType = z.enum(['training', 'double_blind', 'negative', 'line_up']);
export type TrailType = z.infer<typeof TrailType>;

export const Light = z.enum(['day', 'dusk', 'night']);
export type Light = z.infer<typeof Light>;

const text = (max: number) => z.string().trim().max(max).default('');

/** Conditions of a tracking drill, as the trainer records them. */
export const DrillConditions = z.object({
  trailAgeMin: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .nullable()
    .default(null)
    .describe('age of the trail when the tracker starts (minutes)'),
  trailType: TrailType.default('training'),
  terrain: text(200).describe('terrain and surface, e.g. "forest floor, gravel road"'),
  weather: text(200),
  temperatureC: z.number().min(-60).max(60).nullable().default(null),
  windDirectionDeg: z.number().min(0).max(360).nullable().default(null).describe('where the wind comes from'),
  windSpeedMps: z.number().min(0).max(60).nullable().default(null),
  scentArticle: text(200),
  notes: text(5000),
});
export type DrillConditions = z.infer<typeof DrillConditions>;

export const LostSegment = z.object({
  startMs: z.number(),
  endMs: z.number(),
  maxDeviationM: z.number(),
  regained: z.boolean(),
});

/** The scores of one tracker (see src/domain/drill-score.ts for what each measure means). */
export const DrillScore = z.object({
  timeToFindS: z.number().nullable(),
  findTimeMs: z.number().nullable(),
  findSource: z.enum(['given', 'detected']).nullable(),
  trackerStartMs: z.number(),
  trackerEndMs: z.number(),
  trailLengthM: z.number(),
  trackerDistanceM: z.number(),
  distanceRatio: z.number().nullable(),
  toleranceM: z.number(),
  shareFollowed: z.number().min(0).max(1),
  shareFollowedSmooth: z.number().min(0).max(1),
  deviationMeanM: z.number(),
  deviationP95M: z.number(),
  deviationMaxM: z.number(),
  movingS: z.number(),
  stoppedS: z.number(),
  lostSegments: z.array(LostSegment),
});
export type DrillScore = z.infer<typeof DrillScore>;

export const DrillTrackSource = z.enum(['live', 'gpx', 'kml']);

/** A participant's track as stored (the points themselves come from `GET /api/drills/:id/tracks`). */
export const DrillTrackInfo = z.object({
  memberId: z.string(),
  role: z.enum(['runner', 'tracker']),
  source: DrillTrackSource,
  fileName: z.string().nullable(),
  pointCount: z.number().int(),
  startTime: z.string(),
  endTime: z.string(),
});
export type DrillTrackInfo = z.infer<typeof DrillTrackInfo>;

export const DrillFind = z.object({
  trackerId: z.string(),
  time: z.string(),
  source: z.enum(['button', 'detected']),
  recordedBy: z.string().nullable(),
});
export type DrillFind = z.infer<typeof DrillFind>;

/** A tracker's result; `score` is null while a track is missing, `problem` says why it can't be scored. */
export const DrillResult = z.object({
  trackerId: z.string(),
  score: DrillScore.nullable(),
  problem: z.string().nullable(),
  scoredAt: z.string().nullable(),
});
export type DrillResult = z.infer<typeof DrillResult>;

/** A tracking drill: an exercise of type `tracking` with a runner, trackers (people or K9s) and conditions. */
export const Drill = z.object({
  operation: Operation,
  runnerId: z.string().nullable(),
  trackerIds: z.array(z.string()),
  conditions: DrillConditions,
  light: Light.nullable().describe('computed with suncalc from where and when the trail starts'),
  sunElevationDeg: z.number().nullable(),
  toleranceM: z.number(),
  findRadiusM: z.number(),
  recorded: z.boolean().describe('recorded afterwards from uploaded files rather than run live'),
  skillIds: z.array(z.string()),
  tracks: z.array(DrillTrackInfo),
  finds: z.array(DrillFind),
  results: z.array(DrillResult),
});
export type Drill = z.infer<typeof Drill>;

export const DrillSummary = z.object({
  id: z.string(),
  name: z.string(),
  state: Operation.shape.state,
  recorded: z.boolean(),
  time: z.string().describe('when the drill started (or was created, before it started)'),
  runnerId: z.string().nullable(),
  trackerIds: z.array(z.string()),
  light: Light.nullable(),
  bestShareFollowed: z.number().nullable(),
});
export type DrillSummary = z.infer<typeof DrillSummary>;
export const DrillList = z.object({ drills: z.array(DrillSummary).describe('newest first') });

export const CreateDrillBody = z.object({
  name: z.string().trim().min(1).max(120),
  scenario: z.string().trim().max(10_000).default(''),
  area: Area.nullish(),
  runnerId: z.string().uuid(),
  trackerIds: z.array(z.string().uuid()).min(1).max(20),
  conditions: DrillConditions.default(DrillConditions.parse({})),
  toleranceM: z.number().min(1).max(500).default(DEFAULT_TOLERANCE_M),
  findRadiusM: z.number().min(1).max(500).default(DEFAULT_FIND_RADIUS_M),
  skillIds: z.array(z.string().uuid()).max(50).default([]),
  others: z
    .array(
      z.object({
        memberId: z.string().uuid(),
        role: z.enum(['opposing_force', 'controller', 'observer']),
      }),
    )
    .max(100)
    .default([])
    .describe("the drill's other participants: opposing force, controller, observers"),
  injects: CreateExerciseBody.shape.injects,
  recorded: z
    .boolean()
    .default(false)
    .describe('true: the drill already happened; its tracks will be uploaded as GPX/KML files'),
});
export type CreateDrillBody = z.input<typeof CreateDrillBody>;

export const UpdateDrillBody = z.object({
  conditions: DrillConditions.optional().describe(
    'the conditions as a whole: fields left out take their defaults',
  ),
  toleranceM: z.number().min(1).max(500).optional(),
  findRadiusM: z.number().min(1).max(500).optional(),
  skillIds: z.array(z.string().uuid()).max(50).optional(),
});

export const DrillParams = z.object({ drillId: z.string().uuid() });
export const UploadTrackQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe('the uploaded file’s name, kept with the track'),
});

export const DrillTrackParams = z.object({ drillId: z.string().uuid(), memberId: z.string().uuid() });

export const FindBody = z.object({
  trackerId: z.string().uuid().optional().describe('defaults to the caller'),
  time: z.string().datetime({ offset: true }).optional().describe('defaults to now'),
});

/** The drill's trails for the map: one LineString per participant, thinned for display. */
export const DrillTracks = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({
        type: z.literal('LineString'),
        coordinates: z.array(z.tuple([z.number(), z.number()])),
      }),
      properties: z.object({
        memberId: z.string(),
        callsign: z.string(),
        role: z.enum(['runner', 'tracker']),
        times: z.array(z.number()).describe('epoch ms of each coordinate'),
      }),
    }),
  ),
});
export type DrillTracks = z.infer<typeof DrillTracks>;

/** One drill in a member's progress: the scores charted over time. */
export const ProgressPoint = z.object({
  drillId: z.string(),
  name: z.string(),
  time: z.string(),
  shareFollowed: z.number(),
  shareFollowedSmooth: z.number(),
  meanDeviationM: z.number(),
  timeToFindS: z.number().nullable(),
});
export type ProgressPoint = z.infer<typeof ProgressPoint>;

export const ProgressMeasure = z.enum(['shareFollowed', 'meanDeviationM', 'timeToFindS']);
export type ProgressMeasure = z.infer<typeof ProgressMeasure>;

/** Trend: least-squares slope per 30 days; best: the personal best (highest share, lowest deviation/time). */
export const MeasureSummary = z.object({
  measure: ProgressMeasure,
  best: z.object({ drillId: z.string(), time: z.string(), value: z.number() }).nullable(),
  trendPer30Days: z.number().nullable(),
  improving: z.boolean().nullable(),
});

export const Progress = z.object({
  memberId: z.string(),
  skillId: z.string().nullable(),
  points: z.array(ProgressPoint).describe('oldest first'),
  measures: z.array(MeasureSummary),
});
export type Progress = z.infer<typeof Progress>;

export const ProgressQuery = z.object({ skillId: z.string().uuid().optional() });
