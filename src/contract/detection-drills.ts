import { z } from 'zod';
import { Id, Latitude, Longitude } from './common.ts';
import { Area, Operation } from './operations.ts';
import { ResourceType } from './search.ts';

// Detection drills: objects placed at known positions, searchers who walk past them and record which they found;
// the team's sweep width for a resource type is fitted from them (docs/search-planning.md, "Sweep width").

export const DEFAULT_BIN_M = 5;
/** Objects farther than this from a searcher's track are not that searcher's trials (m). */
export const DEFAULT_MAX_RANGE_M = 100;

export const Visibility = z.enum(['high', 'medium', 'low']).describe('of the placed objects');

export const DetectionObjectInput = z.object({
  id: Id.optional().describe('an object of this drill, to keep it (and its records) when replacing objects'),
  label: z.string().trim().min(1).max(80).describe('what searchers see on their phones, e.g. "red glove"'),
  lat: Latitude,
  lon: Longitude,
  notes: z.string().trim().max(2000).default(''),
});
export type DetectionObjectInput = z.input<typeof DetectionObjectInput>;

const Objects = z.array(DetectionObjectInput).max(200);

export const CreateDetectionDrillBody = z.object({
  name: z.string().trim().min(1).max(120),
  scenario: z.string().trim().max(10_000).default(''),
  area: Area.nullish(),
  resourceType: ResourceType,
  searcherIds: z.array(Id).min(1).max(50),
  objects: Objects.default([]),
  binM: z
    .number()
    .finite()
    .positive()
    .max(500)
    .default(DEFAULT_BIN_M)
    .describe('width of the distance bins (m)'),
  maxRangeM: z
    .number()
    .finite()
    .positive()
    .max(2000)
    .default(DEFAULT_MAX_RANGE_M)
    .describe('objects farther than this from a searcher’s track are not counted for that searcher (m)'),
  visibility: Visibility.nullish(),
});
export type CreateDetectionDrillBody = z.input<typeof CreateDetectionDrillBody>;

export const ReplaceObjectsBody = z.object({ objects: Objects });
export type ReplaceObjectsBody = z.input<typeof ReplaceObjectsBody>;

export const RecordFindBody = z.object({
  objectId: Id,
  found: z.boolean(),
  searcherId: Id.optional().describe('defaults to the caller'),
});
export type RecordFindBody = z.input<typeof RecordFindBody>;

export const DetectionDrillParams = z.object({ drillId: Id });

export const DetectionObject = z.object({
  id: z.string(),
  label: z.string(),
  lat: z.number(),
  lon: z.number(),
  notes: z.string(),
});
export type DetectionObject = z.infer<typeof DetectionObject>;

export const DetectionRecord = z.object({
  objectId: z.string(),
  searcherId: z.string(),
  found: z.boolean(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
export type DetectionRecord = z.infer<typeof DetectionRecord>;

/** One object for one searcher; `counted` false when their track never came within `maxRangeM` of it. */
export const DetectionTrialView = z.object({
  searcherId: z.string(),
  objectId: z.string(),
  lateralRangeM: z.number().describe('shortest distance from the object to the searcher’s track (m)'),
  detected: z.boolean(),
  counted: z.boolean(),
});
export type DetectionTrialView = z.infer<typeof DetectionTrialView>;

export const LateralRangeBin = z.object({
  fromM: z.number(),
  toM: z.number(),
  trials: z.number().int(),
  detected: z.number().int(),
});
export type LateralRangeBin = z.infer<typeof LateralRangeBin>;

export const DetectionFit = z.object({
  sweepWidthM: z.number(),
  binM: z.number(),
  bins: z.array(LateralRangeBin),
  trials: z.number().int(),
});
export type DetectionFit = z.infer<typeof DetectionFit>;

export const SearcherTrack = z.object({
  searcherId: z.string(),
  coordinates: z.array(z.tuple([z.number(), z.number()])).describe('[lon, lat], thinned for display'),
});

/**
 * A detection drill: an exercise of type `detection`. Trials are computed from the searchers' positions between
 * STARTEX and ENDEX (or now, while it runs); `fit` is null without counted trials.
 */
export const DetectionDrill = z.object({
  operation: Operation,
  resourceType: z.string(),
  visibility: Visibility.nullable(),
  binM: z.number(),
  maxRangeM: z.number(),
  searcherIds: z.array(z.string()),
  objects: z.array(DetectionObject),
  records: z.array(DetectionRecord),
  trials: z.array(DetectionTrialView),
  tracks: z.array(SearcherTrack),
  fit: DetectionFit.nullable(),
  problems: z.array(z.string()),
});
export type DetectionDrill = z.infer<typeof DetectionDrill>;

export const DetectionDrillSummary = z.object({
  id: z.string(),
  name: z.string(),
  state: Operation.shape.state,
  time: z.string().describe('when the drill started (or was created, before it started)'),
  resourceType: z.string(),
  searcherIds: z.array(z.string()),
  objectCount: z.number().int(),
});
export type DetectionDrillSummary = z.infer<typeof DetectionDrillSummary>;
export const DetectionDrillList = z.object({
  drills: z.array(DetectionDrillSummary).describe('newest first'),
});

/** What a searcher sees on the phone: the labels to look for (never where they are) and what they found. */
export const DetectionSheet = z.object({
  drillId: z.string(),
  name: z.string(),
  state: Operation.shape.state,
  searcherId: z.string(),
  objects: z.array(z.object({ id: z.string(), label: z.string(), found: z.boolean() })),
});
export type DetectionSheet = z.infer<typeof DetectionSheet>;
