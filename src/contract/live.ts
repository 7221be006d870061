import { z } from 'zod';
import { Member, Team } from './members.ts';
import { Position } from './positions.ts';

/**
 * The live channel: every message the server sends on `/api/live`.
 * Logged events carry the team's sequence number `seq`; positions do not
 * (a reconnecting client gets a fresh snapshot of latest positions instead).
 */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('member.added'), seq: z.number(), mode: z.string(), member: Member }),
  z.object({ type: z.literal('member.removed'), seq: z.number(), mode: z.string(), memberId: z.string() }),
  z.object({ type: z.literal('team.updated'), seq: z.number(), mode: z.string(), team: Team }),
  z.object({ type: z.literal('token.revoked'), seq: z.number(), mode: z.string(), memberId: z.string() }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const LiveMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    seq: z.number().describe('the last sequence number included'),
    team: Team,
    members: z.array(Member),
    positions: z.array(Position).describe('latest position of each member'),
  }),
  z.object({ type: z.literal('event'), event: LiveEvent }),
  z.object({ type: z.literal('position'), position: Position }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

export const LiveQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('last sequence number seen'),
  token: z.string().optional().describe('bearer token, for clients that cannot set headers'),
});
