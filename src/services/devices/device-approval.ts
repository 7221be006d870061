import type { Kysely } from 'kysely';
import { conflict, HowlError } from '../../contract/errors.ts';
import { findDeviceOwner, insertDevice } from '../../store/devices.repo.ts';
import { getMember } from '../../store/members.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { Auth } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { toMember } from '../teams/team-mappers.ts';
import type { DeviceDirectory } from './device-directory.ts';

export interface ApprovalDeps {
  db: Kysely<DB>;
  bus: LiveBus;
  devices: DeviceDirectory;
  now: () => Date;
}

/**
 * Registers a device id a gateway held (a TAK uid, a Meshtastic node id) as a device of a member of the
 * leader's team, and tells the team (`member.added` with the member as they now are). `field` names the id
 * in errors. The caller has checked the leader and that the id was waiting for this team.
 */
export async function approveHeldDevice(
  d: ApprovalDeps,
  auth: Auth,
  teamId: string,
  id: string,
  memberId: string,
  field: string,
): Promise<{ callsign: string }> {
  const owner = await findDeviceOwner(d.db, id);
  if (owner) {
    throw conflict(
      owner.teamId === teamId
        ? `${field}: ${id} is already a device of a member of your team`
        : `${field}: ${id} is already registered to another team`,
      { field },
    );
  }
  const actor = auth.kind === 'member' ? auth.memberId : null;
  let result: { event: Awaited<ReturnType<typeof logEvent>>; callsign: string };
  try {
    result = await d.db.transaction().execute(async (trx) => {
      const row = await getMember(trx, memberId);
      if (!row || row.team_id !== teamId || row.removed_at !== null)
        throw new HowlError(404, 'not_found', 'memberId: no such member in your team', { field: 'memberId' });
      await insertDevice(trx, { id, member_id: row.id, team_id: teamId });
      // `member.added` carries the member as they now are (every live client upserts by id), without device
      // ids: events reach every member, and a device id is a credential.
      const event = await logEvent(
        trx,
        teamId,
        { type: 'member.added', member: toMember(row, []) },
        actor,
        d.now(),
      );
      return { event, callsign: row.callsign };
    });
  } catch (e) {
    if ((e as { code?: string })?.code === '23505')
      throw conflict(`${field}: ${id} was registered a moment ago`, { field });
    throw e;
  }
  d.devices.added(id);
  publishEvents(d.bus, teamId, [result.event]);
  return { callsign: result.callsign };
}
