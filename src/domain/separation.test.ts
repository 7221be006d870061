import { describe, expect, it } from 'vitest';
import { destination, type Point } from './geo.ts';
import { type Fix, separatedFromBuddy, separatedMembers } from './separation.ts';

const BASE: Point = { lat: 47.37, lon: 8.54 };
const at = (memberId: string, bearing: number, distM: number): Fix => ({
  memberId,
  ...destination(BASE, bearing, distM),
});

describe('separatedMembers', () => {
  it('finds the member farther than the limit from every other', () => {
    const fixes = [at('lead', 0, 0), at('alfa', 90, 100), at('bravo', 0, 1000)];
    expect(separatedMembers(fixes, 300)).toEqual(['bravo']);
  });

  it('counts the nearest member, not the group centre', () => {
    // A line of members 250 m apart: each has a neighbour within 300 m.
    const fixes = [0, 250, 500, 750, 1000].map((m, i) => at(`m${i}`, 0, m));
    expect(separatedMembers(fixes, 300)).toEqual([]);
    expect(separatedMembers(fixes, 200)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('is not separated at exactly the limit, separated just beyond it', () => {
    const near = [at('a', 0, 0), at('b', 0, 299.5), at('c', 180, 200)];
    expect(separatedMembers(near, 300)).toEqual([]);
    const far = [at('a', 0, 0), at('b', 0, 301), at('c', 180, 200)];
    expect(separatedMembers(far, 300)).toEqual(['b']);
  });

  it('finds both of two members far apart, and two groups far apart none', () => {
    expect(separatedMembers([at('a', 0, 0), at('b', 0, 500)], 300)).toEqual(['a', 'b']);
    const groups = [at('a', 0, 0), at('b', 90, 50), at('c', 0, 2000), at('d', 0, 2050)];
    expect(separatedMembers(groups, 300)).toEqual([]);
  });

  it('finds nobody when fewer than two members report', () => {
    expect(separatedMembers([], 300)).toEqual([]);
    expect(separatedMembers([at('alone', 0, 0)], 300)).toEqual([]);
  });

  it('does not count a member as their own neighbour', () => {
    const fixes = [at('a', 0, 0), at('a', 0, 10), at('b', 0, 1000)];
    expect(separatedMembers(fixes, 300)).toEqual(['a', 'a', 'b']);
  });
});

describe('separatedFromBuddy', () => {
  const fixes = [at('lead', 0, 0), at('alfa', 90, 100), at('bravo', 0, 1000), at('charlie', 0, 1100)];

  it('finds members farther than the limit from their buddy, even when near others', () => {
    const buddies = new Map([
      ['alfa', 'bravo'],
      ['bravo', 'alfa'],
      ['charlie', 'bravo'],
    ]);
    expect(separatedFromBuddy(fixes, buddies, 300).sort()).toEqual(['alfa', 'bravo']);
  });

  it('says nothing about a pair when either does not report', () => {
    const buddies = new Map([
      ['alfa', 'ghost'],
      ['ghost', 'alfa'],
    ]);
    expect(separatedFromBuddy(fixes, buddies, 300)).toEqual([]);
  });

  it('finds nobody without buddies', () => {
    expect(separatedFromBuddy(fixes, new Map(), 300)).toEqual([]);
  });
});
