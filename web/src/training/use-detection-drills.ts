import type { DetectionDrill, DetectionDrillSummary } from '../../../src/contract/detection-drills.ts';
import { useFetched } from './use-drills.ts';

export const useDetectionDrillList = (key: number) =>
  useFetched<{ drills: DetectionDrillSummary[] }>('/api/detection-drills', key);
export const useDetectionDrill = (id: string, key: number) =>
  useFetched<DetectionDrill>(`/api/detection-drills/${id}`, key);

/** Where a detection drill's page is in the console. */
export const detectionDrillPath = (id: string) => `detection/${id}`;
