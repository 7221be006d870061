import type { Timestamp } from './schema-columns.ts';

// The tables of detection drills: the drill's settings, the objects placed and which each searcher found.

export interface DetectionDrillsTable {
  operation_id: string;
  resource_type: string;
  visibility: 'high' | 'medium' | 'low' | null;
  bin_m: number;
  max_range_m: number;
}

export interface DetectionObjectsTable {
  id: string;
  operation_id: string;
  position: number;
  label: string;
  lat: number;
  lon: number;
  notes: string;
}

export interface DetectionRecordsTable {
  operation_id: string;
  object_id: string;
  searcher_id: string;
  found: boolean;
  recorded_by: string | null;
  recorded_at: Timestamp;
}
