import type { Generated } from 'kysely';
import type { Timestamp } from './schema-columns.ts';

// The tables of what goes out beyond the live feed: Web Push keys and subscriptions, webhooks and their
// deliveries, and the answers kept for Idempotency-Keys.

export interface PushKeysTable {
  id: number;
  public_key: string;
  private_key: string;
  created_at: Timestamp;
}

export interface PushSubscriptionsTable {
  id: string;
  team_id: string;
  member_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string | null;
  created_at: Timestamp;
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
  last_error: string | null;
}

export interface IdempotencyKeysTable {
  member_id: string;
  key: string;
  method: string;
  path: string;
  status: number | null;
  body: string | null;
  content_type: string | null;
  created_at: Timestamp;
}

export interface WebhooksTable {
  id: string;
  team_id: string;
  url: string;
  /** Comma-separated WEBHOOK_EVENTS. */
  events: string;
  secret: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  team_id: string;
  event: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_at: Timestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}
