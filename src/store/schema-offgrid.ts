import type { CreatedAt, Timestamp } from './schema-columns.ts';

/** A member's Garmin MapShare feed and where its polling got to. */
export interface InReachFeedsTable {
  member_id: string;
  team_id: string;
  url: string;
  password: string | null;
  last_point_at: Timestamp | null;
  last_polled_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
}

/** A team's secret for Garmin's IPC Outbound webhook. */
export interface InReachSecretsTable {
  team_id: string;
  secret: string;
  created_at: CreatedAt;
}
