import type { FastifyRequest, onRequestAsyncHookHandler, onRouteHookHandler } from 'fastify';
import { type Auth, type MemberAuth, requireLeader } from '../services/core/auth.ts';
import type { RateLimits } from '../services/core/rate-limiter.ts';
import { crossSiteRefusal } from './browser-guards.ts';
import type { RequestAuth } from './request-auth.ts';

/**
 * Who may call a route, declared once per route as `config: { auth }`:
 * - `none`: anyone (health, client config, the OpenAPI document, signing in and out);
 * - `member`: a member, by bearer token (device or session) or console session cookie; 401 without one,
 *   400 for the admin secret. A WebSocket upgrade may also pass `?token=`, and a failure closes the socket
 *   with 4001 instead (a browser never sees the status of a refused upgrade);
 * - `leader`: as `member`, and the member leads the team; 403 for any other member;
 * - `admin`: the admin secret as bearer token (the CLI through a running server); 403 for a member;
 * - `device`: a device protocol's own credentials (OwnTracks HTTP: Basic, with a device token), checked by
 *   the gateway's handler itself, not by the hook.
 */
export const ROUTE_AUTH = ['none', 'member', 'leader', 'admin', 'device'] as const;
export type RouteAuth = (typeof ROUTE_AUTH)[number];

/** One route and what it declared: the authorization matrix reads these (`app.routeAuth`). */
export interface RouteAuthEntry {
  method: string;
  url: string;
  auth: RouteAuth;
}

/** What the hook proved on `admin` routes: the caller holds the admin secret. */
export const ADMIN: Auth = { kind: 'admin' };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; every route under /api declares it (see ROUTE_AUTH). */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** The calling member, on `member` and `leader` routes (authenticated before the body is read). */
    readonly auth: MemberAuth;
  }
  interface FastifyInstance {
    /** Every /api route with the auth it declared, in registration order. */
    readonly routeAuth: readonly RouteAuthEntry[];
  }
}

/** The caller the hook found, or on a WebSocket upgrade the reason it found none. */
const callers = new WeakMap<FastifyRequest, MemberAuth | Error>();

/** `req.auth`: the member the hook authenticated; reading it on a route that authenticates no member is a bug. */
export function callerOf(req: FastifyRequest): MemberAuth {
  const caller = callers.get(req);
  if (caller instanceof Error) throw caller;
  if (!caller) {
    const declared = req.routeOptions.config.auth ?? 'nothing';
    throw new Error(`${req.method} ${req.routeOptions.url}: req.auth read on a route declaring ${declared}`);
  }
  return caller;
}

/**
 * The one hook that authenticates every request as its route declares, on `onRequest`: before the body is
 * parsed or validated, so an unauthenticated request gets 401 whatever it sends.
 */
export function authenticate(opts: {
  auth: RequestAuth;
  /** Hosts of this server besides the request's own, for the cross-site check of cookie sessions. */
  trustedHosts: () => readonly string[];
  /** Requests a second per token (members) and per address (devices' own routes), answered 429 past it. */
  limits?: Pick<RateLimits, 'token' | 'address'>;
}): onRequestAsyncHookHandler {
  const check = async (req: FastifyRequest, level: 'member' | 'leader'): Promise<MemberAuth> => {
    // Only a WebSocket may carry its token in the URL: browsers cannot set its headers.
    const token = req.ws ? queryToken(req) : undefined;
    const member = await opts.auth.member(req, token);
    // A session cookie rides along with any page's request: a write (or a socket) must come from our own.
    const refusal = token === undefined ? crossSiteRefusal(req, opts.trustedHosts()) : undefined;
    if (refusal) throw refusal;
    if (level === 'leader') requireLeader(member, member.teamId);
    if (member.tokenId) opts.limits?.token.take(member.tokenId);
    return member;
  };
  return async (req) => {
    const level = req.routeOptions.config.auth;
    switch (level) {
      case undefined:
      case 'none':
        return;
      case 'device':
        // The device's own credentials are checked by its gateway; the address is limited here.
        opts.limits?.address.take(req.ip);
        return;
      case 'admin':
        await opts.auth.admin(req);
        return;
      case 'member':
      case 'leader':
        if (!req.ws) {
          callers.set(req, await check(req, level));
          return;
        }
        // A refused upgrade reaches a browser as a bare failure: the socket opens and closes with 4001.
        callers.set(req, await check(req, level).catch((err: Error) => err));
        return;
      default:
        level satisfies never;
    }
  };
}

/**
 * An onRoute hook that refuses to register a route under `prefix` without an auth declaration, so that
 * none is added silently, and lists the declarations in `routes`.
 */
export function requireDeclaredAuth(opts: { prefix: string; routes: RouteAuthEntry[] }): onRouteHookHandler {
  return (route) => {
    if (route.url !== opts.prefix && !route.url.startsWith(`${opts.prefix}/`)) return;
    const auth = route.config?.auth;
    if (!auth || !ROUTE_AUTH.includes(auth)) {
      const methods = [route.method].flat().join(',');
      throw new Error(
        `${methods} ${route.url} declares no auth: add config: { auth: ${ROUTE_AUTH.map((a) => `'${a}'`).join(' | ')} }`,
      );
    }
    for (const method of [route.method].flat()) opts.routes.push({ method, url: route.url, auth });
  };
}

function queryToken(req: FastifyRequest): string | undefined {
  const token = (req.query as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}

type Security = Array<Record<string, string[]>>;
const MEMBER_SCHEMES: Security = [{ bearer: [] }, { session: [] }];
const SECURITY: Record<RouteAuth, Security> = {
  none: [],
  member: MEMBER_SCHEMES,
  leader: MEMBER_SCHEMES,
  admin: [{ bearer: [] }],
  device: [{ basic: [] }],
};

/** What the OpenAPI document says of a route's auth: `x-howl-auth` and the security schemes it accepts. */
export function openApiAuth(auth: RouteAuth | undefined): Record<string, unknown> {
  return auth ? { 'x-howl-auth': auth, security: SECURITY[auth] } : {};
}
