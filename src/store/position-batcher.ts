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
 * Group commit for positions: while a batch commits, the next one gathers, so the batch size follows the
 * load instead of a timer. With `concurrency` above one (PostgreSQL, whose pool has several connections) a
 * new batch starts as soon as positions wait, beside the ones committing, so that a position waits for one
 * commit, not for the one before it too. `write` resolves only once the position's batch has committed.
 */
export class PositionBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];
  private closed = false;
  /** Batches committed and positions written, for benchmarks and health. */
  readonly stats = { batches: 0, positions: 0, largestBatch: 0, refused: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 2000,
    /** Positions waiting at most: past that the database is behind, and senders are told to retry (503). */
    private readonly maxPending = 50_000,
    /** Batches committing at once. */
    private readonly concurrency = 1,
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
      this.kick();
    });
  }

  /** Waits for everything accepted so far to commit, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight > 0 || this.pending.length > 0 || this.scheduled)
      await new Promise<void>((r) => this.idle.push(r));
  }

  /** Starts a batch after the current tick (its writers join it), when a commit slot is free. */
  private kick(): void {
    if (this.scheduled || this.inFlight >= this.concurrency || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.concurrency && this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        this.inFlight++;
        void this.commit(batch).finally(() => {
          this.inFlight--;
          this.kick();
          if (this.inFlight === 0 && this.pending.length === 0 && !this.scheduled) {
            for (const r of this.idle.splice(0)) r();
          }
        });
      }
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
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
}
