import { createECDH, createPublicKey, type ECDH, randomBytes, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ece from 'http_ece';
import { loadOrCreateTls } from '../../src/server/tls.ts';

/** A push as the stand-in received it: checked (VAPID signature) and decrypted (RFC 8291). */
export interface ReceivedPush {
  subscription: string;
  at: number;
  headers: Record<string, string | string[] | undefined>;
  /** The VAPID JWT's claims, its ES256 signature checked against the key it names. */
  claims: { aud: string; exp: number; sub: string };
  vapidKey: string;
  payload: Record<string, unknown>;
}

/** A browser's subscription on the stand-in, with its private key to decrypt what is pushed to it. */
export interface TestSubscription {
  id: string;
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  ecdh: ECDH;
  auth: Buffer;
}

/**
 * A local push service speaking the real protocol over HTTPS (its own self-signed certificate, trusted through
 * `agent`): it takes RFC 8030 pushes, checks their VAPID (RFC 8292) JWT signatures and decrypts their
 * aes128gcm bodies (RFC 8188/8291) with the subscription's private key, as a browser's push service and the
 * browser together would. A subscription can be made to answer with a status (410: gone).
 */
export class TestPushService {
  readonly received: ReceivedPush[] = [];
  readonly failures: string[] = [];
  origin = '';
  agent: Agent | undefined;
  private server: Server | undefined;
  private readonly subs = new Map<string, TestSubscription>();
  private readonly answers = new Map<string, number>();
  private waiters = new Set<() => void>();

  async start(): Promise<void> {
    const tls = await loadOrCreateTls({
      dataDir: mkdtempSync(join(tmpdir(), 'howl-push-')),
      hosts: ['127.0.0.1'],
    });
    this.agent = new Agent({ ca: tls.cert, keepAlive: true });
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
        const sub = this.subs.get(id);
        if (req.method !== 'POST' || !sub) {
          res.writeHead(404).end();
          return;
        }
        const status = this.answers.get(id);
        if (status) {
          res.writeHead(status).end();
          return;
        }
        try {
          this.received.push(this.open(sub, req.headers, Buffer.concat(chunks)));
          res.writeHead(201, { location: `${this.origin}/message/${this.received.length}` }).end();
        } catch (err) {
          this.failures.push(String(err));
          res.writeHead(400).end(String(err));
        }
        for (const w of [...this.waiters]) w();
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    this.origin = `https://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    this.agent?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new browser subscription: a fresh P-256 key pair and auth secret. */
  subscription(): TestSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const id = randomBytes(12).toString('hex');
    const sub: TestSubscription = {
      id,
      ecdh,
      auth,
      json: {
        endpoint: `${this.origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
    };
    this.subs.set(id, sub);
    return sub;
  }

  /** Makes the push service answer pushes to a subscription with `status` (e.g. 410: unsubscribed). */
  answer(sub: TestSubscription, status: number): void {
    this.answers.set(sub.id, status);
  }

  of(sub: TestSubscription): ReceivedPush[] {
    return this.received.filter((r) => r.subscription === sub.id);
  }

  /** Resolves once `count` pushes for the subscription have arrived. */
  waitFor(sub: TestSubscription, count = 1, timeoutMs = 5000): Promise<ReceivedPush[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.of(sub).length < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(this.of(sub));
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `${this.of(sub).length} of ${count} pushes within ${timeoutMs} ms; failures: ${this.failures}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private open(
    sub: TestSubscription,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): ReceivedPush {
    if (headers['content-encoding'] !== 'aes128gcm')
      throw new Error(`content-encoding ${headers['content-encoding']}`);
    if (!headers.ttl) throw new Error('no TTL header');
    const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(headers.authorization ?? ''));
    if (!m?.[1] || !m[2]) throw new Error(`authorization: ${headers.authorization}`);
    const [jwt, k] = [m[1], m[2]];
    const [h, c, s] = jwt.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    if (header.alg !== 'ES256') throw new Error(`alg ${header.alg}`);
    const point = Buffer.from(k, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const signed = verify(
      'sha256',
      Buffer.from(`${h}.${c}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    if (!signed) throw new Error('VAPID signature does not verify');
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
    const plain = ece.decrypt(body, {
      version: 'aes128gcm',
      privateKey: sub.ecdh,
      authSecret: sub.auth.toString('base64url'),
    });
    return {
      subscription: sub.id,
      at: Date.now(),
      headers,
      claims,
      vapidKey: k,
      payload: JSON.parse(plain.toString('utf8')),
    };
  }
}
