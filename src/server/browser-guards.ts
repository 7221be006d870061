import type { FastifyReply, FastifyRequest, onSendHookHandler, preValidationHookHandler } from 'fastify';
import { HowlError } from '../contract/errors.ts';
import { SESSION_COOKIE } from './request-auth.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a page of another origin (another service on the same host, a sibling
 * subdomain) can make a browser send the console's session cookie with a form POST or open the live
 * WebSocket. A request that carries the session cookie and would change something (or opens a WebSocket)
 * must come from a page of this server: its `Origin` (or, without one, `Sec-Fetch-Site`) must say so.
 * Bearer tokens are not sent by browsers on their own, so requests using them are not checked.
 */
export function crossSiteRefusal(
  req: FastifyRequest,
  trustedHosts: readonly string[],
): HowlError | undefined {
  if (!req.cookies?.[SESSION_COOKIE] || /^Bearer\s/i.test(req.headers.authorization ?? '')) return undefined;
  const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
  if (SAFE_METHODS.has(req.method) && !upgrade) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined)
    return sameHost(origin, req, trustedHosts) ? undefined : crossSite(`Origin ${origin}`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return crossSite(`a ${site} page`);
  return undefined;
}

const crossSite = (what: string) =>
  new HowlError(
    403,
    'cross_site',
    `refused: a request from ${what} may not act with this console's session`,
    {
      field: 'origin',
    },
  );

function sameHost(origin: string, req: FastifyRequest, trusted: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const own = [req.headers.host, ...(Array.isArray(forwarded) ? forwarded : [forwarded]), ...trusted];
  return own.some((h) => typeof h === 'string' && h.toLowerCase() === host);
}

/**
 * A NUL character cannot be stored in PostgreSQL text (and means nothing in a callsign or a message): any
 * string in the body or the query that holds one is refused with a 400 naming the field, before validation.
 */
export const refuseNul: preValidationHookHandler = (req, _reply, done) => {
  const field = nulField(req.body, '') ?? nulField(req.query, '');
  if (field === undefined) return done();
  done(
    new HowlError(400, 'invalid_input', `${field || 'body'}: contains a NUL character`, {
      field: field || 'body',
    }),
  );
};

function nulField(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000'))
      return path ? `${path}.${k.replaceAll('\u0000', '')}` : k.replaceAll('\u0000', '');
    const found = nulField(v, path ? `${path}.${k}` : k, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * What every answer carries so that browsers keep the console to itself: no framing by other pages, no
 * guessing of content types, no address (with a login code or token) leaking through `Referer`, and a
 * Content-Security-Policy without inline scripts that still lets MapLibre run its worker and load tiles.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss: https: http:",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'geolocation=(self), camera=(), microphone=()',
};

export const securityHeaders: onSendHookHandler = (_req, reply: FastifyReply, payload, done) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!reply.hasHeader(name)) reply.header(name, value);
  }
  done(null, payload);
};

/** Query parameters whose values never reach the request log (`?token=` of the live feed, login codes). */
export const SECRET_PARAMS = ['token', 'code', 'password', 'secret'] as const;
