import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HowlError } from '../contract/errors.ts';
import type { IdempotencyService } from '../services/core/idempotency.service.ts';

/** What a key may look like: a client-made UUID or similar. */
const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Results larger than this are not kept: such a request is not retried from an outbox. */
const MAX_KEPT_BYTES = 256 * 1024;
/** A claim without an answer after this long belongs to a request that died. */
const ABANDONED_MS = 60_000;

const claimed = new WeakMap<FastifyRequest, { memberId: string; key: string }>();

/**
 * `Idempotency-Key` on a member's writes (the field app's outbox, retrying what it made offline): the first
 * request with a key runs and its answer is kept; a repeat of the same method and path gets that answer back
 * (`Idempotent-Replayed: true`) and changes nothing; a repeat while the first still runs is told to retry
 * (409); the same key on another request is refused (422). Server errors are not kept, so a retry runs again.
 */
export function registerIdempotency(app: FastifyInstance, keys: IdempotencyService): void {
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers['idempotency-key'];
    if (header === undefined || !WRITES.has(req.method)) return;
    const level = req.routeOptions.config.auth;
    if (level !== 'member' && level !== 'leader') return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !KEY.test(key))
      throw new HowlError(400, 'invalid_input', 'Idempotency-Key: 8 to 128 letters, digits, _ . : -', {
        field: 'Idempotency-Key',
      });
    const memberId = req.auth.memberId;
    const path = req.url.split('?')[0] ?? req.url;
    if (await keys.claim(memberId, key, req.method, path)) {
      claimed.set(req, { memberId, key });
      return;
    }
    const before = await keys.previous(memberId, key);
    if (!before)
      throw new HowlError(409, 'conflict', 'Idempotency-Key: just released; send again', {
        field: 'Idempotency-Key',
      });
    if (before.method !== req.method || before.path !== path)
      throw new HowlError(422, 'invalid_input', `Idempotency-Key: used for ${before.method} ${before.path}`, {
        field: 'Idempotency-Key',
      });
    if (before.status === null) {
      // A first request that never answered (its connection dropped mid-way) does not block the key for ever.
      if (keys.nowMs() - new Date(before.created_at).getTime() > ABANDONED_MS)
        await keys.release(memberId, key);
      throw new HowlError(
        409,
        'conflict',
        'Idempotency-Key: the first request is still running; send again',
        {
          field: 'Idempotency-Key',
        },
      );
    }
    reply.header('idempotent-replayed', 'true');
    if (before.content_type) reply.header('content-type', before.content_type);
    return reply.status(before.status).send(before.body ?? '');
  });
  app.addHook('onRequestAbort', async (req) => {
    const c = claimed.get(req);
    if (c) await keys.release(c.memberId, c.key);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const c = claimed.get(req);
    if (!c) return payload;
    claimed.delete(req);
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (reply.statusCode >= 500 || body === null || body.length > MAX_KEPT_BYTES) {
      await keys.release(c.memberId, c.key);
      return payload;
    }
    const type = reply.getHeader('content-type');
    await keys.keep(c.memberId, c.key, {
      status: reply.statusCode,
      body,
      contentType: typeof type === 'string' ? type : null,
    });
    return payload;
  });
}
