import type { Role } from './vocabulary.ts';

/** A drill participant as the rules need them: a person, or a K9 with its handler. */
export interface ParticipantRef {
  id: string;
  handlerId?: string | null;
}

/** Whether a member speaks for a participant in the field (presses Found): themself, or a K9 they handle. */
export function speaksFor(memberId: string, participant: ParticipantRef): boolean {
  return participant.id === memberId || participant.handlerId === memberId;
}

/** Whether a member may act for a participant (Found, tracks, progress): a leader, themself, or the K9's handler. */
export function mayActFor(actor: { memberId: string; role: Role }, participant: ParticipantRef): boolean {
  return actor.role === 'leader' || speaksFor(actor.memberId, participant);
}

/** The trackers a member presses Found for: of `trackerIds`, themself and the K9s they handle. */
export function findersAmong<P extends ParticipantRef>(
  memberId: string,
  trackerIds: ReadonlySet<string>,
  members: readonly P[],
): P[] {
  return members.filter((m) => trackerIds.has(m.id) && speaksFor(memberId, m));
}
