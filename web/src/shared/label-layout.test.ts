import { describe, expect, it } from 'vitest';
import { type LabelItem, layoutLabels } from './label-layout.ts';

const item = (id: string, x: number, y: number, priority = 0): LabelItem => ({
  id,
  x,
  y,
  w: 60,
  h: 18,
  priority,
});

describe('map label layout', () => {
  it('puts lone labels on the right', () => {
    const out = layoutLabels([item('A', 100, 100), item('B', 400, 100)]);
    expect([...out.values()]).toEqual(['right', 'right']);
  });

  it('moves a label that would cover its neighbour to a free side', () => {
    const out = layoutLabels([item('A', 100, 100), item('B', 150, 100)]);
    // A's right side runs into B's dot: A goes left, B keeps the right.
    expect(out.get('A')).toBe('left');
    expect(out.get('B')).toBe('right');
  });

  it('never overlaps labels, and hides the least important when a bunch has no room', () => {
    const bunch = Array.from({ length: 10 }, (_, i) =>
      item(`M${i}`, 200 + (i % 5) * 4, 200 + Math.floor(i / 5) * 4),
    );
    const sos = item('SOS', 204, 202, 10);
    const out = layoutLabels([...bunch, sos]);
    expect(out.get('SOS')).not.toBe('hidden');
    const shown = [...out.values()].filter((s) => s !== 'hidden');
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThan(11);
  });

  it('shows the first label even with no free side, and is the same whatever the input order', () => {
    const a = layoutLabels([item('A', 0, 0, 1), item('B', 1, 1), item('C', 2, 2)]);
    const b = layoutLabels([item('C', 2, 2), item('B', 1, 1), item('A', 0, 0, 1)]);
    expect(a.get('A')).not.toBe('hidden');
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });
});
