import { describe, expect, it } from 'vitest';
import type { RollCall } from '../../../src/contract/incidents.ts';
import { accountabilityOf, accountedText, answerOf, formatClock } from './incident-view.ts';

const NOW = Date.parse('2026-05-01T20:00:00Z');
const rollCall = (deadlineMinutesFromNow: number): RollCall => ({
  id: 'rc',
  operationId: 'op',
  startedAt: new Date(NOW - 60_000).toISOString(),
  startedBy: 'lead',
  deadlineAt: new Date(NOW + deadlineMinutesFromNow * 60_000).toISOString(),
  memberIds: ['a', 'b', 'c'],
  answers: [
    { memberId: 'a', status: 'missing', reportedBy: 'b', time: '2026-05-01T19:59:10Z' },
    { memberId: 'b', status: 'ok', reportedBy: 'b', time: '2026-05-01T19:59:20Z' },
    { memberId: 'a', status: 'injured', reportedBy: 'a', time: '2026-05-01T19:59:30Z' },
  ],
});

describe('incident view', () => {
  it('counts the latest answer of each member, as the domain rule does', () => {
    const acc = accountabilityOf(rollCall(2), NOW);
    expect(accountedText(acc)).toBe('2 of 3 accounted');
    expect(acc.pending).toEqual(['c']);
    expect(answerOf(rollCall(2), 'a')).toBe('injured');
    expect(answerOf(rollCall(2), 'c')).toBeNull();
  });

  it('lists a silent member as unaccounted once the deadline has passed', () => {
    expect(accountabilityOf(rollCall(-1), NOW).unaccounted).toEqual(['c']);
  });

  it('formats durations as minutes and seconds, with hours when long', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(185.7)).toBe('03:05');
    expect(formatClock(3 * 3600 + 62)).toBe('3:01:02');
    expect(formatClock(-5)).toBe('00:00');
  });
});
