import { z } from 'zod';
import { ROLL_CALL_STATUSES } from '../domain/vocabulary.ts';
import { LatLon } from './common.ts';

export const RollCallStatus = z.enum(ROLL_CALL_STATUSES);
export type RollCallStatus = z.infer<typeof RollCallStatus>;

export const RollCallAnswer = z.object({
  memberId: z.string(),
  status: RollCallStatus,
  reportedBy: z.string().describe('the member who answered (themselves or another)'),
  time: z.string(),
});
export type RollCallAnswer = z.infer<typeof RollCallAnswer>;

export const RollCall = z.object({
  id: z.string(),
  operationId: z.string(),
  startedAt: z.string(),
  startedBy: z.string().nullable(),
  deadlineAt: z.string(),
  memberIds: z.array(z.string()).describe('who must be accounted for'),
  answers: z.array(RollCallAnswer).describe('latest answer per member'),
});
export type RollCall = z.infer<typeof RollCall>;

export const AnswerRollCallBody = z.object({
  status: RollCallStatus,
  memberId: z.string().uuid().optional().describe('answer for another member (default: yourself)'),
});

export const Triage = z.enum(['green', 'yellow', 'red']);
export type Triage = z.infer<typeof Triage>;

export const CareEntry = z.object({
  time: z.string(),
  authorId: z.string(),
  author: z.string(),
  text: z.string(),
});

export const Casualty = z.object({
  id: z.string(),
  operationId: z.string(),
  memberId: z.string().nullable().describe('the member hurt; null when it is the subject of the search'),
  subjectId: z.string().nullable().describe('the subject of the search, when it is them'),
  subjectName: z.string().nullable().describe("the subject's name, when it is them"),
  triage: Triage,
  injuries: z.string(),
  careLog: z.array(CareEntry),
  evacuatedAt: z.string().nullable(),
  recoveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Casualty = z.infer<typeof Casualty>;

export const CasualtyBody = z
  .object({
    memberId: z.string().uuid().optional().describe('a member of the team'),
    subjectId: z.string().uuid().optional().describe('or the subject of the search'),
    triage: Triage,
    injuries: z.string().trim().max(2000).default(''),
  })
  .refine((b) => (b.memberId === undefined) !== (b.subjectId === undefined), {
    message: 'give memberId or subjectId (one of them)',
    path: ['memberId'],
  });

/**
 * What is known of the subject of a search: missing, located (seen, not reached), with the team, evacuated,
 * or stood down (found safe elsewhere, search called off).
 */
export const SubjectStatus = z.enum(['missing', 'located', 'with_team', 'evacuated', 'stood_down']);
export type SubjectStatus = z.infer<typeof SubjectStatus>;

export const Subject = z.object({
  id: z.string(),
  operationId: z.string(),
  name: z.string(),
  description: z.string().describe('age, clothing, health, habits: what helps to find them'),
  status: SubjectStatus,
  lastKnown: LatLon.nullable().describe('last known position'),
  lastSeenAt: z.string().nullable().describe('when they were last seen there'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subject = z.infer<typeof Subject>;

const SubjectName = z.string().trim().min(1).max(120);
const SubjectDescription = z.string().trim().max(5000);
const SeenAt = z.string().datetime({ offset: true });

export const SubjectBody = z.object({
  name: SubjectName,
  description: SubjectDescription.default(''),
  status: SubjectStatus.default('missing'),
  lastKnown: LatLon.optional(),
  lastSeenAt: SeenAt.optional(),
});
export type SubjectBody = z.input<typeof SubjectBody>;

export const UpdateSubjectBody = z
  .object({
    name: SubjectName.optional(),
    description: SubjectDescription.optional(),
    status: SubjectStatus.optional(),
    lastKnown: LatLon.nullable().optional(),
    lastSeenAt: SeenAt.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: give name, description, status, lastKnown or lastSeenAt',
  });
export type UpdateSubjectBody = z.infer<typeof UpdateSubjectBody>;

export const SubjectParams = z.object({ subjectId: z.string().uuid() });
export const SubjectList = z.object({ subjects: z.array(Subject) });
export const SubjectQuery = z.object({
  operationId: z.string().uuid().optional().describe('default: the active operation'),
});

export const UpdateCasualtyBody = z.object({
  triage: Triage.optional(),
  injuries: z.string().trim().max(2000).optional(),
  care: z.string().trim().min(1).max(2000).optional().describe('a care log entry'),
  evacuated: z.literal(true).optional(),
  recovered: z.literal(true).optional(),
});

export const Contact = z.object({
  id: z.string(),
  operationId: z.string().nullable(),
  count: z.number().int(),
  withdrawn: z.number().int(),
  position: LatLon.nullable(),
  direction: z.string().nullable(),
  text: z.string(),
  reportedBy: z.string(),
  time: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

export const UpdateContactBody = z.object({
  count: z.number().int().min(0).max(10_000).optional(),
  withdrawn: z.number().int().min(0).max(10_000).optional(),
  position: LatLon.optional(),
  text: z.string().trim().max(2000).optional(),
});

export const CalloutStatus = z.enum(['responding', 'arrived', 'unavailable']);
export const CalloutResponse = z.object({
  memberId: z.string(),
  status: CalloutStatus,
  etaMinutes: z.number().int().nullable(),
  time: z.string(),
});
export type CalloutResponse = z.infer<typeof CalloutResponse>;

export const CalloutResponseBody = z.object({
  status: CalloutStatus,
  etaMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
});

export const IncidentBoard = z.object({
  rollCall: RollCall.nullable().describe('the latest roll call of the operation'),
  casualties: z.array(Casualty),
  subjects: z.array(Subject).default([]).describe('who is being searched for'),
  contacts: z.array(Contact),
  callout: z.array(CalloutResponse),
});
export type IncidentBoard = z.infer<typeof IncidentBoard>;

export const CasualtyParams = z.object({ casualtyId: z.string().uuid() });
export const ContactParams = z.object({ contactId: z.string().uuid() });

export const ContactList = z.object({ contacts: z.array(Contact).describe('newest first') });
