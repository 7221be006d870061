import { describe, expect, it } from 'vitest';
import type { Member } from '../../../src/contract/members.ts';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { findersFor } from './FindButton.tsx';

const member = (id: string, handlerId: string | null = null): Member =>
  ({ id, callsign: id.toUpperCase(), kind: handlerId ? 'animal' : 'person', handlerId }) as Member;
const members = [member('scott'), member('rex', 'scott'), member('malia'), member('stiles')];
const me = (memberId: string) => ({ memberId }) as Me;
const drill = (state: Operation['state'], type: Operation['type'] = 'tracking') =>
  ({
    id: 'd',
    type,
    state,
    participants: [
      { memberId: 'stiles', role: 'runner' },
      { memberId: 'rex', role: 'tracker' },
      { memberId: 'malia', role: 'tracker' },
    ],
  }) as Operation;

describe('who presses Found', () => {
  it('is a tracker themself, and a handler for their K9', () => {
    expect(findersFor(drill('running'), me('malia'), members).map((m) => m.id)).toEqual(['malia']);
    expect(findersFor(drill('running'), me('scott'), members).map((m) => m.id)).toEqual(['rex']);
  });

  it('is no one for the runner, outside a running tracking drill, or before sign-in', () => {
    expect(findersFor(drill('running'), me('stiles'), members)).toEqual([]);
    expect(findersFor(drill('planned'), me('malia'), members)).toEqual([]);
    expect(findersFor(drill('running', 'general'), me('malia'), members)).toEqual([]);
    expect(findersFor(drill('running'), null, members)).toEqual([]);
    expect(findersFor(null, me('malia'), members)).toEqual([]);
  });
});
