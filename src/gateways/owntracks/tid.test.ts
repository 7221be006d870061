import { describe, expect, it } from 'vitest';
import { assignTids } from './tid.ts';

const tids = (...callsigns: string[]) => [
  ...assignTids(callsigns.map((callsign, i) => ({ id: `m${i}`, callsign }))).values(),
];

describe('assignTids', () => {
  it('gives each member the first two letters or digits of the callsign', () => {
    expect(tids('ALPHA1', 'K9-2', 'viper')).toEqual(['AL', 'K9', 'VI']);
  });

  it('keeps tids unique within the team: the first and last letter or digit, then any', () => {
    expect(tids('ALPHA1', 'ALPHA2', 'AL', 'ALL')).toEqual(['AL', 'A2', 'AA', 'AB']);
  });

  it('skips punctuation and spaces', () => {
    expect(tids('R. 2 D.2')).toEqual(['R2']);
  });

  it('does not change earlier members’ tids when one joins', () => {
    const before = tids('ALPHA1', 'BRAVO');
    expect(tids('ALPHA1', 'BRAVO', 'ALPHA2').slice(0, 2)).toEqual(before);
  });

  it('always finds two characters, even for a crowd of look-alikes', () => {
    const crowd = Array.from({ length: 60 }, () => 'ZZ');
    const out = tids(...crowd);
    expect(new Set(out).size).toBe(60);
    for (const t of out) expect(t).toMatch(/^[A-Z0-9]{2}$/);
  });
});
