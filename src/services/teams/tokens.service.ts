import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getMember, type MemberRow } from '../../store/members.repo.ts';
import type { DB, TokenKind } from '../../store/schema.ts';
import { consumeToken, findLiveToken, insertToken } from '../../store/tokens.repo.ts';
import type { MemberAuth } from '../core/auth.ts';
import { hashToken, newSecret } from '../core/secrets.ts';

const PREFIX: Record<TokenKind, string> = { device: 'howl', session: 'hs', login: 'hl' };
const TTL_MS: Record<TokenKind, number | null> = {
  device: null,
  session: 30 * 24 * 3600 * 1000,
  login: 24 * 3600 * 1000,
};

/** Issues and checks the secrets members hold: device tokens, console sessions and login links. */
export class TokensService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new secret of `kind` for the member; only its hash is stored. */
  async issue(db: Kysely<DB>, member: Pick<MemberRow, 'id' | 'team_id'>, kind: TokenKind): Promise<string> {
    const token = newSecret(PREFIX[kind]);
    const ttl = TTL_MS[kind];
    await insertToken(db, {
      id: randomUUID(),
      token_hash: hashToken(token),
      member_id: member.id,
      team_id: member.team_id,
      kind,
      expires_at: ttl === null ? null : new Date(this.now().getTime() + ttl),
    });
    return token;
  }

  /** The member a device token or session belongs to, or undefined when it is unknown, revoked or expired. */
  async authenticate(token: string, kinds: readonly TokenKind[]): Promise<MemberAuth | undefined> {
    const row = await findLiveToken(this.db, hashToken(token), this.now());
    if (!row || !kinds.includes(row.kind)) return undefined;
    return this.toAuth(row.member_id, row.id, row.kind === 'session' ? 'session' : 'device');
  }

  /** Uses up a single-use login link; undefined when it is unknown, used or expired. */
  async consumeLoginLink(code: string): Promise<MemberRow | undefined> {
    const row = await consumeToken(this.db, hashToken(code), 'login', this.now());
    if (!row) return undefined;
    const m = await getMember(this.db, row.member_id);
    return m && !m.removed_at ? m : undefined;
  }

  private async toAuth(
    memberId: string,
    tokenId: string,
    via: 'session' | 'device',
  ): Promise<MemberAuth | undefined> {
    const m = await getMember(this.db, memberId);
    if (!m || m.removed_at) return undefined;
    return { kind: 'member', memberId: m.id, teamId: m.team_id, role: m.role, tokenId, via };
  }
}
