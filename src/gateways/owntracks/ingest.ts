import type { Position, PositionReport } from '../../contract/positions.ts';
import { HowlError } from '../../services/errors.ts';
import type { OwnTracksLogger } from './logger.ts';
import type { OwnTracksLocation, OwnTracksMessage } from './parse.ts';

/** The member an app speaks for, as far as the transport knows. */
export interface AppIdentity {
  memberId: string;
  teamId: string;
  /** The Howl device id, when the app is one (`USER-DEVICE`). */
  deviceId?: string;
  via: 'mqtt' | 'http';
}

export type StorePosition = (report: Omit<PositionReport, 'deviceId'>) => Promise<Position>;

export type IngestOutcome =
  | { kind: 'stored'; position: Position }
  | { kind: 'logged'; note: 'transition' | 'lwt' }
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
 * What one message from a known app does in Howl: a location becomes a position (through `store`, which may
 * throw a HowlError for a fix Howl refuses); a transition (a region the app's own geofence entered or left)
 * and a lost-connection notice are logged only, for Howl has no table of them yet; everything else is ignored.
 */
export async function ingest(
  msg: OwnTracksMessage,
  who: AppIdentity,
  store: StorePosition,
  log: OwnTracksLogger,
): Promise<IngestOutcome> {
  const ctx = { memberId: who.memberId, teamId: who.teamId, deviceId: who.deviceId, via: who.via };
  switch (msg.type) {
    case 'location':
      try {
        return { kind: 'stored', position: await store(toReport(msg.location)) };
      } catch (err) {
        // The positions service names the OsmAnd field; OwnTracks calls it `tst`.
        if (err instanceof HowlError && err.code === 'invalid_time')
          throw new HowlError(400, 'invalid_time', err.message.replace(/^timestamp:/, 'tst:'), {
            field: 'tst',
          });
        throw err;
      }
    case 'transition': {
      const t = msg.transition;
      log.info(
        {
          ...ctx,
          event: t.event,
          region: t.desc ?? null,
          time: t.time.toISOString(),
          ...(t.lat !== undefined && t.lon !== undefined && { lat: t.lat, lon: t.lon }),
        },
        `owntracks: app ${t.event === 'enter' ? 'entered' : 'left'} region ${JSON.stringify(t.desc ?? '?')} (logged only: Howl keeps no geofence events yet)`,
      );
      return { kind: 'logged', note: 'transition' };
    }
    case 'lwt':
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
