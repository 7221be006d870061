import type { Kysely, Selectable } from 'kysely';
import type { DB, WebhookDeliveriesTable, WebhooksTable } from './schema.ts';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function insertWebhook(db: Kysely<DB>, w: WebhookRow): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(w).returningAll().executeTakeFirstOrThrow();
}

export async function teamWebhooks(db: Kysely<DB>, teamId: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('team_id', '=', teamId).orderBy('created_at').execute();
}

export async function getWebhook(db: Kysely<DB>, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteWebhook(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function insertDeliveries(
  db: Kysely<DB>,
  rows: ReadonlyArray<Omit<DeliveryRow, 'attempts' | 'last_status' | 'last_error' | 'delivered_at'>>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values([...rows])
    .execute();
}

/** Deliveries due now, oldest first, with their webhook. */
export async function dueDeliveries(
  db: Kysely<DB>,
  now: Date,
  limit: number,
): Promise<Array<DeliveryRow & { url: string; secret: string }>> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .selectAll('d')
    .select(['w.url', 'w.secret'])
    .where('d.state', '=', 'pending')
    .where('d.next_at', '<=', now)
    .orderBy('d.next_at')
    .limit(limit)
    .execute();
}

/** Moves a due delivery on (a node racing another moves it once: `attempts` must be as read). */
export async function settleDelivery(
  db: Kysely<DB>,
  d: { id: string; attempts: number },
  patch: Partial<Pick<DeliveryRow, 'state' | 'next_at' | 'last_status' | 'last_error' | 'delivered_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ ...patch, attempts: d.attempts + 1 })
    .where('id', '=', d.id)
    .where('attempts', '=', d.attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recentDeliveries(
  db: Kysely<DB>,
  webhookId: string,
  limit = 20,
): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
