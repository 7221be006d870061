import { describe, expect, it } from 'vitest';
import { accountability, canCloseIncident, latestAnswers, reminderLevel } from './roll-call.ts';
import type { RollCallStatus } from './vocabulary.ts';

const DEADLINE_MS = 180_000;
const rc = (answers: Array<[string, RollCallStatus]>, memberIds = ['a', 'b', 'c']) => ({
  memberIds,
  deadlineMs: DEADLINE_MS,
  answers: answers.map(([memberId, status]) => ({ memberId, status })),
});

describe('latestAnswers', () => {
  it('keeps the latest answer of each member', () => {
    const answers = [
      { memberId: 'a', status: 'ok', n: 1 },
      { memberId: 'b', status: 'injured', n: 2 },
      { memberId: 'a', status: 'needs_help', n: 3 },
    ];
    expect(latestAnswers(answers)).toEqual([
      { memberId: 'a', status: 'needs_help', n: 3 },
      { memberId: 'b', status: 'injured', n: 2 },
    ]);
  });

  it('returns nothing for no answers', () => {
    expect(latestAnswers([])).toEqual([]);
  });
});

describe('accountability', () => {
  it('lists members who have not answered as pending before the deadline', () => {
    expect(accountability(rc([['a', 'ok']]), DEADLINE_MS - 1)).toEqual({
      accounted: ['a'],
      unaccounted: [],
      pending: ['b', 'c'],
      total: 3,
    });
  });

  it('makes members who have not answered unaccounted once the deadline passes', () => {
    expect(accountability(rc([['a', 'ok']]), DEADLINE_MS)).toEqual({
      accounted: ['a'],
      unaccounted: ['b', 'c'],
      pending: [],
      total: 3,
    });
  });

  it('counts ok, injured and needs help as accounted: they are found', () => {
    const acc = accountability(
      rc([
        ['a', 'ok'],
        ['b', 'injured'],
        ['c', 'needs_help'],
      ]),
      DEADLINE_MS * 10,
    );
    expect(acc.accounted).toEqual(['a', 'b', 'c']);
    expect(acc.unaccounted).toEqual([]);
  });

  it('counts a member reported missing as unaccounted even before the deadline', () => {
    expect(accountability(rc([['b', 'missing']]), 0)).toMatchObject({
      unaccounted: ['b'],
      pending: ['a', 'c'],
    });
  });

  it('lets a later answer replace an earlier one (missing, then found)', () => {
    const acc = accountability(
      rc([
        ['b', 'missing'],
        ['b', 'injured'],
      ]),
      DEADLINE_MS,
    );
    expect(acc.accounted).toEqual(['b']);
    expect(acc.unaccounted).toEqual(['a', 'c']);
  });

  it('ignores answers about members not in the roll call', () => {
    const acc = accountability(rc([['z', 'ok']]), 0);
    expect(acc).toEqual({ accounted: [], unaccounted: [], pending: ['a', 'b', 'c'], total: 3 });
  });

  it('accounts for an empty team at once', () => {
    expect(accountability(rc([], []), 0)).toEqual({ accounted: [], unaccounted: [], pending: [], total: 0 });
  });
});

describe('reminderLevel', () => {
  const repeatS = 900;
  it('is ok before the repeat interval', () => {
    expect(reminderLevel(0, 0, repeatS)).toBe('ok');
    expect(reminderLevel(0, repeatS * 1000 - 1, repeatS)).toBe('ok');
  });

  it('is due (yellow) from the repeat interval', () => {
    expect(reminderLevel(0, repeatS * 1000, repeatS)).toBe('due');
    expect(reminderLevel(0, 2 * repeatS * 1000 - 1, repeatS)).toBe('due');
  });

  it('is overdue (red) from twice the repeat interval', () => {
    expect(reminderLevel(0, 2 * repeatS * 1000, repeatS)).toBe('overdue');
    expect(reminderLevel(5_000, 5_000 + 10 * repeatS * 1000, repeatS)).toBe('overdue');
  });
});

describe('canCloseIncident', () => {
  const all = accountability(
    rc([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'injured'],
    ]),
    0,
  );
  const partial = accountability(rc([['a', 'ok']]), DEADLINE_MS);

  it('allows closing when every member is accounted for', () => {
    expect(canCloseIncident(all, undefined)).toEqual({ ok: true });
  });

  it('refuses while members are unaccounted or pending, naming them', () => {
    const check = canCloseIncident(partial, undefined);
    expect(check).toMatchObject({ ok: false, unaccounted: ['b', 'c'] });
    const early = canCloseIncident(accountability(rc([['a', 'ok']]), 0), undefined);
    expect(early).toMatchObject({ ok: false, unaccounted: ['b', 'c'] });
  });

  it('refuses when no roll call was taken', () => {
    expect(canCloseIncident(undefined, undefined)).toMatchObject({ ok: false, unaccounted: [] });
  });

  it('allows closing with an override reason', () => {
    expect(canCloseIncident(partial, 'Derek evacuated by ambulance')).toEqual({ ok: true });
    expect(canCloseIncident(undefined, 'no roll call needed')).toEqual({ ok: true });
  });

  it('does not take a blank or too short override as a reason', () => {
    expect(canCloseIncident(partial, '   ')).toMatchObject({ ok: false });
    expect(canCloseIncident(partial, ' ok ')).toMatchObject({ ok: false });
    expect(canCloseIncident(partial, '')).toMatchObject({ ok: false });
  });
});
