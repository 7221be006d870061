import { DeviceId } from '../../contract/common.ts';
import { deviceAuth, type MemberAuth } from '../../services/core/auth.ts';
import type { CotServices } from './services.ts';

/** The member a TAK connection speaks for, once its uid is known as one of their devices. */
export interface BoundMember {
  deviceId: string;
  memberId: string;
  teamId: string;
  callsign: string;
  /** The member as services see a device of theirs: what an OsmAnd alarm is raised as. */
  auth: MemberAuth;
}

/**
 * Binds a TAK uid to a member: only a uid registered as a device (`howl member add --device UID`) binds.
 * A callsign alone is no credential: anyone can type one.
 */
export class DeviceBinder {
  constructor(private readonly services: CotServices) {}

  async resolve(uid: string): Promise<BoundMember | undefined> {
    if (!DeviceId.safeParse(uid).success) return undefined;
    // The services' own directory: it hears at once of devices added and members removed on this node.
    const owner = await this.services.devices.owner(uid);
    if (!owner) return undefined;
    const probe = deviceAuth(owner.memberId, owner.teamId);
    const member = (await this.services.members.list(probe, owner.teamId)).find(
      (m) => m.id === owner.memberId,
    );
    if (!member) return undefined;
    return {
      deviceId: uid,
      memberId: member.id,
      teamId: owner.teamId,
      callsign: member.callsign,
      auth: deviceAuth(member.id, owner.teamId, member.role),
    };
  }
}
