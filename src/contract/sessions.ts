import { z } from 'zod';
import { Role } from './common.ts';

export const LinkLoginBody = z.object({ code: z.string().min(10).max(200) });

export const PasswordLoginBody = z.object({
  callsign: z.string().trim().min(1).max(24),
  password: z.string().min(1).max(200),
  team: z.string().trim().max(80).optional(),
});

export const SetPasswordBody = z.object({
  password: z.string().min(8, 'at least 8 characters').max(200),
  currentPassword: z.string().max(200).optional().describe('required when the member has a password already'),
});

export const Me = z.object({
  memberId: z.string(),
  teamId: z.string(),
  team: z.string(),
  callsign: z.string(),
  name: z.string(),
  role: Role,
  hasPassword: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const AdminLoginLinkBody = z.object({
  callsign: z.string().trim().min(1).max(24).optional().describe("default: the team's first leader"),
  team: z.string().trim().max(80).optional(),
});

export const LoginLink = z.object({ url: z.string(), callsign: z.string(), team: z.string() });
export type LoginLink = z.infer<typeof LoginLink>;

export const ClusterStatus = z.object({ node: z.string(), nats: z.enum(['connected', 'disconnected']) });
export type ClusterStatus = z.infer<typeof ClusterStatus>;

export const Health = z.object({
  status: z
    .enum(['ok', 'degraded'])
    .describe('degraded: the server runs but its database does not answer (requests get 503)'),
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
  cluster: ClusterStatus.optional().describe(
    'in clustered mode (HOWL_NATS_URL): this node, and whether it reaches the others',
  ),
});
