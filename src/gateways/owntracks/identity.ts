import { DeviceId } from '../../contract/common.ts';

/**
 * Which Howl device an OwnTracks app is: the app's user and device names joined by a hyphen, `USER-DEVICE`,
 * exactly as typed (case matters). The app publishing to `owntracks/jane/phone` (MQTT), or posting with
 * `X-Limit-U: jane` and `X-Limit-D: phone` (HTTP), is the member registered with
 * `howl member add --device jane-phone`. It is the OwnTracks Recorder's own `user-device` key (its friends and
 * cards lists), and `/` is not allowed in Howl device ids. Names with characters a device id does not allow
 * (letters, digits, `_ . : -`) cannot be registered: such apps are dropped with a log line.
 */
export function deviceIdOf(user: string, device: string): string {
  return `${user}-${device}`;
}

/** The device id of `USER/DEVICE`, if it is one Howl can register. */
export function validDeviceIdOf(user: string, device: string): string | undefined {
  const id = deviceIdOf(user, device);
  return DeviceId.safeParse(id).success && DeviceId.parse(id) === id ? id : undefined;
}

/** The topic level under which Howl publishes its members (`owntracks/howl/<callsign>`): no app may use it. */
export const HOWL_USER = 'howl';

export interface OwnTracksTopic {
  user: string;
  device: string;
  /** `undefined` for `BASE/USER/DEVICE` (locations, lwt), else the next level (`event`, `info`, …). */
  leaf?: string;
}

/** Splits `BASE/USER/DEVICE[/LEAF]`; undefined when the topic is not under `base` or has other levels. */
export function parseTopic(base: string, topic: string): OwnTracksTopic | undefined {
  if (!topic.startsWith(`${base}/`)) return undefined;
  const levels = topic.slice(base.length + 1).split('/');
  const [user, device, leaf, ...rest] = levels;
  if (!user || !device || rest.length > 0 || leaf === '') return undefined;
  return { user, device, leaf };
}

/** Where a member is published: `BASE/howl/<callsign>`. */
export function memberTopic(base: string, callsign: string): string {
  return `${base}/${HOWL_USER}/${callsign}`;
}
