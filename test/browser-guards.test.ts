import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_PARAMS, SECURITY_HEADERS } from '../src/server/browser-guards.ts';
import { redactedUrl as redactedWith } from '../src/services/core/log-redaction.ts';

const redactedUrl = (url: string) => redactedWith(url, SECRET_PARAMS);

import { CLOSE_UNAUTHORIZED } from '../src/server/live.routes.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Ws = {
  on(event: 'open' | 'close' | 'error', listener: (...args: unknown[]) => void): void;
  close(): void;
};
const WebSocket = createRequire(import.meta.url)('ws') as new (
  url: string,
  opts: { headers: Record<string, string> },
) => Ws;

/** What happens to a socket: it stays open (until closed here), or the server closes it with a code. */
function tryWebSocket(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    let timer: NodeJS.Timeout | undefined;
    ws.on('open', () => {
      // A refused socket is closed by the server right after it opens; one that stays open is accepted.
      timer = setTimeout(() => {
        ws.close();
        resolve('open');
      }, 500);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code as number);
    });
    ws.on('error', () => resolve(0));
  });
}

describe('the request log', () => {
  it('keeps tokens and codes in query strings out of it', () => {
    expect(redactedUrl('/api/live?token=abc.def&after=3')).toBe('/api/live?token=[redacted]&after=3');
    expect(redactedUrl('/x?after=3&code=123')).toBe('/x?after=3&code=[redacted]');
    expect(redactedUrl('/api/members')).toBe('/api/members');
  });
});

describe.each(engines)('browser guards on $name', (engine) => {
  const { h } = useHarness(engine);
  let base: string;
  let cookie: string;
  let host: string;

  beforeAll(async () => {
    await h.addMember('Guards', 'LEAD', { role: 'leader' });
    cookie = await h.sessionCookie('Guards', 'LEAD');
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    host = new URL(base).host;
  });

  const messages = async () =>
    (await h.app.inject({ method: 'GET', url: '/api/messages', headers: { cookie } })).json().messages.length;
  const post = (headers: Record<string, string>, payload: string, type = 'application/json') =>
    h.app.inject({
      method: 'POST',
      url: '/api/messages',
      headers: { cookie, host, 'content-type': type, ...headers },
      payload,
    });

  it('sends the security headers on every answer', async () => {
    for (const url of ['/api/health', '/api/members', '/no-such-page']) {
      const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(res.headers[name], url).toBe(value);
    }
    expect(SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(SECURITY_HEADERS['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it("refuses a write with the session cookie from another origin's page, and changes nothing", async () => {
    const before = await messages();
    const forged: Array<Record<string, string>> = [
      { origin: 'http://other.example:8080' },
      { origin: `http://evil.${host}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of forged) {
      const res = await post(headers, JSON.stringify({ text: 'posted by a forged form' }));
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('cross_site');
    }
    expect(await messages()).toBe(before);
    const ok = await post({ origin: `http://${host}` }, JSON.stringify({ text: 'from the console itself' }));
    expect(ok.statusCode).toBe(201);
    const noOrigin = await post({}, JSON.stringify({ text: 'from a script with the cookie' }));
    expect(noOrigin.statusCode).toBe(201);
    expect(await messages()).toBe(before + 2);
  });

  it('refuses a form-encoded or plain-text body on a JSON route, and changes nothing', async () => {
    const before = await messages();
    const form = await post({ origin: `http://${host}` }, 'text=hello', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    const plain = await post({ origin: `http://${host}` }, '{"text":"hello"}', 'text/plain');
    expect(plain.statusCode).toBeGreaterThanOrEqual(400);
    expect(plain.statusCode).toBeLessThan(500);
    expect(await messages()).toBe(before);
  });

  it('refuses a NUL character in any text with a 400 naming the field', async () => {
    const before = await messages();
    const res = await post({}, JSON.stringify({ text: 'hello\u0000world' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('text');
    const settings = await h.app.inject({
      method: 'PATCH',
      url: '/api/team',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Gua\u0000rds' }),
    });
    expect(settings.statusCode).toBe(400);
    expect(settings.json().error.details.field).toBe('name');
    expect(await messages()).toBe(before);
  });

  it('refuses to open the live feed with the session cookie from another origin', async () => {
    const ws = base.replace(/^http/, 'ws');
    expect(await tryWebSocket(`${ws}/api/live`, { cookie, origin: 'http://other.example' })).toBe(
      CLOSE_UNAUTHORIZED,
    );
    expect(await tryWebSocket(`${ws}/api/live`, { cookie, origin: base })).toBe('open');
  });
});
