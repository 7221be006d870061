import type { Json, Timestamp } from './schema-columns.ts';

// The tables of search planning: segments, the POA plan, assignments and the team's sweep widths.

export interface SearchSegmentsTable {
  id: string;
  team_id: string;
  operation_id: string;
  name: string;
  polygon: Json<{ type: 'Polygon'; coordinates: number[][][] }>;
  area_m2: number;
  poa: number | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SearchPlansTable {
  operation_id: string;
  team_id: string;
  poa_method: 'direct' | 'consensus';
  rest_of_world: number;
  planners: Json<unknown> | null;
  updated_at: Timestamp;
}

export interface SearchAssignmentsTable {
  id: string;
  team_id: string;
  operation_id: string;
  segment_id: string;
  member_id: string;
  sortie: number;
  resource_type: string;
  sweep_width_m: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface SweepWidthsTable {
  team_id: string;
  resource_type: string;
  sweep_width_m: number;
  source: 'manual' | 'lateral_range' | 'detection_range' | 'detection_drills';
  details: Json<unknown> | null;
  updated_at: Timestamp;
}

/** The team's lost-person statistics: `DistanceProfile`s parsed from the CSV it uploaded. */
export interface LostPersonTablesTable {
  team_id: string;
  profiles: Json<Array<{ category: string; rings: Array<{ quantile: number; distanceM: number }> }>>;
  source: string;
  updated_by: string | null;
  updated_at: Timestamp;
}
