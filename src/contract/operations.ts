import { z } from 'zod';
import { OPERATION_ACTIONS, OPERATION_KINDS, OPERATION_STATES } from '../domain/vocabulary.ts';
import { LatLon, Mode } from './common.ts';

export const OperationKind = z.enum(OPERATION_KINDS);
export type OperationKind = z.infer<typeof OperationKind>;

/**
 * `tracking`: a runner-and-tracker drill (see contract/drills.ts); `detection`: searchers walk past placed objects
 * (see contract/detection-drills.ts); `general`: any other exercise or incident.
 */
export const OperationType = z.enum(['general', 'tracking', 'detection']);
export type OperationType = z.infer<typeof OperationType>;

/** See OPERATION_STATES (src/domain/vocabulary.ts) for the lifecycle. */
export const OperationState = z.enum(OPERATION_STATES);
export type OperationState = z.infer<typeof OperationState>;

export const ParticipantRole = z.enum([
  'runner',
  'tracker',
  'searcher',
  'opposing_force',
  'controller',
  'observer',
]);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

/** A polygon ring of at least three distinct points (closing point optional). */
export const Area = z.array(LatLon).min(3).max(500).describe('exercise area: polygon ring');
export type Area = z.infer<typeof Area>;

export const Participant = z.object({ memberId: z.string().uuid(), role: ParticipantRole });
export type Participant = z.infer<typeof Participant>;

export const Inject = z.object({
  id: z.string(),
  offsetS: z.number().int().describe('seconds after STARTEX'),
  message: z.string(),
  deliveredAt: z.string().nullable(),
});
export type Inject = z.infer<typeof Inject>;

export const Operation = z.object({
  id: z.string(),
  kind: OperationKind,
  type: OperationType.default('general'),
  name: z.string(),
  scenario: z.string(),
  area: Area.nullable(),
  state: OperationState,
  mode: Mode.describe('exercise for exercises, real for incidents'),
  participants: z.array(Participant),
  injects: z.array(Inject),
  escalatedFrom: z.string().nullable().describe('the exercise this incident interrupted'),
  escalatedTo: z.string().nullable().describe('the incident that suspended this exercise'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  pausedAt: z.string().nullable(),
  pausedBy: z.string().nullable().describe('member who called the safety time-out'),
  /** Seconds of play before the current run began (pauses do not count). */
  playedS: z.number(),
  closeOverride: z.string().nullable().describe('reason given to close with members unaccounted'),
  summary: z.string().nullable(),
});
export type Operation = z.infer<typeof Operation>;

const ExerciseName = z.string().trim().min(1).max(120);
const Scenario = z.string().trim().max(10_000);
const Participants = z.array(Participant).max(500);
const PlannedInjects = z
  .array(
    z.object({
      offsetS: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400),
      message: z.string().trim().min(1).max(2000),
    }),
  )
  .max(200);

export const CreateExerciseBody = z.object({
  name: ExerciseName,
  scenario: Scenario.default(''),
  area: Area.nullish(),
  participants: Participants.default([]),
  injects: PlannedInjects.default([]),
});
export type CreateExerciseBody = z.input<typeof CreateExerciseBody>;

/** Changes to a planned exercise: each field given replaces the old one whole (participants, injects). */
export const UpdateExerciseBody = z
  .object({
    name: ExerciseName.optional(),
    scenario: Scenario.optional(),
    area: Area.nullable().optional(),
    participants: Participants.optional(),
    injects: PlannedInjects.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: give name, scenario, area, participants or injects',
  });
export type UpdateExerciseBody = z.infer<typeof UpdateExerciseBody>;

export const InjectParams = z.object({ operationId: z.string().uuid(), injectId: z.string().uuid() });

export const OperationAction = z.enum(OPERATION_ACTIONS);
export type OperationAction = z.infer<typeof OperationAction>;

export const OperationActionBody = z.object({ action: OperationAction });

export const EscalateBody = z.object({
  reason: z.string().trim().min(1).max(2000).describe('what is happening, in a few words'),
  position: LatLon.optional(),
});

export const CalloutBody = z.object({
  name: z.string().trim().min(1).max(120),
  reason: z.string().trim().max(2000).default(''),
  position: LatLon.optional(),
});

export const CloseIncidentBody = z.object({
  summary: z.string().trim().max(20_000).default(''),
  override: z
    .string()
    .trim()
    .min(3)
    .max(2000)
    .optional()
    .describe('reason to close with members unaccounted'),
});

export const OperationParams = z.object({ operationId: z.string().uuid() });

export const OperationList = z.object({
  active: Operation.nullable(),
  operations: z.array(Operation).describe('newest first'),
});
