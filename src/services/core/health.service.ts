import { type Kysely, sql } from 'kysely';
import type { DB } from '../../store/schema.ts';

/** How long one check waits for the database, and how long its answer is reused under load. */
const CHECK_TIMEOUT_MS = 2000;
const REUSE_MS = 1000;

/** Whether the database answers: `/api/health` says `degraded` while it does not. */
export class HealthService {
  private last: { atMs: number; ok: boolean } | undefined;
  private pending: Promise<boolean> | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async databaseAnswers(): Promise<boolean> {
    const now = this.nowMs();
    if (this.last && now - this.last.atMs < REUSE_MS) return this.last.ok;
    this.pending ??= this.ping().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
    });
    const query = sql`select 1`.execute(this.db).then(
      () => true,
      () => false,
    );
    const ok = await Promise.race([query, timeout]);
    clearTimeout(timer);
    this.last = { atMs: this.nowMs(), ok };
    return ok;
  }
}
