import { createHash } from 'node:crypto';
import { DeviceId } from '../../contract/common.ts';

/**
 * Which Howl device an OwnTracks app is: the app's user and device names joined by a hyphen, `USER-DEVICE`,
 * exactly as typed (case matters). The app publishing to `owntracks/<team>/jane/phone` (MQTT), or posting
 * with `X-Limit-U: jane` and `X-Limit-D: phone` (HTTP), is the member registered with
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

/**
 * The topic level under which Howl publishes its members in a team's space (`ROOT/<team>/howl/<callsign>`):
 * no app may use it.
 */
export const HOWL_USER = 'howl';

/** A team's level under the root: 12 lowercase hex digits. */
const TEAM_KEY = /^[0-9a-f]{12}$/;

/**
 * A team's own level under the topic root: the first 12 hex digits of its id (a random UUID), so it is stable
 * across restarts and renames and different for two teams of the same name. A team's apps publish and
 * subscribe under `ROOT/<key>`, and Howl publishes the team nowhere else.
 */
export function teamKey(teamId: string): string {
  const hex = teamId.replace(/-/g, '').toLowerCase();
  // Team ids are UUIDs; anything else still gets a stable key of the same shape.
  return TEAM_KEY.test(hex.slice(0, 12))
    ? hex.slice(0, 12)
    : createHash('sha256').update(teamId).digest('hex').slice(0, 12);
}

/** The team's topic space: `ROOT/<team key>`, the base topic of its apps. */
export function teamSpace(root: string, teamId: string): string {
  return `${root}/${teamKey(teamId)}`;
}

/** What a team's OwnTracks apps are set to in MQTT mode. */
export interface AppTopics {
  /** The team's topic space, `ROOT/<team key>`. */
  base: string;
  /** The app's `pubTopicBase`: `ROOT/<team key>/%u/%d` (the app puts in its user and device names). */
  publish: string;
  /** The app's `subTopic`: everything of the team, `ROOT/<team key>/#`. */
  subscribe: string;
}

/** The topics a team's apps publish to and subscribe to, for the setup screens and the log. */
export function appTopics(root: string, teamId: string): AppTopics {
  const base = teamSpace(root, teamId);
  return { base, publish: `${base}/%u/%d`, subscribe: `${base}/#` };
}

export interface OwnTracksTopic {
  /** The team key of `ROOT/<team>/USER/DEVICE`; `undefined` for the earlier shared `ROOT/USER/DEVICE`. */
  team?: string;
  user: string;
  device: string;
  /** `undefined` for `…/USER/DEVICE` (locations, lwt), else the next level (`event`, `info`, …). */
  leaf?: string;
}

/**
 * Splits `ROOT/<team>/USER/DEVICE[/LEAF]`, or `ROOT/USER/DEVICE[/LEAF]` when the level after the root is
 * not a team key (so an old-style USER of exactly 12 hex digits reads as a team); undefined when the topic
 * is not under `root` or has other levels.
 */
export function parseTopic(root: string, topic: string): OwnTracksTopic | undefined {
  if (!topic.startsWith(`${root}/`)) return undefined;
  const levels = topic.slice(root.length + 1).split('/');
  const team = levels[0] !== undefined && TEAM_KEY.test(levels[0]) ? levels.shift() : undefined;
  const [user, device, leaf, ...rest] = levels;
  if (!user || !device || rest.length > 0 || leaf === '') return undefined;
  return { team, user, device, leaf };
}

/** Where a member is published in a team's space: `ROOT/<team>/howl/<callsign>`. */
export function memberTopic(space: string, callsign: string): string {
  return `${space}/${HOWL_USER}/${callsign}`;
}
