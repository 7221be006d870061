import { z } from 'zod';
import { polygonProblem } from '../domain/search-coverage.ts';
import { Id, Mode } from './common.ts';

// Search planning: segments of an operation, their probability of area (POA), the searchers assigned to them,
// and the coverage and probability of detection (POD) of the tracks they walked. docs/search-planning.md.

const Probability = z.number().finite().min(0, 'must be within 0–1').max(1, 'must be within 0–1');

/** A GeoJSON Polygon usable as a segment: closed rings, on the globe, not crossing itself. */
export const SegmentPolygon = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z
      .array(z.array(z.array(z.number().finite()).min(2).max(3)).max(2000))
      .min(1)
      .max(20)
      .describe('[longitude, latitude] rings: the outer ring, then holes'),
  })
  .superRefine((p, ctx) => {
    const problem = polygonProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['coordinates'] });
  });
export type SegmentPolygon = z.infer<typeof SegmentPolygon>;

const SegmentName = z.string().trim().min(1).max(80);

export const SegmentBody = z.object({
  name: SegmentName,
  polygon: SegmentPolygon,
});
export type SegmentBody = z.input<typeof SegmentBody>;

export const UpdateSegmentBody = z
  .object({ name: SegmentName.optional(), polygon: SegmentPolygon.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.polygon !== undefined, { message: 'give name or polygon' });
export type UpdateSegmentBody = z.input<typeof UpdateSegmentBody>;

const Weights = z.record(Id, z.number().finite().min(0, 'must not be negative'));

/**
 * The POA, by hand (probabilities per segment; the rest of the world is what is left, or given and then all must
 * sum to 1) or by consensus of planners (each planner's weights, e.g. percentages, normalised and averaged).
 */
export const PoaBody = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('direct'),
    segments: z.record(Id, Probability).describe('segment id → POA (0–1)'),
    restOfWorld: Probability.optional().describe('the rest of the world; default: 1 − the segments’ sum'),
  }),
  z.object({
    method: z.literal('consensus'),
    planners: z
      .array(
        z.object({
          name: z.string().trim().max(80).optional(),
          segments: Weights,
          restOfWorld: z.number().finite().min(0),
        }),
      )
      .min(1)
      .max(20)
      .describe('each planner’s weights per segment and for the rest of the world'),
  }),
]);
export type PoaBody = z.input<typeof PoaBody>;

export const ResourceType = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .describe('e.g. hasty ground, grid ground, K9 air-scent, K9 trailing');

export const AssignmentBody = z.object({
  segmentId: Id,
  memberIds: z.array(Id).min(1).max(50).describe('members or K9s sent to the segment'),
  sortie: z.number().int().min(1).max(1000).optional().describe('default: the segment’s next sortie'),
  resourceType: ResourceType,
  sweepWidthM: z
    .number()
    .finite()
    .positive()
    .max(2000)
    .optional()
    .describe('effective sweep width (m); default: the team’s value for the resource type'),
  startedAt: z.string().datetime({ offset: true }).optional().describe('default: now'),
});
export type AssignmentBody = z.input<typeof AssignmentBody>;

export const SearchAssignment = z.object({
  id: z.string(),
  segmentId: z.string(),
  memberId: z.string(),
  callsign: z.string(),
  sortie: z.number().int(),
  resourceType: z.string(),
  sweepWidthM: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  lengthInsideM: z
    .number()
    .describe('walked inside the segment while assigned (gaps over the stale time left out)'),
});
export type SearchAssignment = z.infer<typeof SearchAssignment>;

export const SortieCoverage = z.object({
  sortie: z.number().int(),
  searchers: z.number().int().describe('assignments in the sortie'),
  startedAt: z.string().describe('when the first searcher was sent'),
  endedAt: z.string().nullable().describe('when the last searcher’s assignment ended; null: in progress'),
  lengthInsideM: z.number(),
  coverage: z.number().describe('C = Σ W·L / A'),
  pod: z.number().describe('1 − e^(−C)'),
});
export type SortieCoverage = z.infer<typeof SortieCoverage>;

