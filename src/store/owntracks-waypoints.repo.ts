import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, OwnTracksWaypointsTable } from './schema.ts';

export type WaypointRow = Selectable<OwnTracksWaypointsTable>;
export type NewWaypoint = Omit<Insertable<OwnTracksWaypointsTable>, 'id'>;

/**
 * Stores an app's regions: `replace` makes them the device's whole list (an OwnTracks `waypoints`), else
 * each replaces the device's region of the same name (one `waypoint`). Run inside a transaction.
 */
export async function saveWaypoints(
  db: Kysely<DB>,
  device: { teamId: string; memberId: string; deviceId: string },
  rows: readonly NewWaypoint[],
  replace: boolean,
): Promise<void> {
  let del = db
    .deleteFrom('owntracks_waypoints')
    .where('team_id', '=', device.teamId)
    .where('member_id', '=', device.memberId)
    .where('device_id', '=', device.deviceId);
  if (!replace) {
    if (rows.length === 0) return;
    del = del.where(
      'name',
      'in',
      rows.map((r) => r.name),
    );
  }
  await del.execute();
  if (rows.length > 0)
    await db
      .insertInto('owntracks_waypoints')
      .values([...rows])
      .execute();
}

/** A member's regions, by device then name. */
export async function waypointsOf(db: Kysely<DB>, teamId: string, memberId: string): Promise<WaypointRow[]> {
  return db
    .selectFrom('owntracks_waypoints')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('member_id', '=', memberId)
    .orderBy('device_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
}
