import { z } from 'zod';
import { CLOCK_STYLES } from '../domain/time-format.ts';
import { Callsign, DeviceId, LatLon, Role } from './common.ts';

/** A person, or a K9 (an animal member, always with its handler). */
export const MemberKind = z.enum(['person', 'animal']);
export type MemberKind = z.infer<typeof MemberKind>;

export const AddMemberBody = z.object({
  name: z.string().trim().min(1).max(80),
  callsign: Callsign,
  device: DeviceId.optional().describe('omit to generate an unguessable device id'),
  role: Role.default('member'),
  kind: MemberKind.default('person').describe('animal: a K9, recorded with its handler'),
  handlerId: z
    .string()
    .uuid()
    .optional()
    .describe("a K9's handler: a person of the same team; required for an animal"),
});
export type AddMemberBody = z.input<typeof AddMemberBody>;

/** The admin (CLI) form also names the team. */
export const AdminAddMemberBody = AddMemberBody.extend({
  team: z.string().trim().min(1).max(80).optional(),
  handler: Callsign.optional().describe("a K9's handler by callsign (instead of handlerId)"),
});
export type AdminAddMemberBody = z.input<typeof AdminAddMemberBody>;

export const AddedMember = z.object({
  memberId: z.string(),
  teamId: z.string(),
  team: z.string(),
  name: z.string(),
  callsign: z.string(),
  role: Role,
  kind: MemberKind.optional(),
  handlerId: z.string().nullable().optional(),
  device: z.string(),
  token: z.string().describe('bearer token for the API and the field page; shown once'),
});
export type AddedMember = z.infer<typeof AddedMember>;

export const Member = z.object({
  id: z.string(),
  name: z.string(),
  callsign: z.string(),
  role: Role,
  devices: z
    .array(z.string())
    .describe('device ids (credentials): shown only to leaders and to the member themself, else empty'),
  hasPassword: z.boolean(),
  createdAt: z.string(),
  kind: MemberKind.optional().describe('absent: a person'),
  handlerId: z.string().nullable().optional().describe("a K9's handler"),
});
export type Member = z.infer<typeof Member>;

export const MemberList = z.object({ members: z.array(Member) });
export type MemberList = z.infer<typeof MemberList>;

/** A leader's change to a member: only the fields given change. */
export const UpdateMemberBody = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    callsign: Callsign.optional(),
    role: Role.optional(),
    handlerId: z.string().uuid().optional().describe("a K9's new handler: a person of the same team"),
    devices: z
      .array(DeviceId)
      .max(10)
      .optional()
      .describe(
        "the member's device ids, all of them: ids not listed stop working at once, new ones are registered",
      ),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: give name, callsign, role, handlerId or devices',
  });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const MemberParams = z.object({ memberId: z.string().uuid() });
export const DeviceParams = MemberParams.extend({ deviceId: DeviceId });

export const RotatedDevice = z.object({
  memberId: z.string(),
  device: z.string().describe('the new device id, to set in the app; the old one no longer works'),
});
export type RotatedDevice = z.infer<typeof RotatedDevice>;

/** A freshly issued token and how to connect each kind of client. */
export const Connection = z.object({
  memberId: z.string(),
  callsign: z.string(),
  token: z.string(),
  fieldUrl: z.string().describe('field page link, carrying the token'),
  osmandUrl: z.string().describe('Traccar Client server URL'),
  device: z.string(),
  fieldQr: z.string().describe('SVG of the field page link'),
  osmandQr: z
    .string()
    .describe(
      "SVG of the Traccar Client settings (server URL, device id, accuracy, interval) for the app's QR scanner",
    ),
});
export type Connection = z.infer<typeof Connection>;

export const Team = z.object({
  id: z.string(),
  name: z.string(),
  base: LatLon.nullable(),
  staleSeconds: z.number().int(),
  separationM: z.number().int().describe('a member farther than this from every other is separated'),
  alertResendS: z.number().int().describe('real alerts are sent again this often until acknowledged'),
  sosCountdownS: z.number().int().describe('seconds to cancel an accidental SOS press; 0: none'),
  rollCallDeadlineS: z.number().int().describe('members who have not answered by then are unaccounted'),
  rollCallRepeatS: z.number().int().describe('remind the leader to repeat the roll call after this long'),
  manDownMinutes: z
    .number()
    .int()
    .nullable()
    .describe('no movement for this long raises man-down; null: off'),
  clock: z.enum(CLOCK_STYLES).describe('times on every page: 24-hour (14:05) or 12-hour (2:05 PM)'),
  keepPositionsDays: z
    .number()
    .int()
    .nullable()
    .describe('`howl prune` removes positions older than this many days; null: keep everything'),
});
export type Team = z.infer<typeof Team>;

export const TeamSettingsBody = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  base: LatLon.nullable().optional(),
  staleSeconds: z.number().int().min(10).max(86_400).optional(),
  separationM: z.number().int().min(10).max(100_000).optional(),
  alertResendS: z.number().int().min(5).max(3600).optional(),
  sosCountdownS: z.number().int().min(0).max(60).optional(),
  rollCallDeadlineS: z.number().int().min(30).max(3600).optional(),
  rollCallRepeatS: z
    .number()
    .int()
    .min(60)
    .max(24 * 3600)
    .optional(),
  manDownMinutes: z.number().int().min(1).max(240).nullable().optional(),
  clock: z.enum(CLOCK_STYLES).optional(),
  keepPositionsDays: z.number().int().min(1).max(36_500).nullable().optional(),
});
export type TeamSettingsBody = z.infer<typeof TeamSettingsBody>;
