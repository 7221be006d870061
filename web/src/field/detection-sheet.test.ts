import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../src/contract/operations.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { searchesIn } from './DetectionSheet.tsx';

const me = (memberId: string) => ({ memberId }) as Me;
const drill = (state: Operation['state'], type: Operation['type'] = 'detection') =>
  ({
    id: 'd',
    type,
    state,
    participants: [
      { memberId: 'scott', role: 'searcher' },
      { memberId: 'derek', role: 'controller' },
    ],
  }) as Operation;

describe('who sees the detection sheet', () => {
  it('is a searcher of the running detection drill', () => {
    expect(searchesIn(drill('running'), me('scott'))).toBe(true);
  });

  it('is no one else, and no one outside a running detection drill or before sign-in', () => {
    expect(searchesIn(drill('running'), me('derek'))).toBe(false);
    expect(searchesIn(drill('planned'), me('scott'))).toBe(false);
    expect(searchesIn(drill('ended'), me('scott'))).toBe(false);
    expect(searchesIn(drill('running', 'tracking'), me('scott'))).toBe(false);
    expect(searchesIn(null, me('scott'))).toBe(false);
    expect(searchesIn(drill('running'), null)).toBe(false);
  });
});
