import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Takes or renews the lease on `job` for `node` until `ttlMs` from the database's now: true when `node`
 * holds it (it held it already, or nobody did, or the holder let it lapse). One statement: two nodes
 * asking at once cannot both win.
 */
export async function holdLease(db: Kysely<DB>, job: string, node: string, ttlMs: number): Promise<boolean> {
  const r = await sql<{ node: string }>`
    insert into cluster_leases (job, node, until)
    values (${job}, ${node}, now() + ${ttlMs} * interval '1 millisecond')
    on conflict (job) do update set node = excluded.node, until = excluded.until
      where cluster_leases.node = excluded.node or cluster_leases.until < now()
    returning node`.execute(db);
  return r.rows[0]?.node === node;
}

/** Gives up `node`'s leases (a clean stop): another node takes its jobs at once. */
export async function releaseLeases(db: Kysely<DB>, node: string): Promise<void> {
  await db.deleteFrom('cluster_leases').where('node', '=', node).execute();
}
