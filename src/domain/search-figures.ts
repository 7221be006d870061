import { coverage, cumulativePod, podFromCoverage } from './search-coverage.ts';
import { type PoaTable, probabilityOfSuccess, updatePoaAfterSearch } from './search-planning.ts';

/** A segment as planned. */
export interface PlannedSegment {
  readonly id: string;
  readonly areaM2: number;
  /** The POA as planned; null until set. */
  readonly poa: number | null;
}

/** What one assigned searcher walked inside a segment in a sortie. */
export interface WalkedAssignment {
  readonly segmentId: string;
  readonly sortie: number;
  readonly sweepWidthM: number;
  readonly lengthInsideM: number;
  /** When the searcher was sent, and when the assignment ended (null: still out). Epoch ms. */
  readonly startedMs: number;
  readonly endedMs: number | null;
}

export interface SortieFigures {
  readonly sortie: number;
  readonly searchers: number;
  readonly lengthInsideM: number;
  readonly coverage: number;
  readonly pod: number;
  /** The first searcher's start; the last one's end, or null while any is still out (the sortie is in progress). */
  readonly startedMs: number;
  readonly endedMs: number | null;
}

export interface SegmentFigures {
  readonly sorties: readonly SortieFigures[];
  readonly coverage: number;
  readonly pod: number;
  readonly cumulativePod: number;
  readonly pos: number | null;
  readonly currentPoa: number | null;
}

export interface SearchFigures {
  readonly segments: ReadonlyMap<string, SegmentFigures>;
  readonly currentRestOfWorld: number | null;
}

/**
 * The figures of a search: per segment and sortie the coverage C = Σ Wᵢ·Lᵢ/A of the searchers (each with their own
 * sweep width) and POD = 1 − e^(−C); the cumulative POD over the sorties; POS = POA × cumulative POD; and the POA
 * after the searches so far were unsuccessful. Updating after each sortie in turn gives the same POA as one update
 * with the cumulative PODs (Bayes' rule), so the order of the sorties does not matter.
 */
export function searchFigures(
  segments: readonly PlannedSegment[],
  restOfWorld: number | null,
  walked: readonly WalkedAssignment[],
): SearchFigures {
  const out = new Map<string, Omit<SegmentFigures, 'currentPoa'>>();
  for (const s of segments) {
    const bySortie = new Map<number, SortieSum>();
    for (const w of walked) {
      if (w.segmentId !== s.id) continue;
      const acc = bySortie.get(w.sortie) ?? {
        searchers: 0,
        length: 0,
        widthTimesLength: 0,
        startedMs: w.startedMs,
        endedMs: w.endedMs,
      };
      acc.searchers += 1;
      acc.length += w.lengthInsideM;
      acc.widthTimesLength += w.sweepWidthM * w.lengthInsideM;
      acc.startedMs = Math.min(acc.startedMs, w.startedMs);
      acc.endedMs = acc.endedMs === null || w.endedMs === null ? null : Math.max(acc.endedMs, w.endedMs);
      bySortie.set(w.sortie, acc);
    }
    const sorties = [...bySortie.entries()]
      .sort(([a], [b]) => a - b)
      .map(([sortie, acc]) => {
        const c = coverage(1, acc.widthTimesLength, s.areaM2);
        return {
          sortie,
          searchers: acc.searchers,
          lengthInsideM: acc.length,
          coverage: c,
          pod: podFromCoverage(c),
          startedMs: acc.startedMs,
          endedMs: acc.endedMs,
        };
      });
    const cumulative = cumulativePod(sorties.map((x) => x.pod));
    out.set(s.id, {
      sorties,
      coverage: sorties.reduce((sum, x) => sum + x.coverage, 0),
      pod: sorties.at(-1)?.pod ?? 0,
      cumulativePod: cumulative,
      pos: s.poa === null ? null : probabilityOfSuccess(s.poa, cumulative),
    });
  }
  const planned = restOfWorld !== null && segments.every((s) => s.poa !== null);
  let updated: PoaTable | null = null;
  if (planned) {
    const table: PoaTable = {
      segments: Object.fromEntries(segments.map((s) => [s.id, s.poa ?? 0])),
      restOfWorld,
    };
    const pods = Object.fromEntries(segments.map((s) => [s.id, out.get(s.id)?.cumulativePod ?? 0]));
    updated = safeUpdate(table, pods);
  }
  return {
    segments: new Map(
      [...out.entries()].map(([id, f]) => [
        id,
        { ...f, currentPoa: updated ? (updated.segments[id] ?? 0) : null },
      ]),
    ),
    currentRestOfWorld: updated ? updated.restOfWorld : null,
  };
}

interface SortieSum {
  searchers: number;
  length: number;
  widthTimesLength: number;
  startedMs: number;
  endedMs: number | null;
}

/** The update, or null when the searches could not have missed (every POA searched with POD 1). */
function safeUpdate(table: PoaTable, pods: Record<string, number>): PoaTable | null {
  try {
    return updatePoaAfterSearch(table, pods);
  } catch {
    return null;
  }
}
