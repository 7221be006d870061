import { z } from 'zod';

const day = z.iso.date().describe('a calendar day, YYYY-MM-DD');

export const CorrectiveAction = z.object({
  id: z.string(),
  operationId: z.string(),
  text: z.string(),
  ownerId: z.string().nullable(),
  owner: z.string().nullable().describe("the owner's callsign"),
  dueOn: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CorrectiveAction = z.infer<typeof CorrectiveAction>;

/** An operation's hot wash: what went well, what to improve, and the actions that came out of it. */
export const HotWash = z.object({
  operationId: z.string(),
  wentWell: z.string(),
  toImprove: z.string(),
  updatedAt: z.string().nullable().describe('null: not written yet'),
  updatedBy: z.string().nullable().describe("the writer's callsign"),
  actions: z.array(CorrectiveAction),
});
export type HotWash = z.infer<typeof HotWash>;

export const SaveHotWashBody = z
  .object({
    wentWell: z.string().trim().max(20_000).describe('what went well'),
    toImprove: z.string().trim().max(20_000).describe('what to improve'),
  })
  .strict();

export const CreateActionBody = z
  .object({
    text: z.string().trim().min(1).max(2000),
    ownerId: z.string().uuid().nullable().default(null).describe('the member who owns it'),
    dueOn: day.nullable().default(null),
  })
  .strict();

export const UpdateActionBody = z
  .object({
    text: z.string().trim().min(1).max(2000),
    ownerId: z.string().uuid().nullable(),
    dueOn: day.nullable(),
    done: z.boolean().describe('true marks it done, false opens it again'),
  })
  .partial()
  .strict();
export type UpdateActionBody = z.infer<typeof UpdateActionBody>;

export const ActionParams = z.object({ actionId: z.string().uuid() });
export const ActionQuery = z.object({
  open: z.enum(['true', 'false']).optional().describe('true: only those not done yet'),
  ownerId: z.string().uuid().optional(),
});
export const ActionList = z.object({ actions: z.array(CorrectiveAction) });
