import type { Generated } from 'kysely';
import type { Json, Mode, Timestamp } from './schema-columns.ts';

// The tables of alerts and incidents: alerts and their acknowledgements, roll calls, casualties and their care,
// the subjects of a search, hostile contacts and callout answers.

export interface AlertsTable {
  id: string;
  team_id: string;
  operation_id: string | null;
  type: string;
  mode: Mode;
  state: 'active' | 'cancelled' | 'resolved';
  sender_id: string | null;
  subject_id: string | null;
  time: Timestamp;
  lat: number | null;
  lon: number | null;
  count: number | null;
  direction: string | null;
  text: Generated<string>;
  cancelled_by: string | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  last_sent_at: Timestamp;
}

export interface AlertAcksTable {
  alert_id: string;
  member_id: string;
  time: Timestamp;
}

export interface RollCallsTable {
  id: string;
  team_id: string;
  operation_id: string;
  started_at: Timestamp;
  started_by: string | null;
  deadline_at: Timestamp;
  member_ids: Json<string[]>;
}

export interface RollCallAnswersTable {
  id: Generated<string>;
  roll_call_id: string;
  member_id: string;
  status: 'ok' | 'injured' | 'needs_help' | 'missing';
  reported_by: string;
  time: Timestamp;
}

export interface CasualtiesTable {
  id: string;
  team_id: string;
  operation_id: string;
  member_id: string | null;
  subject_id: string | null;
  triage: 'green' | 'yellow' | 'red';
  injuries: Generated<string>;
  evacuated_at: Timestamp | null;
  recovered_at: Timestamp | null;
  created_at: Timestamp;
}

export interface SubjectsTable {
  id: string;
  team_id: string;
  operation_id: string;
  name: string;
  description: string;
  status: 'missing' | 'located' | 'with_team' | 'evacuated' | 'stood_down';
  last_lat: number | null;
  last_lon: number | null;
  last_seen_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CareLogTable {
  id: Generated<string>;
  casualty_id: string;
  time: Timestamp;
  author_id: string;
  text: string;
}

export interface ContactsTable {
  id: string;
  team_id: string;
  operation_id: string | null;
  alert_id: string | null;
  count: number;
  withdrawn: Generated<number>;
  lat: number | null;
  lon: number | null;
  direction: string | null;
  text: Generated<string>;
  reported_by: string;
  time: Timestamp;
  updated_at: Timestamp;
}

export interface CalloutResponsesTable {
  operation_id: string;
  member_id: string;
  status: 'responding' | 'arrived' | 'unavailable';
  eta_minutes: number | null;
  time: Timestamp;
}
