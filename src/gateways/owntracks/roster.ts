import type { Member } from '../../contract/members.ts';
import { deviceAuth } from '../../services/core/auth.ts';
import type { OwnTracksServices } from './services.ts';
import { assignTids } from './tid.ts';

/** The tid of alerts Howl raises by itself (no member sent them). */
export const HOWL_TID = 'HW';

export interface RosterMember {
  id: string;
  callsign: string;
  tid: string;
  devices: readonly string[];
}

/** A team's members as OwnTracks shows them: callsign, unique tid, devices. */
export class Roster {
  private readonly byId = new Map<string, RosterMember>();

  constructor(
    readonly teamId: string,
    members: readonly Member[],
  ) {
    // Joining order keeps each member's tid as others join.
    const ordered = [...members].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    const tids = assignTids(ordered);
    for (const m of ordered) {
      this.byId.set(m.id, {
        id: m.id,
        callsign: m.callsign,
        tid: tids.get(m.id) ?? HOWL_TID,
        devices: m.devices,
      });
    }
  }

  get(memberId: string): RosterMember | undefined {
    return this.byId.get(memberId);
  }

  all(): RosterMember[] {
    return [...this.byId.values()];
  }

  /** The tid of an alert's sender: the member's, or Howl's own. */
  tidOf(memberId: string | null): string {
    return (memberId && this.byId.get(memberId)?.tid) || HOWL_TID;
  }
}

/** The team's roster, read as one of its members. */
export async function loadRoster(
  services: OwnTracksServices,
  teamId: string,
  asMemberId: string,
): Promise<Roster> {
  return new Roster(teamId, await services.members.list(deviceAuth(asMemberId, teamId), teamId));
}
