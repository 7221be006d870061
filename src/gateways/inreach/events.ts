import type { InReachEvent } from '../../contract/inreach.ts';
import type { InReachReport } from '../../services/devices/inreach.service.ts';
import type { InReachPoint } from './kml.ts';

/** IPC Outbound message codes Howl acts on (Garmin's IPC Outbound documentation, "Message Codes"). */
export const MESSAGE_CODE = { declareSos: 4, confirmSos: 6, cancelSos: 7 } as const;

/**
 * An IPC Outbound event as Howl takes it: its point when the device had a fix (gpsFix above 0), an emergency
 * for "Declare SOS" (4) and "Confirm SOS" (6), its free text. Speed is in km/h.
 */
export function reportOfEvent(e: InReachEvent): InReachReport {
  const p = e.point;
  const fix = p && (p.gpsFix ?? 1) > 0 && !(p.latitude === 0 && p.longitude === 0);
  return {
    imei: e.imei,
    time: new Date(e.timeStamp),
    position: fix
      ? {
          lat: p.latitude,
          lon: p.longitude,
          altitudeM: p.altitude,
          speedMps: p.speed !== undefined ? p.speed / 3.6 : undefined,
          courseDeg: p.course,
        }
      : undefined,
    emergency: e.messageCode === MESSAGE_CODE.declareSos || e.messageCode === MESSAGE_CODE.confirmSos,
    text: e.freeText ?? undefined,
  };
}

/** A MapShare placemark as Howl takes it. */
export function reportOfPlacemark(p: InReachPoint): InReachReport {
  return {
    imei: p.imei,
    time: p.time,
    position: {
      lat: p.lat,
      lon: p.lon,
      altitudeM: p.altitudeM,
      speedMps: p.speedMps,
      courseDeg: p.courseDeg,
    },
    emergency: p.emergency,
    text: p.text,
  };
}
