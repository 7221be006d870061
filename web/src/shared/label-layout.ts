/** Where a marker's label goes: beside its dot on the right or left, above or below it, or not at all. */
export type LabelSide = 'right' | 'left' | 'above' | 'below' | 'hidden';

export interface LabelItem {
  readonly id: string;
  /** The dot's centre on the screen, in pixels. */
  readonly x: number;
  readonly y: number;
  /** The label's size in pixels. */
  readonly w: number;
  readonly h: number;
  /** Higher first: an SOS before the selected member before the rest. */
  readonly priority: number;
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const DOT = 9; // half the dot, with its ring
const GAP = 11; // between the dot's centre and the label's near edge, beyond the dot

function rectOf(it: LabelItem, side: Exclude<LabelSide, 'hidden'>): Rect {
  switch (side) {
    case 'right':
      return { x0: it.x + GAP, y0: it.y - it.h / 2, x1: it.x + GAP + it.w, y1: it.y + it.h / 2 };
    case 'left':
      return { x0: it.x - GAP - it.w, y0: it.y - it.h / 2, x1: it.x - GAP, y1: it.y + it.h / 2 };
    case 'above':
      return { x0: it.x - it.w / 2, y0: it.y - GAP - it.h, x1: it.x + it.w / 2, y1: it.y - GAP };
    case 'below':
      return { x0: it.x - it.w / 2, y0: it.y + GAP, x1: it.x + it.w / 2, y1: it.y + GAP + it.h };
  }
}

const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Labels that never overlap each other nor another marker's dot: the most important first, each on the
 * first free side (right, left, above, below); one with no free side is hidden (its dot stays, and its
 * callsign is in the dot's tooltip). The most important label is always shown.
 */
export function layoutLabels(items: readonly LabelItem[]): Map<string, LabelSide> {
  const dots: Rect[] = items.map((it) => ({
    x0: it.x - DOT,
    y0: it.y - DOT,
    x1: it.x + DOT,
    y1: it.y + DOT,
  }));
  const order = items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => b.it.priority - a.it.priority || a.it.id.localeCompare(b.it.id));
  const placed: Rect[] = [];
  const out = new Map<string, LabelSide>();
  for (const [n, { it, i }] of order.entries()) {
    const free = (['right', 'left', 'above', 'below'] as const).find((side) => {
      const r = rectOf(it, side);
      return !placed.some((p) => overlaps(p, r)) && !dots.some((d, j) => j !== i && overlaps(d, r));
    });
    const side = free ?? (n === 0 ? 'right' : 'hidden');
    out.set(it.id, side);
    if (side !== 'hidden') placed.push(rectOf(it, side));
  }
  return out;
}
