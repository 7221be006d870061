import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

export interface DeviceOwner {
  deviceId: string;
  memberId: string;
  teamId: string;
}

export async function insertDevice(
  db: Kysely<DB>,
  d: { id: string; member_id: string; team_id: string },
): Promise<void> {
  await db.insertInto('devices').values(d).execute();
}

export async function deviceExists(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst();
  return r !== undefined;
}

/** The current member a device belongs to, if any. */
export async function findDeviceOwner(db: Kysely<DB>, id: string): Promise<DeviceOwner | undefined> {
  const r = await db
    .selectFrom('devices')
    .innerJoin('members', 'members.id', 'devices.member_id')
    .select(['devices.id as deviceId', 'devices.member_id as memberId', 'devices.team_id as teamId'])
    .where('devices.id', '=', id)
    .where('members.removed_at', 'is', null)
    .executeTakeFirst();
  return r;
}

/** The ids of current members' devices, in every team, that match a POSIX regular expression (any case). */
export async function deviceIdsMatching(db: Kysely<DB>, pattern: string): Promise<string[]> {
  const rows = await db
    .selectFrom('devices')
    .innerJoin('members', 'members.id', 'devices.member_id')
    .select('devices.id')
    .where('members.removed_at', 'is', null)
    .where(sql<boolean>`devices.id ~* ${pattern}`)
    .orderBy('devices.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Device ids of each member of a team: memberId → ids. */
export async function devicesByMember(db: Kysely<DB>, teamId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'member_id'])
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.member_id, [...(out.get(r.member_id) ?? []), r.id]);
  return out;
}

/** Frees a removed member's device ids; their positions stay. */
export async function deleteMemberDevices(db: Kysely<DB>, memberId: string): Promise<void> {
  await db.deleteFrom('devices').where('member_id', '=', memberId).execute();
}

/** The device ids of one member, oldest first. */
export async function memberDeviceIds(db: Kysely<DB>, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('devices')
    .select('id')
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

/** Gives a device a new id (the old one stops being a credential); false when it was not the member's. */
export async function renameDevice(
  db: Kysely<DB>,
  memberId: string,
  oldId: string,
  newId: string,
): Promise<boolean> {
  const r = await db
    .updateTable('devices')
    .set({ id: newId })
    .where('id', '=', oldId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Frees some of a member's device ids (they stop being credentials); returns the ids that were theirs. */
export async function deleteDevices(
  db: Kysely<DB>,
  memberId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .deleteFrom('devices')
    .where('member_id', '=', memberId)
    .where('id', 'in', ids)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Records what a device said of itself (its name, its battery); false when no such device. */
export async function updateDeviceStatus(
  db: Kysely<DB>,
  id: string,
  s: { name?: string; battery?: number; at: Date },
): Promise<boolean> {
  const r = await db
    .updateTable('devices')
    .set({
      ...(s.name !== undefined && { name: s.name }),
      ...(s.battery !== undefined && { battery: s.battery }),
      status_at: s.at,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What a device last said of itself. */
export async function deviceStatus(
  db: Kysely<DB>,
  id: string,
): Promise<{ name: string | null; battery: number | null } | undefined> {
  return db.selectFrom('devices').select(['name', 'battery']).where('id', '=', id).executeTakeFirst();
}
