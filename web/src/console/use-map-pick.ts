import { useCallback, useMemo, useState } from 'react';
import type { LatLon } from '../../../src/contract/common.ts';

export type PickKind = 'base' | 'area' | 'segment' | 'contact' | 'ipp';

export interface MapPick {
  /** What the next map click is for, if anything. */
  kind: PickKind | null;
  start: (kind: PickKind) => void;
  stop: () => void;
  /** The exercise area or search segment being drawn, corner by corner (null: none). */
  draftArea: readonly LatLon[] | null;
  undoCorner: () => void;
  clearArea: () => void;
  /** Starts from an existing area (a planned exercise being edited). */
  setArea: (area: readonly LatLon[] | null) => void;
  /** The point picked for a contact report. */
  contactAt: LatLon | null;
  clearContact: () => void;
  /** The initial planning point picked for distance rings. */
  ippAt: LatLon | null;
  setIpp: (p: LatLon | null) => void;
  /** The handler for the map: null when clicks are not being picked. */
  onPick: ((p: LatLon) => void) | null;
}

/**
 * Map clicks as input: the base (one click), an exercise area (corner after corner), a contact position, the
 * initial planning point of distance rings.
 */
export function useMapPick(onBase: (p: LatLon) => void): MapPick {
  const [kind, setKind] = useState<PickKind | null>(null);
  const [draftArea, setDraftArea] = useState<LatLon[] | null>(null);
  const [contactAt, setContactAt] = useState<LatLon | null>(null);
  const [ippAt, setIpp] = useState<LatLon | null>(null);

  const start = useCallback((k: PickKind) => {
    setKind(k);
    if (k === 'area') setDraftArea((a) => a ?? []);
    if (k === 'segment') setDraftArea([]);
  }, []);
  const stop = useCallback(() => setKind(null), []);

  const onPick = useMemo(() => {
    switch (kind) {
      case 'base':
        return (p: LatLon) => {
          setKind(null);
          onBase(p);
        };
      case 'area':
      case 'segment':
        return (p: LatLon) => setDraftArea((a) => [...(a ?? []), p]);
      case 'contact':
        return (p: LatLon) => {
          setKind(null);
          setContactAt(p);
        };
      case 'ipp':
        return (p: LatLon) => {
          setKind(null);
          setIpp(p);
        };
      default:
        return null;
    }
  }, [kind, onBase]);

  return {
    kind,
    start,
    stop,
    draftArea,
    undoCorner: () => setDraftArea((a) => (a ? a.slice(0, -1) : a)),
    clearArea: () => {
      setDraftArea(null);
      setKind((k) => (k === 'area' || k === 'segment' ? null : k));
    },
    setArea: (area) => setDraftArea(area ? [...area] : null),
    contactAt,
    clearContact: () => setContactAt(null),
    ippAt,
    setIpp,
    onPick,
  };
}
