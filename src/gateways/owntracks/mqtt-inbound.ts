import { HowlError } from '../../contract/errors.ts';
import { deviceAuth } from '../../services/core/auth.ts';
import type { DeviceOwner } from '../../services/devices/device-directory.ts';
import {
  appTopics,
  HOWL_USER,
  type OwnTracksTopic,
  parseTopic,
  teamKey,
  validDeviceIdOf,
} from './identity.ts';
import { ingest } from './ingest.ts';
import type { OwnTracksLogger } from './logger.ts';
import { parseOwnTracks } from './parse.ts';
import type { OwnTracksServices } from './services.ts';

/** An unknown or unusable device is logged at most this often, so a phone publishing every 30 s does not flood the log. */
const UNKNOWN_LOG_EVERY_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;
/** The levels under `…/USER/DEVICE` Howl reads: transitions, and regions (the Android app's `pubTopicWaypoints`). */
const APP_LEAVES = new Set(['event', 'waypoints', 'waypoint']);

export interface InboundHooks {
  /**
   * A registered device spoke on the broker: from `appTopic` (`ROOT/<team>/USER/DEVICE`) in its team's space,
   * or without one from the shared layout of earlier versions (`ROOT/USER/DEVICE`).
   */
  seen(owner: DeviceOwner, appTopic?: string): Promise<void>;
  /** A retained copy an earlier Howl left in the shared `ROOT/howl/…`, read by every team's apps: delete it. */
  leftover(topic: string): void;
}

/**
 * What arrives from the broker, in a team's space: `ROOT/<team>/USER/DEVICE` (location, lwt),
 * `…/USER/DEVICE/event` (transition) and `…/USER/DEVICE/waypoints` (regions).
 * Only registered devices (`USER-DEVICE`) are stored, and only from their own team's space: a device of
 * another team is dropped with a log line. The shared layout of earlier versions (`ROOT/USER/DEVICE`) is
 * still taken from registered devices, with a log line saying what to set in the app.
 */
export class OwnTracksMqttInbound {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly services: OwnTracksServices,
    private readonly root: string,
    private readonly log: OwnTracksLogger,
    private readonly hooks: InboundHooks,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  /** Handles one message; never throws (a failure is logged and the message dropped). */
  async handle(topic: string, payload: Uint8Array, retained: boolean): Promise<void> {
    const where = parseTopic(this.root, topic);
    if (!where) return;
    // Howl's own publications come back through the wildcard: they are not an app's.
    if (where.user === HOWL_USER) {
      if (isLeftover(where, retained, payload)) this.hooks.leftover(topic);
      return;
    }
    if (where.leaf !== undefined && !APP_LEAVES.has(where.leaf)) return;
    const parsed = parseOwnTracks(payload);
    if (!parsed.ok) {
      this.log.warn(
        { topic, field: parsed.field, reason: parsed.reason, bytes: payload.byteLength },
        'owntracks: payload rejected, nothing stored',
      );
      return;
    }
    const msg = parsed.message;
    if (msg.type === 'empty') return;
    if (msg.type === 'unsupported') {
      this.log.debug(
        { topic, type: msg.messageType },
        `owntracks: _type ${msg.messageType} is not supported, ignored`,
      );
      return;
    }
    const deviceId = validDeviceIdOf(where.user, where.device);
    if (!deviceId) {
      this.once(
        topic,
        { topic },
        'owntracks: USER/DEVICE cannot be a Howl device id (letters, digits, _ . : -), dropped',
      );
      return;
    }
    const owner = await this.services.devices.owner(deviceId);
    if (!owner) {
      this.once(
        deviceId,
        { topic, deviceId },
        `owntracks: unknown device ${deviceId}, dropped (register it with: howl member add --device ${deviceId})`,
      );
      return;
    }
    const own = teamKey(owner.teamId);
    if (where.team !== undefined && where.team !== own) {
      this.once(
        `${deviceId}@${where.team}`,
        { topic, deviceId, teamId: owner.teamId, expected: appTopics(this.root, owner.teamId).base },
        `owntracks: device ${deviceId} published in another team's topic space, dropped ` +
          `(its team's is ${this.root}/${own})`,
      );
      return;
    }
    if (where.team === undefined) {
      const app = appTopics(this.root, owner.teamId);
      this.once(
        `${deviceId}@shared`,
        { topic, deviceId, teamId: owner.teamId, publish: app.publish, subscribe: app.subscribe },
        `owntracks: ${deviceId} publishes outside its team's topic space: taken, but its app sees no ` +
          `teammates until it publishes to ${app.publish} and subscribes to ${app.subscribe}`,
      );
    }
    try {
      await this.hooks.seen(
        owner,
        where.team === undefined ? undefined : `${this.root}/${where.team}/${where.user}/${where.device}`,
      );
    } catch (err) {
      // Publishing the team is tried again at its next message; the position is stored regardless.
      this.log.error({ err, teamId: owner.teamId }, 'owntracks: could not start publishing the team');
    }
    if (msg.type === 'location' && retained && (await this.alreadyStored(owner, msg.location.time))) {
      this.log.debug({ topic, deviceId }, 'owntracks: retained location already stored, skipped');
      return;
    }
    // A retained will is the broker's copy of an old loss, sent again to every new subscriber (Howl after a
    // restart or reconnect): it was noted when it happened.
    if (msg.type === 'lwt' && retained) {
      this.log.debug({ topic, deviceId }, 'owntracks: retained lwt is an old notice, skipped');
      return;
    }
    try {
      await ingest(
        msg,
        { memberId: owner.memberId, teamId: owner.teamId, deviceId, via: 'mqtt' },
        {
          services: this.services,
          store: (r) => this.services.positions.reportFromDevice({ ...r, deviceId }),
          log: this.log,
        },
      );
    } catch (err) {
      if (!(err instanceof HowlError)) throw err;
      this.log.warn({ topic, deviceId, reason: err.message }, 'owntracks: message refused, nothing stored');
    }
  }

  /** A retained location is the broker's copy of the last one: stored already unless Howl was away. */
  private async alreadyStored(owner: DeviceOwner, time: Date): Promise<boolean> {
    const latest = await this.services.positions.latestList(
      deviceAuth(owner.memberId, owner.teamId),
      owner.teamId,
    );
    const mine = latest.find((p) => p.memberId === owner.memberId);
    return mine !== undefined && Date.parse(mine.time) >= time.getTime();
  }

  private once(key: string, obj: object, msg: string): void {
    const now = this.nowMs();
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < UNKNOWN_LOG_EVERY_MS) return;
    if (this.lastLogged.size >= MAX_REMEMBERED) this.lastLogged.clear();
    this.lastLogged.set(key, now);
    this.log.warn(obj, msg);
  }
}

/** Howl's own retained copies under the shared `ROOT/howl/<callsign>` (and `…/info`) of earlier versions. */
function isLeftover(where: OwnTracksTopic, retained: boolean, payload: Uint8Array): boolean {
  return (
    where.team === undefined &&
    retained &&
    payload.byteLength > 0 &&
    (where.leaf === undefined || where.leaf === 'info')
  );
}
