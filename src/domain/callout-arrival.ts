import { distanceM, type Point } from './geo.ts';
import type { Fix } from './separation.ts';

/**
 * A callout (an incident not escalated from an exercise: a leader's callout, or an SOS or declaration on a
 * quiet day) finds its members at home, at work, on the road. Howl watches a member's separation, silence
 * and stillness only once they have arrived, and a member has arrived when:
 * - they answered the callout "arrived", or
 * - a fresh fix puts them within the team's separation distance of the incident's position (where it was
 *   declared or the callout's rendezvous), or
 * - a fresh fix puts them within that distance of a member who has arrived (they joined the group on scene),
 * - or, when the incident has no position, of another member who answered the callout (the group forms
 *   where the responders meet).
 * Arrival sticks for the rest of the incident: leaving the group afterwards is what separation is about.
 */
export interface ArrivalInput {
  /** Members who had arrived before (arrival sticks). */
  readonly before: ReadonlySet<string>;
  /** Members whose latest callout answer is "arrived". */
  readonly answeredArrived: ReadonlySet<string>;
  /** Members who answered the callout "responding" or "arrived". */
  readonly responding: ReadonlySet<string>;
  /** Fresh fixes of the members watched. */
  readonly fresh: readonly Fix[];
  /** The incident's position, when it has one. */
  readonly scene: Point | null;
  readonly limitM: number;
}

/** The members who have arrived at a callout (see ArrivalInput for the rule). */
export function arrivedMembers(c: ArrivalInput): Set<string> {
  const arrived = new Set([...c.before, ...c.answeredArrived]);
  const near = (a: Fix, b: Point) => distanceM(a, b) <= c.limitM;
  for (const f of c.fresh) {
    if (c.scene && near(f, c.scene)) arrived.add(f.memberId);
    if (!c.scene && c.responding.has(f.memberId)) {
      const met = c.fresh.some(
        (o) => o.memberId !== f.memberId && c.responding.has(o.memberId) && near(f, o),
      );
      if (met) arrived.add(f.memberId);
    }
  }
  // Joining someone on scene is arriving too: spread until nobody new is near an arrived member.
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of c.fresh) {
      if (arrived.has(f.memberId)) continue;
      if (c.fresh.some((o) => arrived.has(o.memberId) && near(f, o))) {
        arrived.add(f.memberId);
        grew = true;
      }
    }
  }
  return arrived;
}

/**
 * Whether a member is asked "are you coming?" for an incident: not the member who raised it (the SOS sender,
 * who declared it), nor the participants of the exercise it interrupted: they are on scene already.
 */
export function asksToRespond(
  memberId: string,
  incident: { declaredBy: string | null; onScene: ReadonlySet<string> },
): boolean {
  return memberId !== incident.declaredBy && !incident.onScene.has(memberId);
}
