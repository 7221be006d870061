import { z } from 'zod';

/** Who a skill is for: everyone, people only, or K9s only. */
export const SkillAppliesTo = z.enum(['all', 'person', 'animal']);
export type SkillAppliesTo = z.infer<typeof SkillAppliesTo>;

/** An entry of the team's skills catalogue (crossbow, first aid, navigation, trailing, …). */
export const Skill = z.object({
  id: z.string(),
  name: z.string(),
  required: z.boolean().describe('a current qualification in it is needed to be field-ready'),
  appliesTo: SkillAppliesTo,
  validityMonths: z.number().int().nullable().describe('how long a sign-off stays valid; null: no expiry'),
});
export type Skill = z.infer<typeof Skill>;

export const SkillList = z.object({ skills: z.array(Skill) });
export type SkillList = z.infer<typeof SkillList>;

const skillFields = {
  name: z.string().trim().min(1).max(80),
  required: z.boolean(),
  appliesTo: SkillAppliesTo.describe('who the skill is for, and required of when `required`'),
  validityMonths: z.number().int().min(1).max(240).nullable(),
};
export const CreateSkillBody = z.object({
  name: skillFields.name,
  required: skillFields.required.default(false),
  appliesTo: skillFields.appliesTo.default('all'),
  validityMonths: skillFields.validityMonths.default(null),
});
/** Only the fields given change (no defaults here). */
export const UpdateSkillBody = z.object(skillFields).partial();
export const SkillParams = z.object({ skillId: z.string().uuid() });

export const QualificationStatus = z.enum(['current', 'expiring', 'expired']);
export type QualificationStatus = z.infer<typeof QualificationStatus>;

/** A member's sign-off in a skill by an instructor (a leader), with its date and expiry. */
export const Qualification = z.object({
  id: z.string(),
  memberId: z.string(),
  skillId: z.string(),
  skillName: z.string(),
  signedOffBy: z.string(),
  signedOffByCallsign: z.string(),
  signedAt: z.string(),
  expiresAt: z.string().nullable(),
  note: z.string(),
  status: QualificationStatus.describe('expiring: within the next 30 days'),
});
export type Qualification = z.infer<typeof Qualification>;

const isoDate = z.string().datetime({ offset: true }).or(z.string().date());

export const AddQualificationBody = z.object({
  skillId: z.string().uuid(),
  signedAt: isoDate.optional().describe('defaults to now'),
  expiresAt: isoDate
    .nullable()
    .optional()
    .describe("defaults to signedAt + the skill's validity; null: no expiry"),
  note: z.string().trim().max(2000).default(''),
});
export const QualificationParams = z.object({ qualificationId: z.string().uuid() });

/** What a member took part in: an exercise, a tracking or detection drill, an incident or a training session. */
export const Attended = z.object({
  kind: z.enum(['exercise', 'drill', 'detection_drill', 'incident', 'session']),
  id: z.string(),
  name: z.string(),
  role: z.string().describe('runner, tracker, searcher, …; "present" for a session'),
  start: z.string(),
  end: z.string().nullable(),
  hours: z.number(),
  shareFollowed: z.number().nullable().describe("a tracker's share of the trail followed"),
  skillIds: z.array(z.string()),
});
export type Attended = z.infer<typeof Attended>;

export const SkillPractice = z.object({
  skillId: z.string(),
  name: z.string(),
  times: z.number().int(),
  hours: z.number(),
  last: z.string().nullable(),
});

export const MemberRecord = z.object({
  memberId: z.string(),
  callsign: z.string(),
  name: z.string(),
  kind: z.enum(['person', 'animal']),
  handlerId: z.string().nullable(),
  fieldReady: z.boolean(),
  notReadyBecause: z.array(z.string()).describe('e.g. "First aid expired on 2026-10-01"'),
  qualifications: z.array(Qualification),
  attended: z.array(Attended).describe('newest first'),
  hoursTotal: z.number(),
  skills: z.array(SkillPractice),
});
export type MemberRecord = z.infer<typeof MemberRecord>;

/** Who is qualified for what, what expires soon, and hours per member per month. */
export const Readiness = z.object({
  skills: z.array(Skill),
  members: z.array(
    z.object({
      memberId: z.string(),
      callsign: z.string(),
      kind: z.enum(['person', 'animal']),
      fieldReady: z.boolean(),
      notReadyBecause: z.array(z.string()),
      qualifications: z.array(Qualification).describe('the latest sign-off per skill'),
    }),
  ),
  expiringSoon: z
    .array(Qualification)
    .describe('current qualifications expiring within 30 days, soonest first'),
  hours: z.object({
    months: z.array(z.string()).describe('YYYY-MM, oldest first'),
    rows: z.array(
      z.object({ memberId: z.string(), callsign: z.string(), hours: z.array(z.number()), total: z.number() }),
    ),
  }),
});
export type Readiness = z.infer<typeof Readiness>;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
export const HoursQuery = z.object({
  from: month.optional().describe('first month, default: 11 months before this one'),
  to: month.optional().describe('last month, default: this one'),
});

export const AttendanceStatus = z.enum(['present', 'absent', 'excused']);
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;

/** A scheduled training session in the team's calendar. */
export const TrainingSession = z.object({
  id: z.string(),
  title: z.string(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  notes: z.string(),
  skillIds: z.array(z.string()),
  cancelled: z.boolean(),
  attendance: z.array(z.object({ memberId: z.string(), status: AttendanceStatus })),
});
export type TrainingSession = z.infer<typeof TrainingSession>;

export const TrainingSessionList = z.object({ sessions: z.array(TrainingSession).describe('by start time') });
export type TrainingSessionList = z.infer<typeof TrainingSessionList>;

const sessionFields = {
  title: z.string().trim().min(1).max(120),
  place: z.string().trim().max(200),
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string().datetime({ offset: true }).describe('after startsAt'),
  notes: z.string().trim().max(5000),
  skillIds: z.array(z.string().uuid()).max(50).describe('skills practised, from the catalogue'),
};
export const CreateTrainingSessionBody = z.object({
  ...sessionFields,
  place: sessionFields.place.default(''),
  notes: sessionFields.notes.default(''),
  skillIds: sessionFields.skillIds.default([]),
});
/** Only the fields given change (no defaults here); `cancelled: true` cancels, false reinstates. */
export const UpdateTrainingSessionBody = z.object({ ...sessionFields, cancelled: z.boolean() }).partial();
export const TrainingSessionParams = z.object({ sessionId: z.string().uuid() });
export const TrainingSessionQuery = z.object({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
});

export const AttendanceBody = z.object({
  entries: z
    .array(z.object({ memberId: z.string().uuid(), status: AttendanceStatus }))
    .min(1)
    .max(500),
});