export const SearchSegment = z.object({
  id: z.string(),
  operationId: z.string(),
  name: z.string(),
  polygon: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
  areaM2: z.number(),
  poa: z.number().nullable().describe('the POA as planned; null until set'),
  sorties: z.array(SortieCoverage),
  coverage: z.number().describe('the sum of the sorties’ coverage'),
  pod: z.number().describe('the POD of the latest sortie (0 before any)'),
  cumulativePod: z.number().describe('1 − Π(1 − PODᵢ) over the sorties'),
  pos: z.number().nullable().describe('POS = POA × cumulative POD'),
  currentPoa: z.number().nullable().describe('the POA after the searches so far found nothing'),
  assignments: z.array(SearchAssignment),
});
export type SearchSegment = z.infer<typeof SearchSegment>;

export const SearchPlan = z.object({
  operationId: z.string(),
  mode: Mode,
  staleSeconds: z.number().describe('gaps in a track longer than this are not counted as walked'),
  poaMethod: z.enum(['direct', 'consensus']).nullable(),
  restOfWorld: z.number().nullable(),
  currentRestOfWorld: z.number().nullable(),
  segments: z.array(SearchSegment),
});
export type SearchPlan = z.infer<typeof SearchPlan>;

export const OperationSearchParams = z.object({ operationId: Id });
export const SegmentParams = z.object({ segmentId: Id });
export const AssignmentParams = z.object({ assignmentId: Id });

export const EndAssignmentBody = z.object({
  endedAt: z.string().datetime({ offset: true }).optional().describe('default: now'),
});
export type EndAssignmentBody = z.input<typeof EndAssignmentBody>;

export const SortieParams = z.object({
  segmentId: Id,
  sortie: z.coerce.number().int().min(1).max(1000),
});

const DetectionTrial = z.object({
  lateralRangeM: z
    .number()
    .finite()
    .min(0)
    .max(5000)
    .describe('the object’s distance from the searcher’s track (m)'),
  detected: z.boolean(),
});

/**
 * A team's sweep width for a resource type: set by hand, or fitted from a detection drill (objects at known
 * distances from the track, found or not: the lateral range curve), or from measured maximum detection ranges
 * (Koester et al. 2014's field estimate), or pooled from the team's detection drills (contract/detection-drills.ts).
 */
export const SweepWidthBody = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('manual'),
    resourceType: ResourceType,
    sweepWidthM: z.number().finite().positive().max(2000),
  }),
  z.object({
    method: z.literal('lateral_range'),
    resourceType: ResourceType,
    binM: z.number().finite().positive().max(500).default(5).describe('width of the distance bins (m)'),
    trials: z.array(DetectionTrial).min(1).max(10_000),
  }),
  z.object({
    method: z.literal('detection_range'),
    resourceType: ResourceType,
    visibility: z.enum(['high', 'medium', 'low']).describe('of the search object'),
    maxRangesM: z.array(z.number().finite().min(0).max(5000)).min(1).max(1000),
  }),
  z.object({
    method: z.literal('detection_drills'),
    resourceType: ResourceType,
    drillIds: z
      .array(Id)
      .min(1)
      .max(200)
      .optional()
      .describe("the detection drills to pool (default: all the team's ended ones of this resource type)"),
  }),
]);
export type SweepWidthBody = z.input<typeof SweepWidthBody>;

export const SweepWidth = z.object({
  resourceType: z.string(),
  sweepWidthM: z.number(),
  source: z.enum(['manual', 'lateral_range', 'detection_range', 'detection_drills']),
  details: z.unknown().describe('the fit: bins and trials (and the drills pooled), or ranges and factor'),
  updatedAt: z.string(),
});
export type SweepWidth = z.infer<typeof SweepWidth>;

export const SweepWidthList = z.object({ sweepWidths: z.array(SweepWidth) });
