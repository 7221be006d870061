import type { Kysely } from 'kysely';
import {
  claimKey,
  findKey,
  type IdempotencyRow,
  pruneKeys,
  releaseKey,
  storeResult,
} from '../../store/idempotency.repo.ts';
import type { DB } from '../../store/schema.ts';

const KEEP_MS = 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** The answers kept for members' Idempotency-Keys (see server/idempotency.ts for the HTTP side). */
export class IdempotencyService {
  private prunedAtMs = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Claims the key for this request; false when a request had it before (`previous` says which). */
  async claim(memberId: string, key: string, method: string, path: string): Promise<boolean> {
    const at = this.now();
    if (at.getTime() - this.prunedAtMs > PRUNE_EVERY_MS) {
      this.prunedAtMs = at.getTime();
      await pruneKeys(this.db, new Date(at.getTime() - KEEP_MS));
    }
    return claimKey(this.db, { member_id: memberId, key, method, path, created_at: at });
  }

  previous(memberId: string, key: string): Promise<IdempotencyRow | undefined> {
    return findKey(this.db, memberId, key);
  }

  keep(
    memberId: string,
    key: string,
    r: { status: number; body: string; contentType: string | null },
  ): Promise<void> {
    return storeResult(this.db, memberId, key, {
      status: r.status,
      body: r.body,
      content_type: r.contentType,
    });
  }

  release(memberId: string, key: string): Promise<void> {
    return releaseKey(this.db, memberId, key);
  }

  nowMs(): number {
    return this.now().getTime();
  }
}
