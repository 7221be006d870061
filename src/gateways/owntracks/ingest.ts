import { HowlError } from '../../contract/errors.ts';
import type { Position, PositionReport } from '../../contract/positions.ts';
import { areaOfRow, isAreaRegion } from './area.ts';
import type { OwnTracksLogger } from './logger.ts';
import type { OwnTracksLocation, OwnTracksMessage, OwnTracksTransition } from './parse.ts';
import type { OwnTracksServices } from './services.ts';

/** The member an app speaks for, as far as the transport knows. */
export interface AppIdentity {
  memberId: string;
  teamId: string;
  /** The Howl device id, when the app is one (`USER-DEVICE`). */
  deviceId?: string;
  via: 'mqtt' | 'http';
}

/** The device id in notices and regions of an app that signed in as its member, not as a device of theirs. */
export const MEMBER_APP = 'owntracks';

export type StorePosition = (report: Omit<PositionReport, 'deviceId'>) => Promise<Position>;

export interface IngestDeps {
  services: OwnTracksServices;
  /** Stores a position as the app's device (or as the member's own report). */
  store: StorePosition;
  log: OwnTracksLogger;
}

export type IngestOutcome =
  | { kind: 'stored'; position: Position }
  | { kind: 'logged'; note: 'transition' | 'lwt'; position?: Position }
  | { kind: 'regions'; count: number }
  | { kind: 'ignored'; reason: string };

/** A decoded OwnTracks location as the positions service takes it. */
export function toReport(l: OwnTracksLocation): Omit<PositionReport, 'deviceId'> {
  return {
    time: l.time,
    lat: l.lat,
    lon: l.lon,
    accuracyM: l.accuracyM,
    altitudeM: l.altitudeM,
    speedMps: l.speedMps,
    bearingDeg: l.bearingDeg,
    batteryPct: l.batteryPct,
    charging: l.charging,
    source: 'owntracks',
  };
}

/**
 * What one message from a known app does in Howl:
 *
 * - a location becomes a position (through `store`, which may throw a HowlError for a fix Howl refuses);
 * - a transition (a region of the app's entered or left) stores the position it was sent from, when it has
 *   one (a beacon's has none: 0,0), and becomes a `device.notice` of the team; leaving the running exercise's
 *   area region (as Howl sent it, see area.ts) also raises that exercise's geofence alert about the member;
 * - waypoints (the app's regions) are kept as the device's latest list;
 * - a lost connection (lwt) becomes a `device.notice`;
 * - everything else is ignored.
 */
export async function ingest(
  msg: OwnTracksMessage,
  who: AppIdentity,
  deps: IngestDeps,
): Promise<IngestOutcome> {
  const { services, log } = deps;
  const device = who.deviceId ?? MEMBER_APP;
  const ctx = { memberId: who.memberId, teamId: who.teamId, deviceId: who.deviceId, via: who.via };
  const common = {
    memberId: who.memberId,
    deviceId: device,
    source: 'owntracks' as const,
  };
  switch (msg.type) {
    case 'location':
      return { kind: 'stored', position: await storeAs(deps.store, toReport(msg.location)) };
    case 'transition': {
      const t = msg.transition;
      const here = whereOf(t);
      const position = here
        ? await storeAs(deps.store, {
            time: t.time,
            lat: here.lat,
            lon: here.lon,
            accuracyM: t.accuracyM,
            source: 'owntracks',
          })
        : undefined;
      const op = await services.active.get(who.teamId);
      const operationArea = isAreaRegion(
        op && { kind: op.kind, name: op.name, area: areaOfRow(op.area), createdAt: op.created_at },
        t.desc,
      );
      await services.deviceNotices.onRegion(who.teamId, {
        kind: 'region',
        ...common,
        time: t.time.toISOString(),
        event: t.event,
        region: t.desc ?? null,
        position: here ?? null,
        operationArea,
      });
      log.info(
        {
          ...ctx,
          event: t.event,
          region: t.desc ?? null,
          time: t.time.toISOString(),
          operationArea,
          ...here,
        },
        `owntracks: app ${t.event === 'enter' ? 'entered' : 'left'} region ${JSON.stringify(t.desc ?? '?')}`,
      );
      return { kind: 'logged', note: 'transition', position };
    }
    case 'waypoints': {
      const regions = msg.waypoints.map((w) => ({
        name: w.desc,
        createdAt: w.time,
        lat: w.lat,
        lon: w.lon,
        radiusM: w.radiusM,
        rid: w.rid,
      }));
      await services.regions.save(
        { teamId: who.teamId, memberId: who.memberId, deviceId: device },
        regions,
        msg.replace,
      );
      log.debug({ ...ctx, count: regions.length, replace: msg.replace }, 'owntracks: regions stored');
      return { kind: 'regions', count: regions.length };
    }
    case 'lwt':
      await services.deviceNotices.notice(who.teamId, {
        kind: 'connection_lost',
        ...common,
        // The broker sends the will when it loses the app: that moment is now.
        time: new Date().toISOString(),
        connectedSince: msg.time?.toISOString() ?? null,
      });
      log.warn(
        { ...ctx, connectedSince: msg.time?.toISOString() ?? null },
        'owntracks: the broker lost the app’s connection (lwt)',
      );
      return { kind: 'logged', note: 'lwt' };
    case 'unsupported':
      log.debug(
        { ...ctx, type: msg.messageType },
        `owntracks: _type ${msg.messageType} is not supported, ignored`,
      );
      return { kind: 'ignored', reason: `_type ${msg.messageType} is not supported` };
    case 'empty':
      return { kind: 'ignored', reason: 'empty payload' };
    default: {
      const never: never = msg;
      return never;
    }
  }
}

/** Where a transition happened; none for a beacon's (0,0) or one without coordinates. */
function whereOf(t: OwnTracksTransition): { lat: number; lon: number } | undefined {
  if (t.lat === undefined || t.lon === undefined || (t.lat === 0 && t.lon === 0)) return undefined;
  return { lat: t.lat, lon: t.lon };
}

async function storeAs(store: StorePosition, report: Omit<PositionReport, 'deviceId'>): Promise<Position> {
  try {
    return await store(report);
  } catch (err) {
    // The positions service names the OsmAnd field; OwnTracks calls it `tst`.
    if (err instanceof HowlError && err.code === 'invalid_time')
      throw new HowlError(400, 'invalid_time', err.message.replace(/^timestamp:/, 'tst:'), { field: 'tst' });
    throw err;
  }
}
