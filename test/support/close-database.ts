import type { Database } from '../../src/store/db.ts';

/**
 * Closes a test database without an unhandled error. `pg`'s `Pool.end()` resolves before its
 * clients' sockets have closed; a temp PostgreSQL database dropped `WITH (FORCE)` at once kills
 * those backends, and the dying client emits an `error` (57P01) nobody listens to. So: end the
 * pool first, give the sockets a moment, then let `close()` drop the database.
 */
export async function closeDatabase(d: Database | undefined): Promise<void> {
  if (!d) return;
  await d.db.destroy();
  if (d.kind === 'postgres') await new Promise((r) => setTimeout(r, 250));
  await d.close();
}
