import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LiveMessage } from '../../contract/live.ts';
import { getMember, type MemberRow } from '../../store/members.repo.ts';
import type { DB, TokenKind } from '../../store/schema.ts';
import { consumeToken, findLiveToken, insertToken } from '../../store/tokens.repo.ts';
import type { MemberAuth } from '../core/auth.ts';
import { hashToken, newSecret } from '../core/secrets.ts';
import type { LiveBus } from '../live/live-bus.ts';

const PREFIX: Record<TokenKind, string> = { device: 'howl', session: 'hs', login: 'hl' };
const TTL_MS: Record<TokenKind, number | null> = {
  device: null,
  session: 30 * 24 * 3600 * 1000,
  login: 24 * 3600 * 1000,
};

/**
 * How long a checked token is trusted without asking the database again. A revocation, or a change or removal of
 * its member, on any node, forgets it at once (see `follow`); this bounds what a missed message could cost.
 */
const TRUST_MS = 60_000;
const MAX_TRUSTED = 50_000;

interface Trusted {
  readonly auth: MemberAuth;
  readonly kind: TokenKind;
  readonly until: number;
}

/**
 * Issues and checks the secrets members hold: device tokens, console sessions and login links. Every request with
 * a token is checked here, so a token found live is trusted for a while (keyed by its hash), instead of two reads
 * a request.
 */
export class TokensService {
  private readonly trusted = new Map<string, Trusted>();
  /** Bumped on every revocation or member change, so a check that raced one is not trusted. */
  private generation = 0;
  private bus: LiveBus | null = null;
  /** Teams whose live messages (member changes, from any node) this follows. */
  private readonly following = new Map<string, () => void>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Forgets trusted tokens as they are revoked, and their members' as those change, on any node. */
  follow(bus: LiveBus): () => void {
    this.bus = bus;
    const stop = bus.onRevoked((tokenIds) => this.forget((t) => tokenIds.includes(t.auth.tokenId)));
    return () => {
      stop();
      for (const unfollow of this.following.values()) unfollow();
      this.following.clear();
      this.bus = null;
    };
  }

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
    const hash = hashToken(token);
    const now = this.now();
    const hit = this.trusted.get(hash);
    if (hit && hit.until > now.getTime()) return kinds.includes(hit.kind) ? hit.auth : undefined;
    const generation = this.generation;
    const row = await findLiveToken(this.db, hash, now);
    if (!row) return undefined;
    const auth = await this.toAuth(row.member_id, row.id, row.kind === 'session' ? 'session' : 'device');
    // Only while something follows revocations, and not when one came in while this was asked.
    if (auth?.kind === 'member' && this.bus && generation === this.generation) {
      if (this.trusted.size >= MAX_TRUSTED) this.trusted.clear();
      const expires = row.expires_at ? new Date(row.expires_at).getTime() : Number.POSITIVE_INFINITY;
      this.trusted.set(hash, { auth, kind: row.kind, until: Math.min(now.getTime() + TRUST_MS, expires) });
      this.followTeam(auth.teamId);
    }
    return kinds.includes(row.kind) ? auth : undefined;
  }

  private followTeam(teamId: string): void {
    if (!this.bus || this.following.has(teamId)) return;
    this.following.set(
      teamId,
      this.bus.subscribe(teamId, (msg) => this.heard(msg)),
    );
  }

  private heard(msg: LiveMessage): void {
    if (msg.type !== 'event') return;
    const e = msg.event;
    const memberId =
      e.type === 'member.updated'
        ? e.member.id
        : e.type === 'member.removed' || e.type === 'token.revoked'
          ? e.memberId
          : null;
    if (memberId) this.forget((t) => t.auth.kind === 'member' && t.auth.memberId === memberId);
  }

  private forget(which: (t: Trusted) => boolean): void {
    this.generation++;
    for (const [hash, t] of this.trusted) if (which(t)) this.trusted.delete(hash);
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
