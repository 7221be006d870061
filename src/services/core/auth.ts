import type { Role } from '../../contract/common.ts';
import { HowlError } from '../../contract/errors.ts';

/** Who is calling: a member (through a console session or a device token) or the local admin (the CLI). */
export type Auth =
  | {
      kind: 'member';
      memberId: string;
      teamId: string;
      role: Role;
      tokenId: string;
      via: 'session' | 'device';
    }
  | { kind: 'admin' };

export type MemberAuth = Extract<Auth, { kind: 'member' }>;

/** How a gateway acts for a member's registered device (no token: the device id was its credential). */
export function deviceAuth(memberId: string, teamId: string, role: Role = 'member'): MemberAuth {
  return { kind: 'member', memberId, teamId, role, tokenId: '', via: 'device' };
}

const forbidden = () => new HowlError(403, 'forbidden', 'not allowed for this team');

/** Any member of the team (or the admin). */
export function requireMember(auth: Auth, teamId: string): void {
  if (auth.kind === 'admin') return;
  if (auth.teamId !== teamId) throw forbidden();
}

/** A leader of the team (or the admin). */
export function requireLeader(auth: Auth, teamId: string): void {
  requireMember(auth, teamId);
  if (auth.kind === 'member' && auth.role !== 'leader') {
    throw new HowlError(403, 'forbidden', 'only a team leader may do this');
  }
}

export function requireAdmin(auth: Auth): void {
  if (auth.kind !== 'admin') throw new HowlError(403, 'forbidden', 'needs the admin secret');
}

/** The calling member; the admin is not a member. */
export function requireSelf(auth: Auth): MemberAuth {
  if (auth.kind !== 'member')
    throw new HowlError(400, 'not_a_member', 'this needs a member token, not the admin');
  return auth;
}
