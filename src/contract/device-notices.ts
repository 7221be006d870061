import { z } from 'zod';
import { LatLon } from './common.ts';

/**
 * What a member's device reports that is neither a position nor an alert: a region of its own it entered or
 * left (OwnTracks `transition`), the broker losing its connection (OwnTracks `lwt`), a low battery or another
 * alarm word (OsmAnd `alarm=…`). Each is a logged team event (`device.notice`) with the team's mode.
 */
export const NoticeSource = z.enum(['owntracks', 'osmand', 'cot', 'field', 'import']);

const Common = {
  memberId: z.string(),
  callsign: z.string(),
  deviceId: z.string(),
  source: NoticeSource.describe('the protocol it came by'),
  time: z.string().describe('ISO 8601: when the device says it happened'),
};

export const DeviceNotice = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('region'),
    ...Common,
    event: z.enum(['enter', 'leave']),
    region: z.string().nullable().describe('the region’s name (`desc`)'),
    position: LatLon.nullable(),
    operationArea: z.boolean().describe('the region is the active exercise’s area, as Howl sent it'),
  }),
  z.object({
    kind: z.literal('connection_lost'),
    ...Common,
    connectedSince: z.string().nullable().describe('when the app had connected (the lwt’s `tst`)'),
  }),
  z.object({
    kind: z.literal('low_battery'),
    ...Common,
    alarm: z.string(),
    battery: z.number().nullable().describe('%'),
    position: LatLon.nullable(),
  }),
  z.object({
    kind: z.literal('alarm'),
    ...Common,
    alarm: z.string().describe('the device’s alarm word, as sent'),
    position: LatLon.nullable(),
  }),
]);
export type DeviceNotice = z.infer<typeof DeviceNotice>;
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A notice as a gateway reports it: the service adds the member's callsign. */
export type DeviceNoticeInput = OmitEach<DeviceNotice, 'callsign'>;

/** A region (OwnTracks waypoint) a member's app defines. */
export const DeviceRegion = z.object({
  deviceId: z.string(),
  name: z.string().describe('`desc`: the name the app shows and sends in its transitions'),
  lat: z.number().nullable().describe('null for a beacon region'),
  lon: z.number().nullable(),
  radiusM: z.number().nullable(),
  rid: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601: when the app created the region (`tst`)'),
  receivedAt: z.string().describe('ISO 8601: when Howl got the list it belongs to'),
});
export type DeviceRegion = z.infer<typeof DeviceRegion>;

export const DeviceRegionQuery = z.object({ memberId: z.string().uuid().describe('whose apps’ regions') });

export const DeviceRegionList = z.object({
  memberId: z.string(),
  regions: z.array(DeviceRegion).describe('each device’s latest list, by device then name'),
});
export type DeviceRegionList = z.infer<typeof DeviceRegionList>;
