import { describe, expect, it } from 'vitest';
import { findersAmong, mayActFor, speaksFor } from './drill-roles.ts';

const scott = { id: 'scott', handlerId: null };
const rex = { id: 'rex', handlerId: 'scott' };
const stiles = { id: 'stiles', handlerId: null };

describe('drill roles', () => {
  it('lets a member speak for themself and the K9s they handle, not for others', () => {
    expect(speaksFor('scott', scott)).toBe(true);
    expect(speaksFor('scott', rex)).toBe(true);
    expect(speaksFor('scott', stiles)).toBe(false);
    expect(speaksFor('stiles', rex)).toBe(false);
  });

  it('lets a leader act for anyone, a member only for themself and their K9s', () => {
    expect(mayActFor({ memberId: 'lead', role: 'leader' }, stiles)).toBe(true);
    expect(mayActFor({ memberId: 'scott', role: 'member' }, rex)).toBe(true);
    expect(mayActFor({ memberId: 'stiles', role: 'member' }, rex)).toBe(false);
  });

  it('finds the trackers a member presses Found for', () => {
    const trackers = new Set(['rex', 'stiles']);
    expect(findersAmong('scott', trackers, [scott, rex, stiles]).map((m) => m.id)).toEqual(['rex']);
    expect(findersAmong('stiles', trackers, [scott, rex, stiles]).map((m) => m.id)).toEqual(['stiles']);
  });
});
