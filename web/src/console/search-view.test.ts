import { describe, expect, it } from 'vitest';
import { legendStops, percent, shareColour } from './search-view.ts';

describe('search colours', () => {
  it('runs from the first stop at 0 to the last at 1, through the middle one at 0.5', () => {
    const [low, mid, high] = legendStops('pod');
    expect(shareColour('pod', 0)).toBe(low);
    expect(shareColour('pod', 0.5)).toBe(mid);
    expect(shareColour('pod', 1)).toBe(high);
    expect(shareColour('poa', 2)).toBe(legendStops('poa')[2]);
  });

  it('writes probabilities as whole percentages, unknown as a dash', () => {
    expect(percent(0.3297)).toBe('33 %');
    expect(percent(null)).toBe('—');
  });
});
