import RBush, { type BBox } from 'rbush';
import { type Polyline, segmentDistance2 } from './track-geometry.ts';

interface SegmentItem extends BBox {
  readonly i: number;
}

/** rbush's tree nodes, as `toJSON()` returns them (the shape rbush-knn relies on too). */
interface TreeNode extends BBox {
  leaf: boolean;
  height: number;
  readonly children: (TreeNode | SegmentItem)[];
}

const NODE_SIZE = 16;

/** Turns a tree whose items are leaf nodes into one tree: its leaves become inner nodes, one level higher. */
function raise(node: TreeNode): void {
  if (node.leaf) node.leaf = false;
  else for (const child of node.children) raise(child as TreeNode);
  node.height += 1;
}

/** An rbush index over the segments of a polyline, answering box searches and exact nearest-segment queries. */
export class SegmentIndex {
  readonly tree = new RBush<SegmentItem>(NODE_SIZE);
  private readonly root: TreeNode;
  // A binary heap of nodes by squared box distance, reused across queries.
  private heapNodes: TreeNode[] = [];
  private heapKeys: number[] = [];
  /** The segment nearest to the last `nearest` query. */
  lastSegment = 0;

  constructor(readonly line: Polyline) {
    const { x, y } = line;
    // Leaves of consecutive segments (a track is spatially coherent, so their boxes are tight), then rbush's
    // bulk load over the leaves, and the two joined through rbush's own import format: much faster than bulk
    // loading every segment, and as good to search.
    const leaves: TreeNode[] = [];
    const segments = x.length - 1;
    for (let start = 0; start < segments; start += NODE_SIZE) {
      const children: SegmentItem[] = [];
      let minX = Number.POSITIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (let i = start; i < Math.min(segments, start + NODE_SIZE); i++) {
        const ax = x[i] as number;
        const ay = y[i] as number;
        const bx = x[i + 1] as number;
        const by = y[i + 1] as number;
        const item = {
          minX: Math.min(ax, bx),
          minY: Math.min(ay, by),
          maxX: Math.max(ax, bx),
          maxY: Math.max(ay, by),
          i,
        };
        if (item.minX < minX) minX = item.minX;
        if (item.minY < minY) minY = item.minY;
        if (item.maxX > maxX) maxX = item.maxX;
        if (item.maxY > maxY) maxY = item.maxY;
        children.push(item);
      }
      leaves.push({ children, height: 1, leaf: true, minX, minY, maxX, maxY });
    }
    const upper = new RBush<TreeNode>(NODE_SIZE).load(leaves).toJSON() as TreeNode;
    raise(upper);
    this.tree.fromJSON(upper);
    this.root = this.tree.toJSON() as TreeNode;
  }

  /** Squared distance from p to segment i. */
  distance2(i: number, px: number, py: number): number {
    const { x, y } = this.line;
    return segmentDistance2(px, py, x[i] as number, y[i] as number, x[i + 1] as number, y[i + 1] as number);
  }

  /** Segments whose bounding box meets the box around a–b grown by `marginM`. */
  near(ax: number, ay: number, bx: number, by: number, marginM: number): SegmentItem[] {
    return this.tree.search({
      minX: Math.min(ax, bx) - marginM,
      minY: Math.min(ay, by) - marginM,
      maxX: Math.max(ax, bx) + marginM,
      maxY: Math.max(ay, by) + marginM,
    });
  }

  /**
   * Distance in metres from p to the nearest segment (exact: best-first search over the tree). `hint`, a segment
   * likely to be near (the previous answer along a track), bounds the search from the start.
   */
  nearest(px: number, py: number, hint = this.lastSegment): number {
    let best = this.distance2(hint, px, py);
    let bestI = hint;
    const nodes = this.heapNodes;
    const keys = this.heapKeys;
    nodes.length = 0;
    keys.length = 0;
    let node: TreeNode | undefined = this.root;
    for (;;) {
      if (node.leaf) {
        for (const child of node.children) {
          const item = child as SegmentItem;
          if (boxDistance2(item, px, py) >= best) continue;
          const d2 = this.distance2(item.i, px, py);
          if (d2 < best) {
            best = d2;
            bestI = item.i;
          }
        }
      } else {
        for (const child of node.children) {
          const k = boxDistance2(child, px, py);
          if (k < best) heapPush(nodes, keys, child as TreeNode, k);
        }
      }
      node = undefined;
      while (nodes.length > 0) {
        const k = keys[0] as number;
        const next = heapPop(nodes, keys);
        if (k < best) {
          node = next;
          break;
        }
        nodes.length = 0;
        keys.length = 0;
      }
      if (!node) break;
    }
    this.lastSegment = bestI;
    return Math.sqrt(best);
  }
}

