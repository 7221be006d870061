import type { Kysely } from 'kysely';
import { HowlError } from '../contract/errors.ts';
import { insertPositions, type NewPosition } from './positions.repo.ts';
import type { DB } from './schema.ts';

interface Pending {
  row: NewPosition;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for positions: while one batch commits, the next one gathers, so the
 * batch size follows the load instead of a timer. `write` resolves only once the
 * position's batch has committed.
 */
export class PositionBatcher {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Batches committed and positions written, for benchmarks and health. */
  readonly stats = { batches: 0, positions: 0, largestBatch: 0, refused: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 2000,
    /** Positions waiting at most: past that the database is behind, and senders are told to retry (503). */
    private readonly maxPending = 50_000,
  ) {}

  write(row: NewPosition): Promise<void> {
    if (this.closed) return Promise.reject(new Error('position writer is closed'));
    if (this.pending.length >= this.maxPending) {
      this.stats.refused++;
      return Promise.reject(
        new HowlError(503, 'busy', 'positions: the database is behind; send again in a moment', {
          retryAfterS: 2,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /** Waits for everything accepted so far to commit, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    // Let the current tick's writers join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await insertPositions(
          this.db,
          batch.map((p) => p.row),
        );
        this.stats.batches++;
        this.stats.positions += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        for (const p of batch) p.resolve();
      } catch {
        // One bad row must not cost the others: store them one by one.
        for (const p of batch) {
          await insertPositions(this.db, [p.row]).then(() => {
            this.stats.positions++;
            p.resolve();
          }, p.reject);
        }
      }
    }
    this.flushing = null;
  }
}
