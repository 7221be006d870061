import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface TeamsTable {
  id: string;
  name: string;
  base_lat: number | null;
  base_lon: number | null;
  stale_seconds: Generated<number>;
  last_seq: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
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
}

export interface DevicesTable {
  id: string;
  member_id: string;
  team_id: string;
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
  payload: ColumnType<unknown, string, never>;
}

export interface DB {
  teams: TeamsTable;
  members: MembersTable;
  devices: DevicesTable;
  tokens: TokensTable;
  positions: PositionsTable;
  events: EventsTable;
}
