import type { SubjectStatus } from '../../../src/contract/incidents.ts';

export const SUBJECT_STATUS_WORD: Record<SubjectStatus, string> = {
  missing: 'missing',
  located: 'located',
  with_team: 'with the team',
  evacuated: 'evacuated',
  stood_down: 'stood down',
};

export const SUBJECT_STATUSES = Object.keys(SUBJECT_STATUS_WORD) as SubjectStatus[];
