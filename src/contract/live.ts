import { z } from 'zod';
import { Alert } from './alerts.ts';
import { Mode } from './common.ts';
import { DeviceNotice } from './device-notices.ts';
import { CalloutResponse, Casualty, Contact, IncidentBoard, RollCall, Subject } from './incidents.ts';
import { Member, Team } from './members.ts';
import { Message } from './messages.ts';
import { Inject, Operation } from './operations.ts';
import { Position } from './positions.ts';

/** What every logged event carries: its place in the team's log and the mode it happened in. */
const EventBase = z.object({
  seq: z.number().int().describe("the event's number in the team's log"),
  mode: Mode,
});

/**
 * The live channel: every message the server sends on `/api/live`.
 * Logged events carry the team's sequence number `seq`; positions do not
 * (a reconnecting client gets a fresh snapshot of latest positions instead).
 */
export const LiveEvent = z.discriminatedUnion('type', [
  EventBase.extend({ type: z.literal('member.added'), member: Member }),
  EventBase.extend({
    type: z.literal('member.updated'),
    member: Member.describe('the member as they now are; device ids are left empty'),
  }),
  EventBase.extend({ type: z.literal('member.removed'), memberId: z.string() }),
  EventBase.extend({ type: z.literal('team.updated'), team: Team }),
  EventBase.extend({ type: z.literal('token.revoked'), memberId: z.string() }),
  EventBase.extend({
    type: z.literal('operation.updated'),
    change: z.enum([
      'created',
      'edited',
      'started',
      'paused',
      'resumed',
      'ended',
      'suspended',
      'opened',
      'closed',
    ]),
    by: z.string().nullable(),
    operation: Operation,
  }),
  EventBase.extend({ type: z.literal('inject.delivered'), operationId: z.string(), inject: Inject }),
  EventBase.extend({
    type: z.literal('alert.updated'),
    change: z.enum(['raised', 'acknowledged', 'cancelled', 'resolved']),
    by: z.string().nullable(),
    alert: Alert,
  }),
  EventBase.extend({ type: z.literal('rollcall.updated'), rollCall: RollCall }),
  EventBase.extend({ type: z.literal('casualty.updated'), casualty: Casualty }),
  EventBase.extend({ type: z.literal('subject.updated'), subject: Subject }),
  EventBase.extend({ type: z.literal('contact.updated'), contact: Contact }),
  EventBase.extend({
    type: z.literal('callout.updated'),
    operationId: z.string(),
    response: CalloutResponse,
  }),
  EventBase.extend({ type: z.literal('message.posted'), message: Message }),
  EventBase.extend({ type: z.literal('device.notice'), notice: DeviceNotice }),
  EventBase.extend({
    type: z.literal('training.updated'),
    change: z.enum(['skills', 'qualifications', 'sessions', 'attendance']),
    by: z.string().nullable(),
  }),
  EventBase.extend({
    type: z.literal('drill.updated'),
    drillId: z.string(),
    change: z.enum(['created', 'updated', 'track', 'find', 'scored']),
    by: z.string().nullable(),
  }),
  EventBase.extend({
    type: z.literal('search.updated'),
    operationId: z.string(),
    change: z.enum(['segment', 'poa', 'assignment']).describe('what of the search plan changed'),
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
  z.object({
    type: z.literal('positions'),
    positions: z
      .array(Position)
      .describe('the positions that arrived within one tick (50 ms), in order: one frame for all of them'),
  }),
  z.object({
    type: z.literal('heartbeat'),
    time: z.string().describe('sent every 10 s: a client that hears nothing for 30 s knows the link is dead'),
  }),
]);
export type LiveMessage = z.infer<typeof LiveMessage>;

export const LiveQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('last sequence number seen'),
  token: z.string().optional().describe('bearer token, for clients that cannot set headers'),
});

/** A frame as single messages: a `positions` frame is its positions one by one, in order. */
export function framesMessages(m: LiveMessage): LiveMessage[] {
  return m.type === 'positions' ? m.positions.map((position) => ({ type: 'position', position })) : [m];
}
