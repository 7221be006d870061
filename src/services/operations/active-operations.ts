import type { Kysely } from 'kysely';
import type { Mode } from '../../contract/common.ts';
import { teamMode } from '../../domain/mode.ts';
import { findActiveOperation, type OperationRow } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';

/** How long a team's active operation is trusted without asking the database (other nodes may change it). */
const TTL_MS = 2_000;

/**
 * Each team's active operation, cached: every position and event carries the team's mode,
 * so this is on the hot path. The operations service tells it at once of a change here.
 */
export class ActiveOperations {
  private readonly cache = new Map<string, { op: OperationRow | undefined; until: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async get(teamId: string, db: Kysely<DB> = this.db): Promise<OperationRow | undefined> {
    const hit = this.cache.get(teamId);
    if (hit && hit.until > this.nowMs() && db === this.db) return hit.op;
    const op = await findActiveOperation(db, teamId);
    if (db === this.db) this.cache.set(teamId, { op, until: this.nowMs() + TTL_MS });
    return op;
  }

  /** The team's mode now: exercise only while an exercise runs or is paused. */
  async mode(teamId: string, db?: Kysely<DB>): Promise<Mode> {
    return teamMode(await this.get(teamId, db));
  }

  /** Forget a team's cached operation (its operation just changed). */
  changed(teamId: string): void {
    this.cache.delete(teamId);
  }

  clear(): void {
    this.cache.clear();
  }
}
