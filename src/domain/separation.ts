import { distanceM, type Point } from './geo.ts';

export interface Fix extends Point {
  readonly memberId: string;
}

/** Members farther than `limitM` from every other reporting member (none when fewer than two report). */
export function separatedMembers(fixes: readonly Fix[], limitM: number): string[] {
  if (fixes.length < 2) return [];
  return fixes
    .filter((f) => fixes.every((o) => o.memberId === f.memberId || distanceM(f, o) > limitM))
    .map((f) => f.memberId);
}

/** Members farther than `limitM` from their assigned buddy (both must be reporting). */
export function separatedFromBuddy(
  fixes: readonly Fix[],
  buddies: ReadonlyMap<string, string>,
  limitM: number,
): string[] {
  const byId = new Map(fixes.map((f) => [f.memberId, f]));
  const out: string[] = [];
  for (const [memberId, buddyId] of buddies) {
    const a = byId.get(memberId);
    const b = byId.get(buddyId);
    if (a && b && distanceM(a, b) > limitM) out.push(memberId);
  }
  return out;
}
