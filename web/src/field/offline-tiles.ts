import type { LatLon } from '../../../src/contract/common.ts';
import { type Bbox, bboxAround, intersectBbox, tilesToKeep } from '../../../src/domain/tile-area.ts';

/** The Cache Storage the field app's service worker answers /tiles/ from (web/public/field-sw.js). */
export const TILE_CACHE = 'howl-field-tiles-v1';
/** At most this many tiles a kind: about 30–80 MB of vector tiles, what a phone can spare. */
const MAX_TILES = 12_000;
/** Around a base with no operation area: about 5 km each way. */
const BASE_MARGIN_DEG = 0.05;
const CONCURRENCY = 4;

interface TileJson {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
}

export interface CacheStatus {
  tiles: number;
  /** What this site stores on the phone (the app, the map and the outbox), when the browser says. */
  usedBytes: number | null;
}

export interface SaveProgress {
  done: number;
  total: number;
  failed: number;
}

/** How many tiles the phone keeps, and how much this site stores in all. */
export async function cacheStatus(): Promise<CacheStatus> {
  if (typeof caches === 'undefined') return { tiles: 0, usedBytes: null };
  const keys = await (await caches.open(TILE_CACHE)).keys();
  const tiles = keys.filter((k) => !k.url.endsWith('/tile.json')).length;
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  return { tiles, usedBytes: estimate?.usage ?? null };
}

/** The area to keep: the active operation's area, else around the team's base. */
export function areaToKeep(
  operationArea: readonly LatLon[] | null | undefined,
  base: LatLon | null,
): Bbox | null {
  if (operationArea && operationArea.length >= 3) return bboxAround(operationArea, 0.01);
  return base ? bboxAround([base], BASE_MARGIN_DEG) : null;
}

async function tileJson(kind: '@vector' | '@terrain'): Promise<TileJson | null> {
  const res = await fetch(`/tiles/${encodeURIComponent(kind)}/tile.json`, { cache: 'no-store' }).catch(
    () => null,
  );
  return res?.ok ? ((await res.json()) as TileJson) : null;
}

/** Every tile URL of the prepared areas inside `box`, as deep as the phone can afford. */
export async function tileUrlsFor(box: Bbox): Promise<string[]> {
  const urls: string[] = [];
  for (const [kind, ext] of [
    ['@vector', 'mvt'],
    ['@terrain', 'png'],
  ] as const) {
    const tj = await tileJson(kind);
    if (!tj) continue;
    const [west, south, east, north] = tj.bounds;
    const inside = intersectBbox(box, { west, south, east, north });
    if (!inside) continue;
    const { tiles } = tilesToKeep(inside, tj.minzoom, Math.min(tj.maxzoom, 15), MAX_TILES);
    for (const t of tiles) urls.push(`/tiles/${encodeURIComponent(kind)}/${t.z}/${t.x}/${t.y}.${ext}`);
  }
  return urls;
}

/** Fetches and keeps every tile of `box` that is not kept yet; empty tiles (204) are kept too. */
export async function saveArea(box: Bbox, onProgress: (p: SaveProgress) => void): Promise<SaveProgress> {
  const cache = await caches.open(TILE_CACHE);
  const urls = await tileUrlsFor(box);
  const progress: SaveProgress = { done: 0, total: urls.length, failed: 0 };
  onProgress({ ...progress });
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      if (!(await cache.match(url))) {
        const res = await fetch(url).catch(() => null);
        if (res && (res.status === 200 || res.status === 204)) await cache.put(url, res);
        else progress.failed++;
      }
      progress.done++;
      if (progress.done % 50 === 0 || progress.done === progress.total) onProgress({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return progress;
}
