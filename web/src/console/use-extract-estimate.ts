import { useEffect, useState } from 'react';
import type { ExtractEstimate } from '../../../src/contract/tiles.ts';
import { type Bbox, splitAntimeridian, tileCount } from '../../../src/domain/tile-area.ts';
import { api, errorMessage } from '../shared/api.ts';

/** What the form says about a new area's size, before it is cut. */
export type EstimateView =
  | { kind: 'none' }
  /** The tiles the box holds, counted here; the bytes need the source. */
  | { kind: 'tiles'; tiles: number }
  | { kind: 'source'; estimate: ExtractEstimate }
  | { kind: 'error'; tiles: number; error: string };

/** The typed box, or null while it is not four numbers south < north, west ≠ east (west > east: across 180°). */
export function parseBboxText(text: string): Bbox | null {
  const parts = text.split(',').map((v) => v.trim());
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  if (parts.length !== 4 || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) return null;
  return west !== east && south < north ? { west, south, east, north } : null;
}

/** Asks the server how big the extract would be once the form has been still this long. */
const SETTLE_MS = 400;

/**
 * The size of the area the form describes: counted at once from the box and zoom, then read from the source's
 * directories by the server (tiles present and bytes) when a source is typed.
 */
export function useExtractEstimate(from: string, bbox: string, maxzoom: string): EstimateView {
  const box = parseBboxText(bbox);
  const z = Number(maxzoom);
  const valid = box !== null && maxzoom.trim() !== '' && Number.isInteger(z) && z >= 0 && z <= 22;
  const tiles = valid ? splitAntimeridian(box).reduce((n, part) => n + tileCount(part, 0, z), 0) : 0;
  const key = valid ? JSON.stringify([from.trim(), box, z]) : '';
  const [asked, setAsked] = useState<{ key: string; view: EstimateView } | null>(null);
  useEffect(() => {
    const [source, b, zoom] = key ? (JSON.parse(key) as [string, Bbox, number]) : ['', null, 0];
    if (!source || !b) return;
    let cancelled = false;
    const t = setTimeout(() => {
      api<ExtractEstimate>('/api/tiles/estimate', {
        method: 'POST',
        body: { from: source, bbox: [b.west, b.south, b.east, b.north], maxzoom: zoom },
      }).then(
        (estimate) => !cancelled && setAsked({ key, view: { kind: 'source', estimate } }),
        (err) => !cancelled && setAsked({ key, view: { kind: 'error', tiles: 0, error: errorMessage(err) } }),
      );
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [key]);
  if (!valid) return { kind: 'none' };
  if (asked?.key === key && from.trim()) {
    return asked.view.kind === 'error' ? { ...asked.view, tiles } : asked.view;
  }
  return { kind: 'tiles', tiles };
}