/**
 * Exact distances to the nearest segment for a sequence of nearby query points (samples along a track). After a
 * full search at an anchor point, it keeps the segments within `r` of the anchor, sorted by distance; for a point
 * δ from the anchor, any other segment is farther than r − δ, so the nearest among those kept is the answer when
 * it is closer than that, and a kept segment at distance a from the anchor can only beat the best so far if
 * a − δ is less. Far from the line (beyond `cacheWithinM`) nothing is kept: too many segments would be.
 */
export class NearestWalker {
  private segments = new Int32Array(64);
  private anchorDistances = new Float64Array(64);
  private count = 0;
  private anchorX = 0;
  private anchorY = 0;
  private radius = -1;

  constructor(
    readonly index: SegmentIndex,
    readonly marginM = 15,
    readonly cacheWithinM = 60,
  ) {}

  /** Distance from p to the nearest segment, in metres. */
  distance(px: number, py: number): number {
    const { x, y } = this.index.line;
    const moved = Math.hypot(px - this.anchorX, py - this.anchorY);
    if (moved < this.radius) {
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < this.count; k++) {
        if ((this.anchorDistances[k] as number) - moved >= best) break;
        const i = this.segments[k] as number;
        const d = Math.sqrt(
          segmentDistance2(px, py, x[i] as number, y[i] as number, x[i + 1] as number, y[i + 1] as number),
        );
        if (d < best) best = d;
      }
      if (best <= this.radius - moved) return best;
    }
    return this.refresh(px, py);
  }

  private refresh(px: number, py: number): number {
    const d = this.index.nearest(px, py);
    this.count = 0;
    this.radius = -1;
    if (d > this.cacheWithinM) return d;
    const r = d + this.marginM;
    const near = this.index.near(px, py, px, py, r);
    if (near.length > this.segments.length) {
      this.segments = new Int32Array(near.length * 2);
      this.anchorDistances = new Float64Array(near.length * 2);
    }
    const segments = this.segments;
    const distances = this.anchorDistances;
    let n = 0;
    for (const item of near) {
      const di = Math.sqrt(this.index.distance2(item.i, px, py));
      if (di > r) continue;
      // Insertion sort: the lists are short.
      let k = n++;
      while (k > 0 && (distances[k - 1] as number) > di) {
        distances[k] = distances[k - 1] as number;
        segments[k] = segments[k - 1] as number;
        k--;
      }
      distances[k] = di;
      segments[k] = item.i;
    }
    this.count = n;
    this.anchorX = px;
    this.anchorY = py;
    this.radius = r;
    return d;
  }
}

function boxDistance2(b: BBox, px: number, py: number): number {
  const dx = px < b.minX ? b.minX - px : px > b.maxX ? px - b.maxX : 0;
  const dy = py < b.minY ? b.minY - py : py > b.maxY ? py - b.maxY : 0;
  return dx * dx + dy * dy;
}

function heapPush<T>(items: T[], keys: number[], item: T, key: number): void {
  let i = items.length;
  items.push(item);
  keys.push(key);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pk = keys[parent] as number;
    if (pk <= key) break;
    items[i] = items[parent] as T;
    keys[i] = pk;
    i = parent;
  }
  items[i] = item;
  keys[i] = key;
}

function heapPop<T>(items: T[], keys: number[]): T {
  const top = items[0] as T;
  const lastItem = items.pop() as T;
  const lastKey = keys.pop() as number;
  const n = items.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (keys[child + 1] as number) < (keys[child] as number)) child++;
      if ((keys[child] as number) >= lastKey) break;
      items[i] = items[child] as T;
      keys[i] = keys[child] as number;
      i = child;
    }
    items[i] = lastItem;
    keys[i] = lastKey;
  }
  return top;
}
