import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HowlError } from '../contract/errors.ts';
import type { Auth, MemberAuth } from '../services/core/auth.ts';
import type { TokensService } from '../services/teams/tokens.service.ts';

export const SESSION_COOKIE = 'howl_session';

const unauthorized = (message = 'sign in, or send a bearer token') =>
  new HowlError(401, 'unauthorized', message);

/** Finds who is calling: the admin secret, a member's bearer token, or a console session cookie. */
export class RequestAuth {
  constructor(
    private readonly tokens: TokensService,
    private readonly adminSecret: string | undefined,
  ) {}

  async of(req: FastifyRequest, queryToken?: string): Promise<Auth> {
    const header = req.headers.authorization;
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? queryToken;
    if (bearer) {
      if (this.isAdmin(bearer)) return { kind: 'admin' };
      const auth = await this.tokens.authenticate(bearer, ['device', 'session']);
      if (!auth) throw unauthorized('token: unknown or revoked');
      return auth;
    }
    const session = req.cookies?.[SESSION_COOKIE];
    if (session) {
      const auth = await this.tokens.authenticate(session, ['session']);
      if (auth) return auth;
    }
    throw unauthorized();
  }

  /** A member (not the admin): every team route works on the caller's own team. */
  async member(req: FastifyRequest, queryToken?: string): Promise<MemberAuth> {
    const auth = await this.of(req, queryToken);
    if (auth.kind !== 'member')
      throw new HowlError(400, 'not_a_member', 'this route needs a member, not the admin');
    return auth;
  }

  async admin(req: FastifyRequest): Promise<Auth> {
    const auth = await this.of(req);
    if (auth.kind !== 'admin') throw new HowlError(403, 'forbidden', 'needs the admin secret');
    return auth;
  }

  private isAdmin(token: string): boolean {
    if (!this.adminSecret) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(this.adminSecret);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
