import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { HowlError } from '../contract/errors.ts';
import { claimKey, findKey, pruneKeys, releaseKey, storeResult } from '../store/idempotency.repo.ts';
import type { DB } from '../store/schema.ts';

/** What a key may look like: a client-made UUID or similar. */
const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Results larger than this are not kept: such a request is not retried from an outbox. */
const MAX_KEPT_BYTES = 256 * 1024;
const KEEP_MS = 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** A claim without an answer after this long belongs to a request that died. */
const ABANDONED_MS = 60_000;

const claimed = new WeakMap<FastifyRequest, { memberId: string; key: string }>();

/**
 * `Idempotency-Key` on a member's writes (the field app's outbox, retrying what it made offline): the first
 * request with a key runs and its answer is kept; a repeat of the same method and path gets that answer back
 * (`Idempotent-Replayed: true`) and changes nothing; a repeat while the first still runs is told to retry
 * (409); the same key on another request is refused (422). Server errors are not kept, so a retry runs again.
 */
export function registerIdempotency(
  app: FastifyInstance,
  db: Kysely<DB>,
  now: () => Date = () => new Date(),
): void {
  let prunedAt = 0;
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
    const at = now();
    if (at.getTime() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = at.getTime();
      await pruneKeys(db, new Date(at.getTime() - KEEP_MS));
    }
    if (await claimKey(db, { member_id: memberId, key, method: req.method, path, created_at: at })) {
      claimed.set(req, { memberId, key });
      return;
    }
    const before = await findKey(db, memberId, key);
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
      if (at.getTime() - new Date(before.created_at).getTime() > ABANDONED_MS)
        await releaseKey(db, memberId, key);
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
    if (c) await releaseKey(db, c.memberId, c.key);
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const c = claimed.get(req);
    if (!c) return payload;
    claimed.delete(req);
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (reply.statusCode >= 500 || body === null || body.length > MAX_KEPT_BYTES) {
      await releaseKey(db, c.memberId, c.key);
      return payload;
    }
    const type = reply.getHeader('content-type');
    await storeResult(db, c.memberId, c.key, {
      status: reply.statusCode,
      body,
      content_type: typeof type === 'string' ? type : null,
    });
    return payload;
  });
}
