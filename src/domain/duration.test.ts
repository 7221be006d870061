import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it('says hours and minutes, minutes and seconds, or seconds', () => {
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(725.4)).toBe('12 min 05 s');
    expect(formatDuration(42)).toBe('42 s');
  });
});
