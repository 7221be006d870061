import { z } from 'zod';
import { Id, Latitude, Longitude } from './common.ts';

/** A Meshtastic node id as the apps show it: `!` and eight hex digits. */
export const MeshNodeId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^![0-9a-f]{8}$/, 'a Meshtastic node id: ! and eight hex digits, e.g. !a1b2c3d4');

/**
 * A Meshtastic node no member owns, heard through a gateway: its packets are held (never stored) until a
 * leader binds it. Listed only to the team whose enrolment code it sent as a text.
 */
export const MeshPendingNode = z.object({
  nodeId: z.string().describe('the node id (!a1b2c3d4), the device id once approved'),
  name: z.string().nullable().describe('the long name its nodeinfo gave, if any'),
  type: z.string().describe('type of the last packet held (position, text, nodeinfo, telemetry)'),
  gateway: z.string().describe('the gateway node and topic it was heard through'),
  firstAt: z.string().describe('first packet held (ISO 8601)'),
  lastAt: z.string().describe('last packet held (ISO 8601)'),
  count: z.number().int().describe('packets held so far'),
  lastPosition: z
    .object({ lat: Latitude, lon: Longitude, time: z.string() })
    .nullable()
    .describe('where its last position packet put it'),
});
export type MeshPendingNode = z.infer<typeof MeshPendingNode>;

export const MeshPendingList = z.object({ nodes: z.array(MeshPendingNode) });
export type MeshPendingList = z.infer<typeof MeshPendingList>;

export const MeshNodeParams = z.object({ nodeId: MeshNodeId.describe('the held node id') });

export const MeshApproveBody = z.object({
  memberId: Id.describe('the member of your team this node reports for'),
});

export const MeshApproved = z.object({
  nodeId: z.string(),
  memberId: z.string(),
  callsign: z.string(),
});
export type MeshApproved = z.infer<typeof MeshApproved>;
