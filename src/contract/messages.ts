import { z } from 'zod';
import { Id, LatLon, Mode } from './common.ts';

export const MESSAGE_MAX_CHARS = 2000;

/** Where a message was written: the console, the field page, a TAK client (GeoChat), or Howl itself. */
export const MessageSource = z.enum(['console', 'field', 'tak', 'system', 'meshtastic', 'inreach']);
export type MessageSource = z.infer<typeof MessageSource>;

export const Message = z.object({
  id: z.string(),
  teamId: z.string(),
  senderId: z.string().nullable().describe('member who wrote it; null when Howl did'),
  senderCallsign: z.string().describe('callsign of the sender, or "HOWL"'),
  text: z.string().describe('as written: clients add the EXERCISE prefix or the REAL headline by mode'),
  mode: Mode.describe("the team's mode when it was sent"),
  operationId: z.string().nullable(),
  time: z.string(),
  source: MessageSource,
  position: LatLon.nullable().describe('where the sender was, when the client said'),
});
export type Message = z.infer<typeof Message>;

export const MessageText = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(MESSAGE_MAX_CHARS, `at most ${MESSAGE_MAX_CHARS} characters`);

export const PostMessageBody = z
  .object({
    text: MessageText,
    position: LatLon.optional(),
    teamId: Id.optional().describe("the caller's team (optional; another team is refused)"),
  })
  .strict();
export type PostMessageBody = z.infer<typeof PostMessageBody>;

export const MessageQuery = z
  .object({
    before: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('only messages sent before this time (the `time` of the oldest message seen)'),
    beforeId: Id.optional().describe('with `before`: the id of that message, to page exactly'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    teamId: Id.optional(),
  })
  .strict();
export type MessageQuery = z.infer<typeof MessageQuery>;

export const MessageList = z.object({
  messages: z.array(Message).describe('newest first'),
  next: z
    .object({ before: z.string(), beforeId: z.string() })
    .nullable()
    .describe('the query for the next (older) page; null when there is none'),
});
export type MessageList = z.infer<typeof MessageList>;
