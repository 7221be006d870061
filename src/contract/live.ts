import { z } from 'zod';
import { Alert } from './alerts.ts';
import { DeviceNotice } from './device-notices.ts';
import { CalloutResponse, Casualty, Contact, IncidentBoard, RollCall } from './incidents.ts';
import { Member, Team } from './members.ts';
import { Message } from './messages.ts';
import { Inject, Operation } from './operations.ts';
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
  z.object({
    type: z.literal('operation.updated'),
    seq: z.number(),
    mode: z.string(),
    change: z.enum(['created', 'started', 'paused', 'resumed', 'ended', 'suspended', 'opened', 'closed']),
    by: z.string().nullable(),
    operation: Operation,
  }),
  z.object({
    type: z.literal('inject.delivered'),
    seq: z.number(),
    mode: z.string(),
    operationId: z.string(),
    inject: Inject,
  }),
  z.object({
    type: z.literal('alert.updated'),
    seq: z.number(),
    mode: z.string(),
    change: z.enum(['raised', 'acknowledged', 'cancelled', 'resolved']),
    by: z.string().nullable(),
    alert: Alert,
  }),
  z.object({ type: z.literal('rollcall.updated'), seq: z.number(), mode: z.string(), rollCall: RollCall }),
  z.object({ type: z.literal('casualty.updated'), seq: z.number(), mode: z.string(), casualty: Casualty }),
  z.object({ type: z.literal('contact.updated'), seq: z.number(), mode: z.string(), contact: Contact }),
  z.object({
    type: z.literal('callout.updated'),
    seq: z.number(),
    mode: z.string(),
    operationId: z.string(),
    response: CalloutResponse,
  }),
  z.object({ type: z.literal('message.posted'), seq: z.number(), mode: z.string(), message: Message }),
  z.object({ type: z.literal('device.notice'), seq: z.number(), mode: z.string(), notice: DeviceNotice }),
  z.object({
    type: z.literal('training.updated'),
    seq: z.number(),
    mode: z.string(),
    change: z.enum(['skills', 'qualifications', 'sessions', 'attendance']),
    by: z.string().nullable(),
  }),
  z.object({
    type: z.literal('drill.updated'),
    seq: z.number(),
    mode: z.string(),
    drillId: z.string(),
    change: z.enum(['created', 'updated', 'track', 'find', 'scored']),
    by: z.string().nullable(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const LiveMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    seq: z.number().describe('the last sequence number included'),
    team: Team,
    members: z.array(Member),
    positions: z.array(Position).describe('latest position of each member'),
    operation: Operation.nullable().describe('the active operation'),
    alerts: z.array(Alert).describe('active alerts'),
    board: IncidentBoard.nullable().describe(
      'roll call, casualties, contacts and callout of the active operation',
    ),
  }),
  z.object({
    type: z.literal('alert.reminder'),
    alertId: z.string(),
    memberIds: z.array(z.string()).describe('members who have not acknowledged yet'),
    alert: Alert,
  }),
  z.object({ type: z.literal('event'), event: LiveEvent }),
  z.object({ type: z.literal('position'), position: Position }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

export const LiveQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('last sequence number seen'),
  token: z.string().optional().describe('bearer token, for clients that cannot set headers'),
});
