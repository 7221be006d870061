import type { ColumnType, Generated } from 'kysely';

import type { CreatedAt, Json, Mode, Timestamp } from './schema-columns.ts';
import type {
  IdempotencyKeysTable,
  PushKeysTable,
  PushSubscriptionsTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from './schema-delivery.ts';
import type {
  DetectionDrillsTable,
  DetectionObjectsTable,
  DetectionRecordsTable,
} from './schema-detection.ts';
import type {
  AlertAcksTable,
  AlertsTable,
  CalloutResponsesTable,
  CareLogTable,
  CasualtiesTable,
  ContactsTable,
  RollCallAnswersTable,
  RollCallsTable,
  SubjectsTable,
} from './schema-incidents.ts';
import type { InReachFeedsTable, InReachSecretsTable } from './schema-offgrid.ts';
import type {
  LostPersonTablesTable,
  SearchAssignmentsTable,
  SearchPlansTable,
  SearchSegmentsTable,
  SweepWidthsTable,
} from './schema-search.ts';

export type * from './schema-delivery.ts';
export type * from './schema-detection.ts';
export type * from './schema-incidents.ts';
export type * from './schema-offgrid.ts';
export type * from './schema-search.ts';

export interface TeamsTable {
  id: string;
  name: string;
  base_lat: number | null;
  base_lon: number | null;
  stale_seconds: Generated<number>;
  last_seq: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  separation_m: Generated<number>;
  alert_resend_s: Generated<number>;
  sos_countdown_s: Generated<number>;
  roll_call_deadline_s: Generated<number>;
  roll_call_repeat_s: Generated<number>;
  man_down_minutes: number | null;
  clock: Generated<'24h' | '12h'>;
  keep_positions_days: number | null;
}

export interface MembersTable {
  id: string;
  team_id: string;
  name: string;
  callsign: string;
  role: 'leader' | 'member';
  password_hash: string | null;
  created_at: CreatedAt;
  removed_at: Timestamp | null;
  kind: Generated<'person' | 'animal'>;
  handler_id: string | null;
}

export interface DevicesTable {
  id: string;
  member_id: string;
  team_id: string;
  /** What the device calls itself (a Meshtastic node's long name), when it says. */
  name: string | null;
  /** Its last reported battery (%), and when it reported it. */
  battery: number | null;
  status_at: Timestamp | null;
  created_at: CreatedAt;
}

export type TokenKind = 'device' | 'session' | 'login';

export interface TokensTable {
  id: string;
  token_hash: string;
  member_id: string;
  team_id: string;
  kind: TokenKind;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PositionsTable {
  id: Generated<string>;
  team_id: string;
  member_id: string;
  device_id: string;
  time: Timestamp;
  received_at: Timestamp;
  lat: number;
  lon: number;
  accuracy: number | null;
  altitude: number | null;
  speed: number | null;
  bearing: number | null;
  battery: number | null;
  alarm: string | null;
  source: string;
  mode: 'exercise' | 'real';
}

export interface EventsTable {
  team_id: string;
  seq: ColumnType<string | number, number, never>;
  time: Timestamp;
  type: string;
  mode: 'exercise' | 'real';
  actor_id: string | null;
  payload: ColumnType<Record<string, unknown>, string, never>;
}

/**
 * A jsonb column: written as JSON text, read back parsed on both engines (`openDatabase` makes the
 * PostgreSQL driver parse json and jsonb as PGlite does), so nothing above the store parses it.
 */

export interface OperationsTable {
  id: string;
  team_id: string;
  kind: 'exercise' | 'incident';
  name: string;
  scenario: Generated<string>;
  area: Json<Array<{ lat: number; lon: number }>> | null;
  state: 'planned' | 'running' | 'paused' | 'suspended' | 'ended' | 'open' | 'closed';
  escalated_from: string | null;
  created_by: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  paused_at: Timestamp | null;
  paused_by: string | null;
  running_since: Timestamp | null;
  played_s: Generated<number>;
  close_override: string | null;
  summary: string | null;
  type: Generated<'general' | 'tracking' | 'detection'>;
}

export interface OperationParticipantsTable {
  operation_id: string;
  member_id: string;
  role: string;
}

export interface InjectsTable {
  id: string;
  operation_id: string;
  offset_s: number;
  message: string;
  delivered_at: Timestamp | null;
}

export interface SkillsTable {
  id: string;
  team_id: string;
  name: string;
  required: Generated<boolean>;
  applies_to: Generated<'all' | 'person' | 'animal'>;
  validity_months: number | null;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}

export interface OperationSkillsTable {
  operation_id: string;
  skill_id: string;
}

export interface DrillsTable {
  operation_id: string;
  conditions: Json;
  tolerance_m: Generated<number>;
  find_radius_m: Generated<number>;
  light: 'day' | 'dusk' | 'night' | null;
  sun_elevation: number | null;
  recorded: Generated<boolean>;
}

export interface DrillTracksTable {
  operation_id: string;
  member_id: string;
  source: 'live' | 'gpx' | 'kml';
  file_name: string | null;
  /** [[lat, lon, timeMs], …] in time order. */
  points: Json<Array<[number, number, number]>>;
  point_count: number;
  start_time: Timestamp;
  end_time: Timestamp;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface DrillFindsTable {
  operation_id: string;
  tracker_id: string;
  time: Timestamp;
  source: 'button' | 'detected';
  recorded_by: string | null;
}

export interface DrillScoresTable {
  operation_id: string;
  tracker_id: string;
  team_id: string;
  drill_time: Timestamp;
  share_followed: number;
  share_followed_smooth: number;
  mean_deviation_m: number;
  time_to_find_s: number | null;
  score: Json;
  scored_at: Timestamp;
}

export interface QualificationsTable {
  id: string;
  team_id: string;
  member_id: string;
  skill_id: string;
  signed_off_by: string;
  signed_at: Timestamp;
  expires_at: Timestamp | null;
  note: Generated<string>;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface TrainingSessionsTable {
  id: string;
  team_id: string;
  title: string;
  place: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  notes: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  cancelled_at: Timestamp | null;
}

export interface TrainingSessionSkillsTable {
  session_id: string;
  skill_id: string;
}

export interface AttendanceTable {
  session_id: string;
  member_id: string;
  status: 'present' | 'absent' | 'excused';
  recorded_by: string | null;
  recorded_at: Timestamp;
}

export interface MessagesTable {
  id: string;
  team_id: string;
  sender_id: string | null;
  sender_callsign: string;
  text: string;
  mode: Mode;
  operation_id: string | null;
  time: Timestamp;
  source: 'console' | 'field' | 'tak' | 'system' | 'meshtastic' | 'inreach';
  lat: number | null;
  lon: number | null;
  external_id: string | null;
}

/** A region an OwnTracks app defines (a `waypoint`), as its device's latest list holds it. */
export interface OwnTracksWaypointsTable {
  id: Generated<number>;
  team_id: string;
  member_id: string;
  device_id: string;
  name: string;
  lat: number | null;
  lon: number | null;
  radius: number | null;
  rid: string | null;
  created_at: Timestamp;
  received_at: Timestamp;
}

/** An operation's hot wash (one per operation). */
export interface HotWashesTable {
  operation_id: string;
  team_id: string;
  went_well: string;
  to_improve: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** A corrective action from a hot wash: open until done. */
export interface CorrectiveActionsTable {
  id: string;
  team_id: string;
  operation_id: string;
  text: string;
  owner_id: string | null;
  /** YYYY-MM-DD. */
  due_on: string | null;
  done_at: Timestamp | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface ClusterLeasesTable {
  job: string;
  node: string;
  until: Timestamp;
}

export interface DB {
  cluster_leases: ClusterLeasesTable;
  teams: TeamsTable;
  hot_washes: HotWashesTable;
  corrective_actions: CorrectiveActionsTable;
  members: MembersTable;
  devices: DevicesTable;
  tokens: TokensTable;
  positions: PositionsTable;
  events: EventsTable;
  operations: OperationsTable;
  operation_participants: OperationParticipantsTable;
  injects: InjectsTable;
  alerts: AlertsTable;
  alert_acks: AlertAcksTable;
  roll_calls: RollCallsTable;
  roll_call_answers: RollCallAnswersTable;
  casualties: CasualtiesTable;
  subjects: SubjectsTable;
  push_keys: PushKeysTable;
  push_subscriptions: PushSubscriptionsTable;
  idempotency_keys: IdempotencyKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  care_log: CareLogTable;
  contacts: ContactsTable;
  callout_responses: CalloutResponsesTable;
  skills: SkillsTable;
  operation_skills: OperationSkillsTable;
  drills: DrillsTable;
  drill_tracks: DrillTracksTable;
  drill_finds: DrillFindsTable;
  drill_scores: DrillScoresTable;
  qualifications: QualificationsTable;
  training_sessions: TrainingSessionsTable;
  training_session_skills: TrainingSessionSkillsTable;
  attendance: AttendanceTable;
  messages: MessagesTable;
  owntracks_waypoints: OwnTracksWaypointsTable;
  inreach_feeds: InReachFeedsTable;
  inreach_secrets: InReachSecretsTable;
  search_segments: SearchSegmentsTable;
  search_plans: SearchPlansTable;
  search_assignments: SearchAssignmentsTable;
  sweep_widths: SweepWidthsTable;
  lost_person_tables: LostPersonTablesTable;
  detection_drills: DetectionDrillsTable;
  detection_objects: DetectionObjectsTable;
  detection_records: DetectionRecordsTable;
}
