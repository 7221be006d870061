import type { Kysely } from 'kysely';
import { HowlError, notFound } from '../../contract/errors.ts';
import type { LoginLink, Me } from '../../contract/sessions.ts';
import {
  findMemberByCallsign,
  findMembersByCallsign,
  getMember,
  listMembers,
  type MemberRow,
  setPasswordHash,
} from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import { findTeamByName, getTeam, type TeamRow } from '../../store/teams.repo.ts';
import { revokeMemberTokens, revokeToken } from '../../store/tokens.repo.ts';
import { AttemptLimiter } from '../core/attempt-limiter.ts';
import { type Auth, requireSelf } from '../core/auth.ts';
import { hashPassword, hashToken, verifyPassword } from '../core/secrets.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { TokensService } from './tokens.service.ts';

const badLogin = () => new HowlError(401, 'bad_login', 'wrong callsign or password');

/** Console logins: single-use links, passwords, sessions. */
/** Sign-in attempts per client address and minute: enough for a team behind one gateway, too few to guess. */
export const SIGN_INS_PER_MINUTE = 30;
/** Failed password sign-ins per account (callsign, and team when named) in 15 minutes, from any address. */
export const FAILED_SIGN_INS_PER_ACCOUNT = 10;

/** The limits on signing in, shared by every listener of this node. */
export interface SignInLimits {
  perAddress: AttemptLimiter;
  perAccount: AttemptLimiter;
}

/** The sign-in limits, per minute and address (`signInsPerMinute`) and per account. */
export function signInLimits(signInsPerMinute = SIGN_INS_PER_MINUTE, nowMs?: () => number): SignInLimits {
  return {
    perAddress: new AttemptLimiter(signInsPerMinute, 60_000, nowMs, 'sign-in attempts from this address'),
    perAccount: new AttemptLimiter(
      FAILED_SIGN_INS_PER_ACCOUNT,
      15 * 60_000,
      nowMs,
      'failed sign-ins for this account',
    ),
  };
}

export class SessionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly tokens: TokensService,
    private readonly bus: LiveBus,
    private readonly consoleUrl: () => string,
    private readonly limits: SignInLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async me(auth: Auth): Promise<Me> {
    const self = requireSelf(auth);
    const m = await getMember(this.db, self.memberId);
    const t = await getTeam(this.db, self.teamId);
    if (!m || !t) throw notFound('member');
    return toMe(m, t);
  }

  /** Exchanges a login link's code for a session; the link works once. */
  /** Signs in with a single-use login link; `from` is the client's address, for the limit on attempts. */
  async loginWithLink(code: string, from: string): Promise<{ session: string; me: Me }> {
    this.limits.perAddress.take(from);
    const m = await this.tokens.consumeLoginLink(code);
    if (!m)
      throw new HowlError(
        401,
        'link_invalid',
        'code: this login link is unknown, used or expired; print a new one with `npx howl login-link`',
        { field: 'code' },
      );
    return this.startSession(m);
  }

  async loginWithPassword(
    callsign: string,
    password: string,
    team: string | undefined,
    from: string,
  ): Promise<{ session: string; me: Me }> {
    // Both limits hold whichever door (HTTP or HTTPS) and address the guesses come through.
    this.limits.perAddress.take(from);
    const account = `${callsign.trim().toUpperCase()}\u0000${team?.trim().toLowerCase() ?? ''}`;
    this.limits.perAccount.check(account);
    let candidates: MemberRow[];
    if (team) {
      const t = await findTeamByName(this.db, team);
      const m = t ? await findMemberByCallsign(this.db, t.id, callsign) : undefined;
      candidates = m ? [m] : [];
    } else {
      candidates = await findMembersByCallsign(this.db, callsign);
    }
    for (const m of candidates) {
      if (m.password_hash && (await verifyPassword(password, m.password_hash))) {
        this.limits.perAccount.clear(account);
        return this.startSession(m);
      }
    }
    this.limits.perAccount.take(account);
    throw badLogin();
  }

  /**
   * Sets the caller's password from a console session. Changing an existing one needs the current one, so
   * that a session taken over (or a forged request riding on it) cannot lock the member out of their account.
   */
  async setPassword(auth: Auth, password: string, currentPassword?: string): Promise<Me> {
    const self = requireSelf(auth);
    if (self.via !== 'session')
      throw new HowlError(403, 'forbidden', 'passwords are set from a console session');
    const member = await getMember(this.db, self.memberId);
    if (member?.password_hash) {
      if (!currentPassword)
        throw new HowlError(400, 'invalid_input', 'currentPassword: required to change a password', {
          field: 'currentPassword',
        });
      if (!(await verifyPassword(currentPassword, member.password_hash)))
        throw new HowlError(403, 'wrong_password', 'currentPassword: wrong password', {
          field: 'currentPassword',
        });
    }
    const hash = await hashPassword(password);
    const ended = await this.db.transaction().execute(async (trx) => {
      await setPasswordHash(trx, self.memberId, hash);
      // A new password ends the member's other console sessions (this one stays signed in).
      return revokeMemberTokens(trx, self.memberId, ['session'], this.now(), self.tokenId);
    });
    this.bus.revoked(ended);
    return this.me(auth);
  }

  async logout(session: string): Promise<void> {
    const id = await revokeToken(this.db, hashToken(session), 'session', this.now());
    // Live connections opened with this session close too.
    if (id) this.bus.revoked([id]);
  }

  /** A new single-use console login link for a member of the team (its first leader by default). */
  async createLoginLink(team: TeamRow, callsign?: string): Promise<LoginLink> {
    let m: MemberRow | undefined;
    if (callsign) {
      m = await findMemberByCallsign(this.db, team.id, callsign);
      if (!m)
        throw new HowlError(404, 'not_found', `member: no member ${callsign.toUpperCase()} in ${team.name}`, {
          field: 'member',
        });
    } else {
      const members = await listMembers(this.db, team.id);
      m = members
        .filter((x) => x.role === 'leader')
        .sort((a, b) => +new Date(a.created_at) - +new Date(b.created_at))[0];
      if (!m)
        throw new HowlError(404, 'not_found', `member: ${team.name} has no leader; name one with --member`, {
          field: 'member',
        });
    }
    const code = await this.tokens.issue(this.db, m, 'login');
    return {
      url: `${this.consoleUrl()}/login#code=${encodeURIComponent(code)}`,
      callsign: m.callsign,
      team: team.name,
    };
  }

  private async startSession(m: MemberRow): Promise<{ session: string; me: Me }> {
    const t = await getTeam(this.db, m.team_id);
    if (!t) throw notFound('team');
    const session = await this.tokens.issue(this.db, m, 'session');
    return { session, me: toMe(m, t) };
  }
}

function toMe(m: MemberRow, t: TeamRow): Me {
  return {
    memberId: m.id,
    teamId: t.id,
    team: t.name,
    callsign: m.callsign,
    name: m.name,
    role: m.role,
    hasPassword: m.password_hash !== null,
  };
}
